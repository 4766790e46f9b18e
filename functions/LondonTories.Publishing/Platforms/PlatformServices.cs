using LondonTories.Publishing.Platforms.Bluesky;
using LondonTories.Publishing.Platforms.LinkedIn;
using LondonTories.Publishing.Platforms.Mastodon;
using LondonTories.Publishing.Platforms.Meta;
using LondonTories.Publishing.Platforms.Threads;
using LondonTories.Publishing.Platforms.Webhook;
using LondonTories.Publishing.Platforms.X;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Platforms;

public static class PlatformServices
{
    /// <summary>Every platform client, registered as <see cref="IPlatformClient"/>, each with its own configured HttpClient: the one wiring the app, the CLI and the tests share.</summary>
    public static IServiceCollection AddLondonToriesPlatforms(this IServiceCollection services)
    {
        services.AddMetaPlatforms();
        services.AddThreadsPlatform();
        services.AddWebhookPlatform();
        services.AddXPlatform();
        services.AddBlueskyPlatform();
        services.AddMastodonPlatform();
        services.AddLinkedInPlatform();
        return services;
    }
}
