using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace LondonTories.Publishing.Platforms.Webhook;

/// <summary>How long a webhook receiver may take, and how hard to retry it.</summary>
public sealed class WebhookOptions
{
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest Retry-After waited out within this run.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(30);
}

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The webhook client. Receivers dedupe on webhook-id, so its HttpClient retries whatever may
    /// have failed in passing: no connection, a timeout, a dropped answer, 408, 429 and 5xx.
    /// </summary>
    public static IServiceCollection AddWebhookPlatform(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddPlatformHttpClient(WebhookClient.HttpClientName, provider =>
            {
                var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                var clock = provider.GetRequiredService<TimeProvider>();
                return new RetryRules(options.MaxRetries, options.RetryDelay, options.AttemptTimeout)
                {
                    ShouldRetry = (outcome, _) => ValueTask.FromResult(outcome switch
                    {
                        { Exception: HttpRequestException or TimeoutRejectedException } => true,
                        { Result: { } response } => (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                            && !(WebhookClient.RetryAfter(response, clock.GetUtcNow()) > options.RetryBudget),
                        _ => false,
                    }),
                    Wait = response => WebhookClient.RetryAfter(response, clock.GetUtcNow()),
                };
            },
            // The receiver's url comes from content: through a proxy the address checked would be the
            // proxy's, and the proxy would go wherever the receiver's name leads.
            bypassProxy: true)
            .RemoveAllLoggers();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, WebhookClient>());
        return services;
    }
}
