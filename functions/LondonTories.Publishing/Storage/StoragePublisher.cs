using System.Collections.Immutable;
using System.Text.Json.Serialization;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LondonTories.Publishing.Storage;

/// <summary>The answer of one publish run on Blob Storage, as the API and the CLI report it.</summary>
public sealed record PublishRun(
    string RunId,
    string Trigger,
    string Outcome,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    int Pages,
    int Seats,
    int Written,
    int Unchanged,
    int Deleted,
    int LedgerChanges,
    string Summary,
    ImmutableArray<string> Diagnostics)
{
    public const string Published = "published";
    public const string ContentErrors = "content-errors";
    public const string Refused = "refused";
    public const string Busy = "busy";

    /// <summary>The run could not renew its lease (storage unreachable too long) and stopped so as never to overlap another.</summary>
    public const string LeaseLost = "lease-lost";

    public bool Succeeded => Outcome == Published;

    /// <summary>The pipeline's own result, when the run got as far as publishing.</summary>
    [JsonIgnore]
    public PublishResult? Result { get; init; }
}

/// <summary>
/// A publish run on Blob Storage: under the publish lease, load the content, publish it to the site's
/// containers and bring the ledger in line. Runs never interleave; a run that cannot get the lease in
/// time ends as <see cref="PublishRun.Busy"/> and changes nothing.
/// </summary>
public sealed class StoragePublisher(Publisher publisher, TimeProvider clock, ILogger<StoragePublisher>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StoragePublisher>.Instance;

    /// <summary>
    /// Publishes the <c>content</c> container as it stands now, with the account's deletion guard
    /// (<see cref="StorageOptions.MaxDeleteShare"/>) unless <paramref name="force"/>d: what the
    /// Functions app does on a schedule, on a content change and on request.
    /// </summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, string trigger, bool force, CancellationToken cancellationToken) =>
        PublishAsync(storage, (IContentSource?)null, new PublishOptions
        {
            MaxDeleteShare = storage.Options.MaxDeleteShare,
            Force = force,
            SocialGracePeriod = storage.Options.SocialGracePeriod,
            Deliveries = storage.Options.Deliver ? storage.Deliveries : null,
        }, trigger, cancellationToken);

    /// <summary>
    /// Publishes <paramref name="source"/> (default: the <c>content</c> container) to <paramref name="storage"/>.
    /// <paramref name="trigger"/> says what started the run (<c>schedule</c>, <c>content</c>, <c>http</c>, <c>cli</c>).
    /// </summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, IContentSource? source, PublishOptions options, string trigger, CancellationToken cancellationToken) =>
        RunAsync(storage, ct => publisher.LoadAsync(source ?? storage.Content, ct), options, trigger, cancellationToken);

    /// <summary>Publishes content already loaded, e.g. when the caller needed the site's time zone first.</summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, SiteContent content, PublishOptions options, string trigger, CancellationToken cancellationToken) =>
        RunAsync(storage, _ => Task.FromResult(content), options, trigger, cancellationToken);

    private async Task<PublishRun> RunAsync(SiteStorage storage, Func<CancellationToken, Task<SiteContent>> load, PublishOptions options, string trigger, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var runId = $"{started:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}"[..25];
        await using var lease = await storage.CreateLease().AcquireAsync(storage.Options.LeaseWait, clock, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            _logger.LogWarning("Publish run {RunId} ({Trigger}) gave up: another run held the publish lease for {Wait}.", runId, trigger, storage.Options.LeaseWait);
            return new PublishRun(runId, trigger, PublishRun.Busy, started, clock.GetUtcNow(), 0, 0, 0, 0, 0, 0,
                $"Another publish run is still working on {storage.Description}; nothing was changed. Try again when it has finished.", []);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var token = linked.Token;
        PublishResult result;
        int ledgerChanges;
        try
        {
            var content = await load(token).ConfigureAwait(false);
            result = await publisher.PublishAsync(content, storage.CreateTarget(), options with { RunId = runId }, token).ConfigureAwait(false);
            ledgerChanges = result.Succeeded
                ? await storage.Ledger.RecordPagesAsync(result.PublishedPages, runId, clock.GetUtcNow(), token).ConfigureAwait(false)
                  + await storage.SocialLedger.RecordAsync(result.Posts, runId, result.Now, token).ConfigureAwait(false)
                : 0;
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError("Publish run {RunId} ({Trigger}) stopped: it could not renew the publish lease.", runId, trigger);
            return new PublishRun(runId, trigger, PublishRun.LeaseLost, started, clock.GetUtcNow(), 0, 0, 0, 0, 0, 0,
                $"The run stopped because it could not keep the publish lease on {storage.Description}; the site still names only files that exist, and the next run finishes the job.", []);
        }

        var outcome = result.Outcome switch
        {
            PublishOutcome.Published => PublishRun.Published,
            PublishOutcome.Refused => PublishRun.Refused,
            _ => PublishRun.ContentErrors,
        };
        var run = new PublishRun(runId, trigger, outcome, started, clock.GetUtcNow(), result.Pages, result.Seats, result.Written, result.Unchanged,
            result.Deleted, ledgerChanges, result.Refusal ?? (result.Succeeded ? result.Summary : "The content has errors; nothing was published."),
            [.. result.Diagnostics.Select(d => d.ToString())])
        {
            Result = result,
        };

        // A run that changed nothing leaves no trace: a schedule that finds nothing due writes nothing at all.
        if (!result.Succeeded || result.Written > 0 || result.Deleted > 0 || ledgerChanges > 0)
        {
            await storage.Ledger.RecordRunAsync(new RunRecord
            {
                RowKey = PublicationLedger.RunRowKey(started, runId),
                RunId = runId,
                Trigger = trigger,
                Outcome = outcome,
                Started = started,
                Ended = run.Ended,
                Pages = run.Pages,
                Written = run.Written,
                Unchanged = run.Unchanged,
                Deleted = run.Deleted,
                LedgerChanges = ledgerChanges,
                Summary = run.Summary,
            }, token).ConfigureAwait(false);
        }

        _logger.LogInformation("Publish run {RunId} ({Trigger}): {Outcome}. {Summary}", runId, trigger, outcome, run.Summary);
        return run;
    }
}
