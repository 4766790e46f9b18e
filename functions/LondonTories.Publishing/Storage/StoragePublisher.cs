using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
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

    /// <summary>No such run to roll back to.</summary>
    public const string NotFound = "not-found";

    /// <summary>The run could not renew its lease (storage unreachable too long) and stopped so as never to overlap another.</summary>
    public const string LeaseLost = "lease-lost";

    public bool Succeeded => Outcome == Published;

    /// <summary>Who asked for the run, for runs a person started.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>How many association webhook events the run queued: one per seat with a webhook that it changed.</summary>
    public int WebhooksQueued { get; init; }

    /// <summary>The pipeline's own result, when the run got as far as publishing.</summary>
    [JsonIgnore]
    public PublishResult? Result { get; init; }
}

/// <summary>
/// A publish run on Blob Storage: under the publish lease, load the content, publish it to the site's
/// containers and bring the ledger in line. Runs never interleave; a run that cannot get the lease in
/// time ends as <see cref="PublishRun.Busy"/> and changes nothing.
/// </summary>
public sealed class StoragePublisher(Publisher publisher, TimeProvider clock, ILogger<StoragePublisher>? logger = null, Webhooks.AssociationWebhooks? webhooks = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StoragePublisher>.Instance;

    /// <summary>
    /// Publishes the <c>content</c> container as it stands now, with the account's deletion guard
    /// (<see cref="StorageOptions.MaxDeleteShare"/>) unless <paramref name="force"/>d: what the
    /// Functions app does on a schedule, on a content change and on request.
    /// </summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, string trigger, bool force, CancellationToken cancellationToken, string? requestedBy = null) =>
        PublishAsync(storage, (IContentSource?)null, new PublishOptions
        {
            MaxDeleteShare = storage.Options.MaxDeleteShare,
            Force = force,
            SocialGracePeriod = storage.Options.SocialGracePeriod,
            RequestedBy = requestedBy,
            Deliveries = storage.Options.Deliver ? storage.Deliveries : null,
        }, trigger, cancellationToken);

    /// <summary>
    /// Publishes <paramref name="source"/> (default: the <c>content</c> container) to <paramref name="storage"/>.
    /// <paramref name="trigger"/> says what started the run (<c>schedule</c>, <c>content</c>, <c>http</c>, <c>cli</c>).
    /// </summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, IContentSource? source, PublishOptions options, string trigger, CancellationToken cancellationToken) =>
        RunAsync(storage, async ct =>
        {
            var recording = new RecordingSource(source ?? storage.Content);
            var content = await publisher.LoadAsync(recording, ct).ConfigureAwait(false);
            return (content, recording.Files);
        }, options, trigger, cancellationToken);

    /// <summary>Publishes content already loaded, e.g. when the caller needed the site's time zone first.</summary>
    public Task<PublishRun> PublishAsync(SiteStorage storage, SiteContent content, PublishOptions options, string trigger, CancellationToken cancellationToken) =>
        RunAsync(storage, _ => Task.FromResult<(SiteContent, IReadOnlyList<ContentFile>?)>((content, null)), options, trigger, cancellationToken);

    private async Task<PublishRun> RunAsync(
        SiteStorage storage, Func<CancellationToken, Task<(SiteContent Content, IReadOnlyList<ContentFile>? Files)>> load, PublishOptions options, string trigger, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var runId = Publisher.NewRunId(started);
        if (options.Now is { } ahead && ahead > started)
        {
            // The live site must never show what is not yet due: a moment ahead of the clock is for rehearsals.
            return new PublishRun(runId, trigger, PublishRun.Refused, started, started, 0, 0, 0, 0, 0, 0,
                string.Create(CultureInfo.InvariantCulture,
                    $"--now {ahead.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is later than the clock ({started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z): publishing to {storage.Description} as of a later moment would put embargoed pages on the live site early; nothing was changed. Rehearse on a local folder with --out instead."),
                []);
        }

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
        string? rolledBackTo;
        var webhooksQueued = 0;
        var web = storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        SiteContent content;
        try
        {
            (content, var files) = await load(token).ConfigureAwait(false);
            content = await WithWebhookSecretsCheckedAsync(content, token).ConfigureAwait(false);
            var now = options.Now ?? clock.GetUtcNow();
            var fingerprint = content.HasErrors ? null
                : files is null ? PublishFingerprint.Of(content, options, now) : PublishFingerprint.Of(files, content, options, now);
            var metadata = (await web.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false)).Value.Metadata;
            var last = PublishFingerprint.FromMetadata(metadata);
            // With delivery on, the ledger decides what is left to send (retries, claims a stopped run left), so every run looks.
            if (fingerprint is not null && last is not null && last.Covers(fingerprint) && options.Deliveries is null)
            {
                // The same inputs, and no scheduled time has passed since the run that published them:
                // the site is already what this run would make, so it ends here, without listing $web.
                var summary = string.Create(CultureInfo.InvariantCulture,
                    $"Nothing changed since the last publish: {last.Pages:N0} {(last.Pages == 1 ? "page" : "pages")} for {last.Seats} {(last.Seats == 1 ? "constituency" : "constituencies")}, 0 files written, {last.Files:N0} unchanged, 0 deleted.");
                _logger.LogInformation("Publish run {RunId} ({Trigger}): {Outcome}. {Summary}", runId, trigger, PublishRun.Published, summary);
                return new PublishRun(runId, trigger, PublishRun.Published, started, clock.GetUtcNow(), last.Pages, last.Seats, 0, last.Files, 0, 0, summary, [])
                {
                    Result = new PublishResult(PublishOutcome.Published, [], last.Pages, last.Seats, 0, last.Files, 0, clock.GetUtcNow() - started) { Now = now },
                };
            }

            // A run that stops part way must not leave an old fingerprint vouching for a site it
            // changed, so the fingerprint goes before the first change (and never for a run that changes nothing).
            var approvals = PostApprovals.AnyNeeded(content)
                ? new ApprovalBook(await storage.Approvals.ReadAllAsync(token).ConfigureAwait(false))
                : ApprovalBook.Empty;
            var history = storage.History.Begin(runId, started);
            var site = storage.CreateTarget(history);

            // A forced run, which an operator asks for, looks at every blob rather than at the record of them.
            site.TrustHeldRecord(options.Force ? null : PublishFingerprint.HeldRecordOf(metadata));
            var held = new HeldSiteTarget(site, storage.Ledger, content.Digest);
            ISiteTarget target = last is null ? held : new WithdrawingTarget(held,
                ct => web.SetMetadataAsync(PublishFingerprint.Remove(metadata), cancellationToken: ct));
            result = await publisher.PublishAsync(content, target, options with { RunId = runId, Approvals = approvals }, token).ConfigureAwait(false);
            rolledBackTo = held.RolledBackTo;
            var expiredWhileHeld = held.ExpiredWhileHeld(content, now);
            if (rolledBackTo is not null && result.Succeeded)
            {
                result = result with { Written = 0, Deleted = 0, WrittenPaths = [], DeletedPaths = [], Diagnostics = result.Diagnostics.AddRange(expiredWhileHeld) };
            }

            ledgerChanges = result.Succeeded
                ? (rolledBackTo is null ? result.HistoryChanges : 0) + await storage.SocialLedger.RecordAsync(result.Posts, runId, result.Now, token).ConfigureAwait(false)
                : 0;
            if (result.Succeeded && rolledBackTo is null && (result.Written > 0 || result.Deleted > 0))
            {
                await history.RecordAsync(site.Site(), web, clock.GetUtcNow(), token).ConfigureAwait(false);
                await storage.Ledger.ReleaseRollbackAsync(token).ConfigureAwait(false);
            }

            (webhooksQueued, var told) = result.Succeeded ? await TellAssociationsAsync(storage, content, runId, result, rolledBackTo, token).ConfigureAwait(false) : (0, true);

            // A failed post is tried again by the next run, and a held one once approved, and changes not yet
            // told to the associations by the next full run, so only a run that left nothing waiting vouches for the site.
            // Nor does one that kept an expired page up for a hold: each run says so until someone ends it.
            if (fingerprint is not null && result.Succeeded && told && expiredWhileHeld.IsEmpty && !result.Posts.Any(p => p.Status is PostStatus.Failed or PostStatus.AwaitingApproval)
                && !result.PageApprovals.Any(p => p.State.Status == ApprovalStatus.Awaiting))
            {
                var published = fingerprint with { Pages = result.Pages, Seats = result.Seats, Files = result.Written + result.Unchanged };
                var heldRecord = await site.SaveHeldRecordAsync(token).ConfigureAwait(false);
                await web.SetMetadataAsync(published.WriteTo(PublishFingerprint.Remove(metadata), heldRecord), cancellationToken: token).ConfigureAwait(false);
            }
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
            RequestedBy = options.RequestedBy,
            WebhooksQueued = webhooksQueued,
        };
        if (rolledBackTo is not null && result.Succeeded)
        {
            run = run with { Summary = $"The site stays as rolled back to run {rolledBackTo} until the content changes; its pages were left alone. {result.Summary}" };
        }

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
                RequestedBy = options.RequestedBy,
                HasManifest = result.Succeeded && rolledBackTo is null && (result.Written > 0 || result.Deleted > 0),
                AwaitingApproval = string.Join(", ", result.PageApprovals.Where(p => p.State.Status == ApprovalStatus.Awaiting).Select(p => ApprovalBook.PageItem(p.Slug))
                    .Concat(result.Posts.Where(p => p.Status == PostStatus.AwaitingApproval).Select(p => ApprovalBook.PostItem(p.PostId))).Distinct()),
            }, token).ConfigureAwait(false);
        }

        _logger.LogInformation("Publish run {RunId} ({Trigger}): {Outcome}. {Summary}", runId, trigger, outcome, run.Summary);
        foreach (var kept in result.Diagnostics.Where(d => d.Code == HeldSiteTarget.ExpiredWhileHeldCode))
        {
            _logger.LogWarning("Publish run {RunId} ({Trigger}): {Warning}", runId, trigger, kept.ToString());
        }

        foreach (var post in result.Posts.Where(p => p.Status == PostStatus.Failed))
        {
            // The summary only counts them; whoever watches the app's errors needs each one's reason.
            _logger.LogError("Publish run {RunId} ({Trigger}): post {PostId} for {Seat} ({Source}) could not be filed as {Path}: {Reason}",
                runId, trigger, post.PostId, post.Seat, post.Source, post.Path, post.Reason);
        }

        return run;
    }

    /// <summary>
    /// Queues the associations' webhooks for this run's changes and any a stopped run left untold, and points
    /// the events waiting for a retry at the seats' webhooks now; false when that could not be done, and the next full run tries again.
    /// </summary>
    private async Task<(int Queued, bool Told)> TellAssociationsAsync(SiteStorage storage, SiteContent content, string runId, PublishResult result, string? rolledBackTo, CancellationToken cancellationToken)
    {
        if (webhooks is null)
        {
            return (0, true);
        }

        try
        {
            var queued = rolledBackTo is null
                ? await webhooks.EnqueueAsync(storage, content, runId, result.Now, result.HistoryChanges > 0, cancellationToken).ConfigureAwait(false)
                : 0;

            // Events waiting for a retry go where the seats' webhooks point now, whether or not this run changed pages.
            await webhooks.RetargetAsync(storage, content, cancellationToken).ConfigureAwait(false);
            return (queued, true);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or IOException)
        {
            // The site is published; associations hear of it through the changes endpoint and their feeds.
            _logger.LogError(exception, "Publish run {RunId} could not queue the associations' webhooks or point those waiting at the seats' webhooks now.", runId);
            return (0, false);
        }
    }

    /// <summary>A run that may queue webhooks first makes sure it can sign them: an unusable secret is a content error, found before anything changes.</summary>
    private async Task<SiteContent> WithWebhookSecretsCheckedAsync(SiteContent content, CancellationToken cancellationToken)
    {
        if (webhooks is null || content.HasErrors || !content.Constituencies.Any(s => s.Association.Webhook is not null))
        {
            return content;
        }

        var problems = await webhooks.CheckSecretsAsync(content, cancellationToken).ConfigureAwait(false);
        if (problems.Count == 0)
        {
            return content;
        }

        var diagnostics = new Diagnostics.DiagnosticBag();
        foreach (var diagnostic in content.Diagnostics.Concat(problems))
        {
            diagnostics.Add(diagnostic);
        }

        return content with { Diagnostics = diagnostics.ToImmutableSorted() };
    }
}

/// <summary>Passes content through while keeping the files read, so that the run can fingerprint exactly what it loaded.</summary>
internal sealed class RecordingSource(IContentSource inner) : IContentSource
{
    public string DisplayRoot => inner.DisplayRoot;

    public IReadOnlyList<ContentFile>? Files { get; private set; }

    public async Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken) =>
        Files = await inner.ReadAllAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>A target that runs one action before its first change: a write, a create or a delete.</summary>
internal sealed class WithdrawingTarget(ISiteTarget inner, Func<CancellationToken, Task> beforeFirstChange) : ISiteTarget
{
    private readonly Lock _gate = new();
    private Task? _withdrawn;

    public string Description => inner.Description;

    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

    public IPublicationHistory? History => inner.History;

    public Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

    public async Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        await WithdrawAsync(cancellationToken).ConfigureAwait(false);
        await inner.WriteAsync(file, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken)
    {
        await WithdrawAsync(cancellationToken).ConfigureAwait(false);
        return await inner.CreateOnceAsync(file, runId, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        await WithdrawAsync(cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public async Task RekeyAsync(OutputFile file, CancellationToken cancellationToken)
    {
        await WithdrawAsync(cancellationToken).ConfigureAwait(false);
        await inner.RekeyAsync(file, cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

    private Task WithdrawAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A failed attempt is tried again by the next change rather than letting that change go ahead.
            if (_withdrawn is null || _withdrawn.IsFaulted || _withdrawn.IsCanceled)
            {
                _withdrawn = beforeFirstChange(cancellationToken);
            }

            return _withdrawn;
        }
    }
}
