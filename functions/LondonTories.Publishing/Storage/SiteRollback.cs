using System.Globalization;
using System.Text.Json;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Restores <c>$web</c> to exactly the files an earlier run left, from the history container, under
/// the publish lease. The rollback is a run of its own (trigger <c>rollback</c>), and scheduled runs
/// leave the site as it restored it until the content changes. Social posts already sent stay sent.
/// </summary>
public sealed class SiteRollback(Publisher publisher, TimeProvider clock, ILogger<SiteRollback>? logger = null, Webhooks.AssociationWebhooks? webhooks = null)
{
    public const string Trigger = "rollback";

    private readonly ILogger _logger = logger ?? NullLogger<SiteRollback>.Instance;

    /// <param name="source">The content as it stands (default: the <c>content</c> container); the site stays rolled back until it changes.</param>
    public async Task<PublishRun> RollbackAsync(SiteStorage storage, string toRunId, IContentSource? source, string? requestedBy, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var runId = Publisher.NewRunId(started);
        PublishRun Answer(string outcome, string summary, int written = 0, int unchanged = 0, int deleted = 0, int ledgerChanges = 0) =>
            new(runId, Trigger, outcome, started, clock.GetUtcNow(), 0, 0, written, unchanged, deleted, ledgerChanges, summary, []) { RequestedBy = requestedBy };

        await using var lease = await storage.CreateLease().AcquireAsync(storage.Options.LeaseWait, clock, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return Answer(PublishRun.Busy, $"Another publish run is still working on {storage.Description}; nothing was changed. Try again when it has finished.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var token = linked.Token;
        RunManifest? manifest;
        try
        {
            manifest = await storage.History.ReadManifestAsync(toRunId, token).ConfigureAwait(false);
        }
        catch (InvalidDataException exception)
        {
            _logger.LogWarning(exception, "Rollback to {Target} refused: history's record of it cannot be read.", toRunId);
            return Answer(PublishRun.Refused, $"History's record of run {toRunId} cannot be read, so the site cannot be rolled back to it: {exception.Message} Nothing was changed; roll back to another run.");
        }

        if (manifest is null)
        {
            return Answer(PublishRun.NotFound, $"No run '{toRunId}' recorded its files, so the site cannot be rolled back to it; 'runs' lists the runs that did.");
        }

        var target = storage.CreateTarget();
        var held = (await target.ReadAsync(token).ConfigureAwait(false)).Where(h => h.Key.StartsWith("web/", StringComparison.Ordinal))
            .ToDictionary(h => h.Key, h => h.Value.Sha256, StringComparer.Ordinal);
        var writes = manifest.Files.Where(f => !held.TryGetValue(f.Key, out var sha) || sha != f.Value).ToList();
        var stale = held.Keys.Where(path => !manifest.Files.ContainsKey(path)).Order(StringComparer.Ordinal).ToList();

        // Every byte is read and checked against its digest before anything changes: a rollback that cannot finish does not start.
        var pageLists = manifest.Files.Where(f => IsPageList(f.Key)).Select(f => f.Value);
        var (bytes, missing, damaged) = await storage.History.ReadFilesAsync(manifest, writes.Select(w => w.Value).Concat(pageLists), token).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            var gone = missing.ToHashSet(StringComparer.Ordinal);
            var lost = manifest.Files.Where(f => gone.Contains(f.Value)).Select(f => f.Key).ToList();
            return Answer(PublishRun.Refused,
                $"History no longer holds {lost.Count} of the files of run {toRunId} (e.g. {lost[0]}); they aged out. Nothing was changed; roll back to a more recent run.");
        }

        if (damaged.Count > 0)
        {
            var example = manifest.Files.First(f => f.Value == damaged[0]);
            return Answer(PublishRun.Refused,
                $"History's copy of {example.Key} does not match its digest {example.Value}, so run {toRunId} cannot be restored byte for byte. Nothing was changed; roll back to another run.");
        }

        // The ledger's record of the restored pages comes from the run's own page lists: read before anything changes.
        var (restored, unreadable) = RestoredPages(manifest, bytes);
        if (unreadable is not null)
        {
            return Answer(PublishRun.Refused,
                $"History's copy of {unreadable} from run {toRunId} is not a page list this release can read, so the rollback could not record which pages it restored. Nothing was changed; roll back to a more recent run.");
        }

        // The fingerprint of the last publish no longer describes the site: the next run must look again.
        var web = storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        var metadata = (await web.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false)).Value.Metadata;
        if (PublishFingerprint.FromMetadata(metadata) is not null)
        {
            await web.SetMetadataAsync(PublishFingerprint.Remove(metadata), cancellationToken: token).ConfigureAwait(false);
        }

        // Pages first, the manifest once everything it names exists, stale files last, as a publish does.
        var ordered = writes.Where(w => w.Key != SiteBuilder.ManifestPath).ToList();
        await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = Publisher.WriteParallelism, CancellationToken = token },
            async (file, ct) => await target.WriteAsync(new OutputFile(file.Key, bytes[file.Value], file.Value), ct).ConfigureAwait(false)).ConfigureAwait(false);
        if (writes.FirstOrDefault(w => w.Key == SiteBuilder.ManifestPath) is { Key: not null } manifestFile)
        {
            await target.WriteAsync(new OutputFile(manifestFile.Key, bytes[manifestFile.Value], manifestFile.Value), token).ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = Publisher.WriteParallelism, CancellationToken = token },
            async (path, ct) => await target.DeleteAsync(path, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var content = await publisher.LoadAsync(source ?? storage.Content, token).ConfigureAwait(false);
        var at = clock.GetUtcNow();
        await storage.History.RecordAsync(runId, manifest, at, token).ConfigureAwait(false);

        // The ledger follows the site: pages the rollback brought back, changed or removed are recorded
        // at its moment, so the changes endpoint and the associations' webhooks report the rollback itself.
        var ledgerChanges = await storage.Ledger.RecordPagesAsync(restored, runId, at, token).ConfigureAwait(false);
        await storage.Ledger.HoldRollbackAsync(toRunId, content.Digest, token).ConfigureAwait(false);
        var webhooksQueued = await QueueWebhooksAsync(storage, content, runId, held, manifest.Files, at, token).ConfigureAwait(false);
        var run = Answer(PublishRun.Published,
            string.Create(CultureInfo.InvariantCulture, $"Rolled back to run {toRunId}: {writes.Count:N0} files restored, {manifest.Files.Count - writes.Count:N0} unchanged, {stale.Count:N0} deleted. The site stays so until the content changes."),
            writes.Count, manifest.Files.Count - writes.Count, stale.Count, ledgerChanges) with
        { WebhooksQueued = webhooksQueued };
        await storage.Ledger.RecordRunAsync(new RunRecord
        {
            RowKey = PublicationLedger.RunRowKey(started, runId),
            RunId = runId,
            Trigger = Trigger,
            Outcome = run.Outcome,
            Started = started,
            Ended = run.Ended,
            Written = run.Written,
            Unchanged = run.Unchanged,
            Deleted = run.Deleted,
            Summary = run.Summary,
            RequestedBy = requestedBy,
            HasManifest = true,
            LedgerChanges = ledgerChanges,
        }, token).ConfigureAwait(false);
        _logger.LogInformation("Rollback run {RunId} to {Target}: {Summary}", runId, toRunId, run.Summary);
        return run;
    }

    /// <summary>
    /// The pages of the restored site, as its own <c>pages.json</c> files (kept in history with the
    /// run) list them: each page's address and digest, and its article's digest from the manifest.
    /// <c>Unreadable</c> names the first of those files that is not a page list as this release writes them.
    /// </summary>
    private static (List<PublishedPage> Pages, string? Unreadable) RestoredPages(RunManifest manifest, Dictionary<string, byte[]> bytes)
    {
        var pages = new List<PublishedPage>();
        foreach (var (path, sha256) in manifest.Files.Where(f => IsPageList(f.Key)))
        {
            if (PagesOf(path, bytes[sha256], manifest) is not { } listed)
            {
                return (pages, path);
            }

            pages.AddRange(listed);
        }

        return (pages, null);
    }

    /// <summary>The pages one seat's <c>pages.json</c> lists, or null when it is not a page list as this release writes them.</summary>
    private static List<PublishedPage>? PagesOf(string path, byte[] json, RunManifest manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("constituency", out var constituency) || constituency.ValueKind != JsonValueKind.Object
                || Text(constituency, "slug") is not { } seat || !root.TryGetProperty("pages", out var listed) || listed.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var pages = new List<PublishedPage>();
            foreach (var page in listed.EnumerateArray())
            {
                if (page.ValueKind != JsonValueKind.Object || Text(page, "path") is not { } relative || !relative.EndsWith("/index.html", StringComparison.Ordinal)
                    || Text(page, "slug") is not { } slug || Text(page, "language") is not { } language || Text(page, "url") is not { } url || Text(page, "sha256") is not { } sha256)
                {
                    return null;
                }

                var pagePath = "web/" + relative;
                var fragment = pagePath[..^"index.html".Length] + "fragment.html";
                pages.Add(new PublishedPage(seat, slug, language, url, pagePath, sha256, false)
                {
                    ContentSha256 = manifest.Files.GetValueOrDefault(fragment) ?? string.Empty,
                });
            }

            return pages;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Tells the associations of the seats whose pages the rollback changed, and points waiting events at their webhooks now, as a publish would; never fails the rollback.</summary>
    private async Task<int> QueueWebhooksAsync(SiteStorage storage, SiteContent content, string runId,
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (webhooks is null || content.HasErrors)
        {
            return 0;
        }

        try
        {
            var changes = Webhooks.SiteChanges.Between(content.Site, before, after, at);
            var queued = await webhooks.EnqueueAsync(storage, content, runId, at, changes, cancellationToken).ConfigureAwait(false);

            // As a publish does: events waiting for a retry go where the seats' webhooks point now.
            await webhooks.RetargetAsync(storage, content, cancellationToken).ConfigureAwait(false);
            return queued;
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or IOException)
        {
            // The site is rolled back; associations still find the pages through their feeds.
            _logger.LogError(exception, "Rollback run {RunId} could not queue the associations' webhooks.", runId);
            return 0;
        }
    }

    /// <summary>A seat's own <c>pages.json</c>, which lists its pages.</summary>
    private static bool IsPageList(string path) => path.EndsWith("/pages.json", StringComparison.Ordinal) && path.Count(c => c == '/') == 2;
}
