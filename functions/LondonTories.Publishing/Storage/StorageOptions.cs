using Azure.Core;
using Azure.Core.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>How the pipeline uses a storage account. Set once when the services are wired.</summary>
public sealed class StorageOptions
{
    /// <summary>A run that would delete more than this share of the published files refuses, unless forced.</summary>
    public double MaxDeleteShare { get; set; } = 0.25;

    /// <summary>A social post this late or less still goes out; an older one is missed.</summary>
    public TimeSpan SocialGracePeriod { get; set; } = Social.PostDelivery.DefaultGracePeriod;

    /// <summary>Runs on this account send due posts to the channels of channels.yaml (the Functions app); off, posts are only filed.</summary>
    public bool Deliver { get; set; }

    /// <summary>How long a run waits for another run's publish lease before it gives up cleanly.</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The lease a run holds, renewed while it works; a run that dies frees it after this long (15 to 60 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a failed storage request (timeouts, 429, 5xx), with exponential back-off.</summary>
    public int MaxRetries { get; set; } = 6;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between two attempts of a request.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt of a request waits for an answer.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The longest a request may go on being retried after its attempt number <paramref name="attempt"/>
    /// failed (0 for the first): the pauses still to come, each at most a fifth longer than its
    /// back-off, as the SDK's jitter makes them, and, where <paramref name="timedOut"/>, as long
    /// again as the attempts still to come may each wait.
    /// </summary>
    public TimeSpan RetryWindowAfter(int attempt, bool timedOut = false)
    {
        var window = TimeSpan.Zero;
        for (var retry = attempt; retry < MaxRetries; retry++)
        {
            var backOff = RetryDelay * Math.Pow(2, Math.Min(retry, 30));
            window += (backOff < MaxRetryDelay ? backOff : MaxRetryDelay) * 1.2 + (timedOut ? NetworkTimeout : TimeSpan.Zero);
        }

        return window;
    }

    /// <summary>How long one webhook delivery may wait for the receiver's answer; a slower one is retried later.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A file history kept longer ago than this is packed again by the next run that changes the site,
    /// so the files the site still holds never age out of history: keep it well under the lifecycle
    /// rule's <c>historyRetentionDays</c> (180 by default).
    /// </summary>
    public TimeSpan RepackHistoryAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A run's new files go into history's packs of at most this size (but a larger file whole), so a lost upload and a rollback's reads stay cheap.</summary>
    public int HistoryPackSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Packs are uploaded in blocks of this size alongside the site's own uploads, and a rollback reads up to this much at once.</summary>
    public int HistoryBlockSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Uploads, downloads and deletes in flight at once.</summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>Extra pipeline policies for every storage client, e.g. to count or disturb requests.</summary>
    public IList<(HttpPipelinePolicy Policy, HttpPipelinePosition Position)> Policies { get; } = [];

    /// <summary>The HTTP transport of every storage client; null for the SDK's own.</summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>Applies the retries, transport and policies to a storage client's options.</summary>
    public T Apply<T>(T options) where T : ClientOptions
    {
        if (Transport is not null)
        {
            options.Transport = Transport;
        }

        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        foreach (var (policy, position) in Policies)
        {
            options.AddPolicy(policy, position);
        }

        return options;
    }
}
