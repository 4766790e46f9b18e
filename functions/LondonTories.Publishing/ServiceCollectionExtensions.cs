using LondonTories.Publishing.Content;
using LondonTories.Publishing.Publishing;
using LondonTories.Publishing.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        services.TryAddSingleton<ContentLoader>();
        services.TryAddSingleton<Planner>();
        services.TryAddSingleton<SiteRenderer>();
        services.TryAddSingleton<SiteBuilder>();
        services.TryAddSingleton<Publisher>();
        return services;
    }
}
