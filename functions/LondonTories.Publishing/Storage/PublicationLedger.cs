using System.Globalization;
using Azure;
using Azure.Data.Tables;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>A page as the ledger remembers it: one entity per seat, page and language.</summary>
public sealed class PageRecord : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Seat { get; set; } = string.Empty;

    public string Page { get; set; } = string.Empty;

    public string Language { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    /// <summary>The digest of the page's article, which dates it (<see cref="PageHistory"/>); empty in records from before it was kept.</summary>
    public string ContentSha256 { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public DateTimeOffset FirstPublished { get; set; }

    public DateTimeOffset LastPublished { get; set; }

    /// <summary>When the page left the site, or null while it is published.</summary>
    public DateTimeOffset? Removed { get; set; }

    /// <summary>When the page last came back after being removed, or null if it never left.</summary>
    public DateTimeOffset? Returned { get; set; }

    /// <summary>The run that last wrote this entity.</summary>
    public string RunId { get; set; } = string.Empty;

    /// <summary>
    /// The ledger writes (<see cref="PublicationLedger.ReadSequenceAsync"/>) that made the page's first publication, its
    /// last, its removal and its return: what the changes endpoint's cursors count; 0 in records from before they were kept.
    /// </summary>
    public long FirstSequence { get; set; }

    public long LastSequence { get; set; }

    public long? RemovedSequence { get; set; }

    public long? ReturnedSequence { get; set; }

    /// <summary>The latest ledger write this entity records.</summary>
    public long LatestSequence => Math.Max(Math.Max(FirstSequence, LastSequence), Math.Max(RemovedSequence ?? 0, ReturnedSequence ?? 0));

    public static string RowKeyFor(string page, string language) => $"{page}.{language}";
}

/// <summary>One publish run as the ledger remembers it.</summary>
public sealed class RunRecord : ITableEntity
{
    public string PartitionKey { get; set; } = PublicationLedger.RunsPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RunId { get; set; } = string.Empty;

    public string Trigger { get; set; } = string.Empty;

    public string Outcome { get; set; } = string.Empty;

    public DateTimeOffset Started { get; set; }

    public DateTimeOffset Ended { get; set; }

    public int Pages { get; set; }

    public int Written { get; set; }

    public int Unchanged { get; set; }

    public int Deleted { get; set; }

    public int LedgerChanges { get; set; }

    public string Summary { get; set; } = string.Empty;

    /// <summary>Who asked for the run, for runs started by a person (HTTP, CLI, rollback).</summary>
    public string? RequestedBy { get; set; }

    /// <summary>The run recorded its manifest in history, so the site can be rolled back to it.</summary>
    public bool HasManifest { get; set; }

    /// <summary>What the run held for want of an approval (<c>page:housing, post:winter-fuel</c>); empty when nothing waited.</summary>
    public string? AwaitingApproval { get; set; }
}

/// <summary>
/// The publication ledger in the <c>publications</c> table: what each seat has published, when it was
/// first and last published and by which run, and a record of each run that changed anything. It is
/// reconciled with what the site holds on every run, so a run that died before recording is made
/// good by the next.
/// </summary>
public sealed class PublicationLedger(TableClient table, int parallelism) : IPublicationHistory
{
    /// <summary>The partition of run records; '~' cannot start a seat's slug, so it never meets a seat's partition.</summary>
    public const string RunsPartition = "~runs";

    private const string StatePartition = "~state";
    private const string StateRow = "site";
    private const string SiteDigestProperty = "SiteDigest";
    private const string SequenceProperty = "Sequence";

    // Beside the site's state, never in it: the state is written whole by every run that records pages.
    private const string ToldRow = "told";
    private const string RollbackRow = "rollback";

    private const int BatchSize = 100;

    // The pages' entities as a run read them to date its pages, with the number of the last finished
    // ledger write then: the same run reconciles against them rather than querying every entity again.
    private ReadPages? _readForRun;

    public TableClient Table => table;

    /// <summary>
    /// Brings the pages in line with the published site; returns how many entities changed. When the
    /// ledger last matched this very site (same pages, digests and URLs) it is left alone after one
    /// point read, so a run that changed nothing does not read every page's entity.
    /// </summary>
    public Task<int> RecordPagesAsync(IReadOnlyList<PublishedPage> published, string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordPagesAsync(published, runId, at, readForRun: null, cancellationToken);

    private async Task<int> RecordPagesAsync(IReadOnlyList<PublishedPage> published, string runId, DateTimeOffset at, ReadPages? readForRun, CancellationToken cancellationToken)
    {
        var siteDigest = Hashing.Sha256Hex(string.Join('\n', published
            .Select(p => $"{p.Seat}\0{p.Slug}\0{p.Language}\0{p.Sha256}\0{p.ContentSha256}\0{p.Url}")
            .Order(StringComparer.Ordinal)));
        long sequence = 0;
        try
        {
            var state = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (state.HasValue && state.Value!.GetString(SiteDigestProperty) == siteDigest)
            {
                return 0;
            }

            sequence = state.HasValue ? state.Value!.GetInt64(SequenceProperty) ?? 0 : 0;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        // Read by this run under its lease: they are the entities as they stand while no write has finished since.
        var known = readForRun?.Sequence == sequence ? readForRun.Records : null;
        var (changes, recorded) = await ReconcilePagesAsync(published, runId, at, sequence, known, cancellationToken).ConfigureAwait(false);

        // Recorded last: a run that dies before this point leaves the next run to reconcile again, and
        // readers of the changes see none of its writes until then.
        await table.UpsertEntityAsync(new TableEntity(StatePartition, StateRow) { [SiteDigestProperty] = siteDigest, ["RunId"] = runId, [SequenceProperty] = recorded },
            TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return changes;
    }

    /// <summary>
    /// The number of the last ledger write that finished: every change with a number up to it is
    /// recorded whole, and one with a later number belongs to a run still writing. 0 before the first.
    /// </summary>
    public async Task<long> ReadSequenceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var state = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, StateRow, [SequenceProperty], cancellationToken).ConfigureAwait(false);
            return state.HasValue ? state.Value!.GetInt64(SequenceProperty) ?? 0 : 0;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The last ledger write whose changes the associations' webhooks were queued for; null before a run first kept it.</summary>
    public async Task<long?> ReadToldThroughAsync(CancellationToken cancellationToken)
    {
        try
        {
            var told = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, ToldRow, [SequenceProperty], cancellationToken).ConfigureAwait(false);
            return told.HasValue ? told.Value!.GetInt64(SequenceProperty) : null;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Keeps that every change up to the ledger write <paramref name="sequence"/> has had its webhooks queued.</summary>
    public async Task RecordToldThroughAsync(long sequence, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(StatePartition, ToldRow) { [SequenceProperty] = sequence }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every page published now, by output path, with the first and last publication of its bytes. A run
    /// reads this before it renders and records its pages after; <see cref="IPublicationHistory.RecordAsync"/>
    /// then reconciles against the entities read here, unless a ledger write finished in between.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PageHistory>> ReadAsync(CancellationToken cancellationToken)
    {
        _readForRun = null;
        var pages = new Dictionary<string, PageHistory>(StringComparer.Ordinal);
        var records = new List<PageRecord>();
        var sequence = await ReadSequenceAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey lt {"~"}");
            await foreach (var record in table.QueryAsync<PageRecord>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
                if (record.Removed is null)
                {
                    pages[record.Path] = HistoryOf(record);
                }
                else
                {
                    pages.TryAdd(record.Path, HistoryOf(record));
                }
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // No ledger yet: the run's record of its pages creates it.
            return pages;
        }

        _readForRun = new ReadPages(sequence, records);
        return pages;
    }

    /// <summary>
    /// A record as a run dates its page. A removed page that comes back keeps its first publication in
    /// its feeds and pages.json, as the ledger keeps it, and no article matches, so it is updated now.
    /// </summary>
    private static PageHistory HistoryOf(PageRecord record) =>
        new(record.ContentSha256, record.FirstPublished, record.LastPublished) { Removed = record.Removed };

    Task<int> IPublicationHistory.RecordAsync(IReadOnlyList<PublishedPage> pages, string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RecordPagesAsync(pages, runId, at, Interlocked.Exchange(ref _readForRun, null), cancellationToken);

    private sealed record ReadPages(long Sequence, List<PageRecord> Records);

    /// <summary>Writes the changes as the ledger write after <paramref name="sequence"/>; returns how many, and the number of the last write the ledger now holds.</summary>
    private async Task<(int Changes, long Sequence)> ReconcilePagesAsync(IReadOnlyList<PublishedPage> published, string runId, DateTimeOffset at, long sequence, List<PageRecord>? read, CancellationToken cancellationToken)
    {
        var known = new Dictionary<(string, string), PageRecord>();
        if (read is not null)
        {
            foreach (var record in read)
            {
                known[(record.PartitionKey, record.RowKey)] = record;
            }
        }
        else
        {
            try
            {
                // Seats' slugs sort before '~', the first character of the ledger's own partitions.
                var filter = TableClient.CreateQueryFilter($"PartitionKey lt {"~"}");
                await foreach (var record in table.QueryAsync<PageRecord>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    known[(record.PartitionKey, record.RowKey)] = record;
                }
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // A run that died after some of its batches left them numbered past the last finished write;
        // they are numbered no later than this write, and count as made once it finishes.
        var unfinished = known.Values.Count(r => r.LatestSequence > sequence);
        var next = Math.Max(sequence, known.Values.Select(r => r.LatestSequence).DefaultIfEmpty().Max()) + 1;
        var changes = new List<PageRecord>();
        var current = new HashSet<(string, string)>();
        foreach (var page in published)
        {
            var key = (page.Seat, PageRecord.RowKeyFor(page.Slug, page.Language));
            current.Add(key);
            if (known.TryGetValue(key, out var record) && record.Sha256 == page.Sha256 && record.ContentSha256 == page.ContentSha256 && record.Removed is null && record.Url == page.Url)
            {
                continue;
            }

            // The dates the run's feeds were built with: a page keeps its last publication while its article is unchanged.
            var history = record is null ? null : HistoryOf(record);
            var keepsLast = history?.Holds(page.ContentSha256) == true;
            var dates = PageDates.For(history, page.ContentSha256, at);
            changes.Add(new PageRecord
            {
                PartitionKey = key.Seat,
                RowKey = key.Item2,
                Seat = page.Seat,
                Page = page.Slug,
                Language = page.Language,
                Sha256 = page.Sha256,
                ContentSha256 = page.ContentSha256,
                Url = page.Url,
                Path = page.Path,
                // A page that comes back keeps its first publication: readers of the changes since then
                // had it, and are told of its removal should it go again.
                FirstPublished = dates.Published,
                Returned = record?.Removed is not null ? dates.Updated : record?.Returned,
                LastPublished = dates.Updated,
                FirstSequence = record is null ? next : record.FirstSequence,
                ReturnedSequence = record?.Removed is not null ? next : record?.ReturnedSequence,
                LastSequence = keepsLast ? record!.LastSequence : next,
                RunId = runId,
            });
        }

        foreach (var (key, record) in known.Where(k => k.Value.Removed is null && !current.Contains(k.Key)))
        {
            record.Removed = PageDates.Latest(at, record.LastPublished);
            record.RemovedSequence = next;
            record.RunId = runId;
            changes.Add(record);
        }

        var batches = changes.GroupBy(c => c.PartitionKey).SelectMany(partition => partition.Chunk(BatchSize)).ToList();
        if (batches.Count > 0)
        {
            // Withdrawn before the first batch: should the run stop part way, the next run must not take
            // the ledger as matching the site it last finished, even when it publishes that very site.
            await table.UpsertEntityAsync(new TableEntity(StatePartition, StateRow) { [SiteDigestProperty] = string.Empty }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return changes.Count > 0 ? (changes.Count, next) : (unfinished, Math.Max(sequence, next - 1));
    }

    public async Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpsertEntityAsync(run, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await table.UpsertEntityAsync(run, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The most recent runs, newest first.</summary>
    public async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(int take, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RunsPartition}");
        try
        {
            await foreach (var run in table.QueryAsync<RunRecord>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                runs.Add(run);
                if (runs.Count == take)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return runs;
    }

    /// <summary>Every page one seat has published or withdrawn.</summary>
    public async Task<IReadOnlyList<PageRecord>> ReadSeatAsync(string seat, CancellationToken cancellationToken)
    {
        var pages = new List<PageRecord>();
        try
        {
            await foreach (var page in table.QueryAsync<PageRecord>(p => p.PartitionKey == seat, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                pages.Add(page);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return pages;
    }

    /// <summary>
    /// Holds the site as a rollback left it while the content is what it was then (<paramref name="contentDigest"/>):
    /// scheduled runs leave the site alone until the content changes.
    /// </summary>
    public async Task HoldRollbackAsync(string runId, string contentDigest, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(StatePartition, RollbackRow) { ["RunId"] = runId, ["ContentDigest"] = contentDigest };
        try
        {
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The rollback the site is held at, if any: the run it restored and the content digest it holds for.</summary>
    public async Task<(string RunId, string ContentDigest)?> ReadRollbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entity = await table.GetEntityIfExistsAsync<TableEntity>(StatePartition, RollbackRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            return entity.HasValue ? (entity.Value!.GetString("RunId") ?? string.Empty, entity.Value.GetString("ContentDigest") ?? string.Empty) : null;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task ReleaseRollbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(StatePartition, RollbackRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }
    }

    /// <summary>Rows of runs sort newest first: the key counts down from the end of time.</summary>
    public static string RunRowKey(DateTimeOffset started, string runId) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - started.UtcTicks:D19}_{runId}");
}
