using LondonTories.Publishing.Platforms.Meta;
using LondonTories.Publishing.Platforms.Webhook;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Platforms;

public static class PlatformServices
{
    /// <summary>Every platform client, registered as <see cref="IPlatformClient"/>: the one wiring the app, the CLI and the tests share.</summary>
    public static IServiceCollection AddLondonToriesPlatforms(this IServiceCollection services)
    {
        services.AddMetaPlatforms();
        services.AddWebhookPlatform();
        return services;
    }
}
