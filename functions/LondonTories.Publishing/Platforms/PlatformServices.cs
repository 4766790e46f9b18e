using LondonTories.Publishing.Platforms.Bluesky;
using LondonTories.Publishing.Platforms.LinkedIn;
using LondonTories.Publishing.Platforms.Mastodon;
using LondonTories.Publishing.Platforms.X;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Platforms;

public static class PlatformServices
{
    /// <summary>Every platform client, each with its own configured HttpClient, for the app, the CLI and the tests alike.</summary>
    public static IServiceCollection AddLondonToriesPlatforms(this IServiceCollection services)
    {
        services.AddXPlatform();
        services.AddBlueskyPlatform();
        services.AddMastodonPlatform();
        services.AddLinkedInPlatform();
        return services;
    }
}
