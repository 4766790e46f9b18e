using LondonTories.Publishing;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LondonTories.Functions;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The pipeline as the app's settings configure it: the secrets' store, delivery's hosts, the
    /// approval policy, and publishing to the storage they name. Program.cs and the tests wire the app
    /// through this one method, so a setting the app reads is never missing from what the tests run.
    /// </summary>
    /// <param name="storage">Storage options beyond the settings' own, applied after them.</param>
    public static IServiceCollection AddLondonToriesApp(this IServiceCollection services, AppConfiguration settings, Action<StorageOptions>? storage = null)
    {
        // Before the pipeline's own default; a store registered earlier still stands.
        services.TryAddSingleton(settings.SecretStore);
        services.AddSingleton(settings.DeliveryOptions);
        services.AddSingleton(settings.ApprovalPolicy);
        return services.AddLondonToriesPublishing(settings.StorageConnection, options =>
        {
            settings.ConfigureStorage(options);
            storage?.Invoke(options);
        });
    }
}
