using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LondonTories.Publishing.Platforms.Meta;

public static class MetaServiceCollectionExtensions
{
    /// <summary>
    /// The Facebook (Pages and ads) and Instagram clients, each with its own HttpClient and the
    /// Graph retry policy. The clients log nothing themselves, and their HttpClients carry no URL
    /// loggers, since Graph lookups carry the token in the query.
    /// </summary>
    public static IServiceCollection AddMetaPlatforms(this IServiceCollection services)
    {
        services.AddOptions<MetaOptions>();
        services.TryAddSingleton(TimeProvider.System);
        foreach (var name in new[] { FacebookPageClient.HttpClientName, InstagramClient.HttpClientName })
        {
            services.AddPlatformHttpClient(name, provider =>
                    GraphResilience.Rules(provider.GetRequiredService<IOptions<MetaOptions>>().Value, provider.GetRequiredService<TimeProvider>()))
                .RemoveAllLoggers();
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, FacebookPageClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, InstagramClient>());
        return services;
    }
}
