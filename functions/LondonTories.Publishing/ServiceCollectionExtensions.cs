using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;

namespace LondonTories.Publishing;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The one wiring of the publishing pipeline, shared by the Functions app, the CLI and the tests.
    /// Everything here is built once and safe to share across threads.
    /// </summary>
    public static IServiceCollection AddLondonToriesPublishing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MarkdownRenderer>();
        services.TryAddSingleton<HtmlSafety>();
        services.TryAddSingleton(_ => new TemplateSandbox());
        services.TryAddSingleton<IBodyCheck, BodyCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IContentPart, PostLoader>());
        services.TryAddSingleton(ApprovalPolicy.ContentDecides);
        services.TryAddSingleton<ContentLoader>();
        services.TryAddSingleton<Planner>();
        services.TryAddSingleton<PostPlanner>();
        services.TryAddSingleton<SiteRenderer>();
        services.TryAddSingleton<SiteBuilder>();
        services.TryAddSingleton<ScheduledPages>();
        services.TryAddSingleton<Publisher>();
        services.TryAddSingleton(new DeliveryOptions());
        services.TryAddSingleton<ISecretStore>(new EnvironmentSecretStore());
        services.TryAddSingleton<DeliveryRunner>();
        services.TryAddSingleton<PagePreview>();
        services.TryAddSingleton<StoragePublisher>();
        // A folder publish that finds nothing to do reads the content's files and the folder's fingerprint
        // and stops: the pipeline behind it (templates, Markdown, the sanitiser, the platforms) is built
        // only for a run that has work to do, which in a program started for one run was a sixth of a no-op.
        services.TryAddSingleton(provider => new FolderPublisher(
            new Lazy<Publisher>(provider.GetRequiredService<Publisher>), new Lazy<ContentLoader>(provider.GetRequiredService<ContentLoader>), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ApprovalDesk>();
        services.TryAddSingleton<SiteRollback>();
        services.TryAddSingleton<Preview.HostedPreview>();
        services.TryAddSingleton<Preview.PreviewKeys>();
        services.TryAddSingleton<ContentPusher>();
        services.TryAddSingleton(new StorageOptions());
        services.TryAddSingleton<AssociationWebhooks>();
        services.AddHttpClient(AssociationWebhooks.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // Standard Webhooks counts a 3xx as a failure: following it would re-send the event as a GET
            // without its body and count that as delivered, so the sender sees the 3xx and retries.
            // A receiver's address comes from content, so it must not lead into the app's own network;
            // through a proxy (HTTP_PROXY, say) the connection checked would be the proxy's, and the
            // proxy would go wherever the receiver's name leads.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectCallback = Platforms.PublicConnections.ConnectAsync })
            .AddResilienceHandler(AssociationWebhooks.HttpClientName, (pipeline, context) =>
                // One attempt per delivery run, bounded; retries are the webhooks table's, spread over a day.
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<StorageOptions>().WebhookTimeout));
        return services;
    }

    /// <summary>
    /// The same wiring with one storage account as the home of the site: its content container, its
    /// site containers and its ledger (<see cref="SiteStorage"/>), and the published site for readers.
    /// </summary>
    public static IServiceCollection AddLondonToriesPublishing(this IServiceCollection services, StorageConnection connection, Action<StorageOptions>? configure = null)
    {
        var options = new StorageOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddLondonToriesPublishing();
        services.TryAddSingleton(provider => new SiteStorage(connection, provider.GetRequiredService<StorageOptions>()));
        services.TryAddSingleton<PublishedSite>();
        return services;
    }
}
