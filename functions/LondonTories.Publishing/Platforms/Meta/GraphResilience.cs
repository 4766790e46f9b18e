using System.Net;
using System.Net.Http;
using Polly;
using Polly.Timeout;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>How long Meta requests may take and how much waiting a run may spend on Meta's limits.</summary>
public sealed class MetaOptions
{
    /// <summary>One attempt's limit; a POST that outlives it is ambiguous and never repeated.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; later ones grow exponentially.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait a rate limit may ask for and still be waited out within this run; longer ones become a later attempt.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Instagram: how often and how many times to ask whether a media container is ready to publish.</summary>
    public TimeSpan ContainerPollInterval { get; set; } = TimeSpan.FromSeconds(3);

    public int ContainerPolls { get; set; } = 10;
}

/// <summary>
/// The retry policy of every Meta HttpClient. Only what cannot have been applied is repeated:
/// a connection that never opened (DNS, refused), a rate limit or a documented temporary error,
/// and, for lookups and deletes alone, a timeout, a dropped connection or a 5xx. A POST that was
/// sent and then lost its answer is never repeated here.
/// </summary>
public static class GraphResilience
{
    public static RetryRules Rules(MetaOptions options, TimeProvider clock) => new(options.MaxRetries, options.RetryDelay, options.AttemptTimeout)
    {
        ShouldRetry = (outcome, context) => ShouldRetryAsync(outcome, context, options.RetryBudget, clock),
        Wait = response => GraphApi.WaitFrom(response, clock.GetUtcNow()),
    };

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan budget, TimeProvider clock)
    {
        var repeatable = context.GetRequestMessage()?.Method is { } method && (method == HttpMethod.Get || method == HttpMethod.Delete);
        if (outcome.Exception is { } exception)
        {
            return PlatformHttp.NeverLeft(exception) || (repeatable && exception is HttpRequestException or TimeoutRejectedException);
        }

        if (outcome.Result is not { } response || response.IsSuccessStatusCode)
        {
            return false;
        }

        var wait = GraphApi.WaitFrom(response, clock.GetUtcNow());
        if (wait > budget)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        // Buffering first lets the caller read the same body after the policy has looked at it.
        await response.Content.LoadIntoBufferAsync(context.CancellationToken).ConfigureAwait(false);
        var error = GraphApi.ReadError(await response.Content.ReadAsStringAsync(context.CancellationToken).ConfigureAwait(false));
        if (error is not null && (GraphApi.IsRateLimit(error.Code) || GraphApi.IsTransient(error)))
        {
            return true;
        }

        return repeatable && (int)response.StatusCode >= 500;
    }
}
