using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
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
        // A second call would stack a second retry handler on the HttpClient.
        if (services.Any(d => d.ServiceType == typeof(IPlatformClient) && d.ImplementationType == typeof(WebhookClient)))
        {
            return services;
        }

        services.AddOptions<WebhookOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(WebhookClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResilienceHandler(WebhookClient.HttpClientName, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                var clock = context.ServiceProvider.GetRequiredService<TimeProvider>();
                builder
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = options.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                        {
                            { Exception: HttpRequestException or TimeoutRejectedException } => true,
                            { Result: { } response } => (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                                && !(WebhookClient.RetryAfter(response, clock.GetUtcNow()) > options.RetryBudget),
                            _ => false,
                        }),
                        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? WebhookClient.RetryAfter(response, clock.GetUtcNow()) : null),
                    })
                    .AddTimeout(options.AttemptTimeout);
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, WebhookClient>());
        return services;
    }
}
