using Azure;
using Azure.Data.Tables;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>One post for one seat as the ledger remembers it.</summary>
public sealed class SocialPostRecord : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><c>scheduled</c>, <c>published</c>, <c>failed</c> or <c>missed</c>.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>How many runs tried to send it.</summary>
    public int Attempts { get; set; }

    /// <summary>The run that last changed this entity.</summary>
    public string RunId { get; set; } = string.Empty;

    public DateTimeOffset Scheduled { get; set; }

    public string Path { get; set; } = string.Empty;

    public DateTimeOffset? Published { get; set; }

    /// <summary>The digest of the text that went out.</summary>
    public string SentSha256 { get; set; } = string.Empty;

    /// <summary>The digest of the text as it stands in the content now.</summary>
    public string CurrentSha256 { get; set; } = string.Empty;

    /// <summary>The text was edited after the post went out; the edit was not sent.</summary>
    public bool ChangedAfterPublish { get; set; }

    public string? LastError { get; set; }
}

/// <summary>
/// The social post ledger in the <c>socialposts</c> table: partition = post id, row = seat. The post's
/// blob is the proof that it went out; the ledger follows it, so a run that dies between sending and
/// recording is put right by the next, which finds the blob and records it as published.
/// </summary>
public sealed class SocialPostLedger(TableClient table)
{
    public TableClient Table => table;

    /// <summary>Brings the entities of the posts a run looked at in line with what it found and did; returns how many changed.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<PostOutcome> outcomes, string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return 0;
        }

        var known = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<SocialPostRecord>();
        foreach (var outcome in outcomes)
        {
            known.TryGetValue((outcome.PostId, outcome.Seat), out var before);
            var record = new SocialPostRecord
            {
                PartitionKey = outcome.PostId,
                RowKey = outcome.Seat,
                Status = Name(outcome.Status),
                Attempts = (before?.Attempts ?? 0) + (outcome.Attempted ? 1 : 0),
                RunId = runId,
                Scheduled = outcome.Schedule,
                Path = outcome.Path,
                Published = before?.Published ?? (outcome.Status == PostStatus.Published ? at : null),
                SentSha256 = before?.SentSha256 is { Length: > 0 } sent ? sent : outcome.Status == PostStatus.Published ? outcome.TextSha256 : string.Empty,
                CurrentSha256 = outcome.TextSha256,
                LastError = outcome.Error ?? before?.LastError,
            };

            // A post once missed stays missed, even if the grace period is later made longer.
            if (before?.Status == Name(PostStatus.Missed) && outcome.Status != PostStatus.Published)
            {
                record.Status = before.Status;
            }

            record.ChangedAfterPublish = record.SentSha256.Length > 0 && record.SentSha256 != record.CurrentSha256;
            if (before is not null && Same(before, record))
            {
                continue;
            }

            changes.Add(record);
        }

        await Parallel.ForEachAsync(changes.GroupBy(c => c.PartitionKey).SelectMany(p => p.Chunk(100)), cancellationToken, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        return changes.Count;
    }

    /// <summary>Every post and seat the ledger knows.</summary>
    public async Task<Dictionary<(string Post, string Seat), SocialPostRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var known = new Dictionary<(string, string), SocialPostRecord>();
        try
        {
            await foreach (var record in table.QueryAsync<SocialPostRecord>(maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // Delivery rows (seat.language.channel) share the table; a seat's own row is named by the seat alone.
                if (record.RowKey.Contains('.', StringComparison.Ordinal))
                {
                    continue;
                }

                known[(record.PartitionKey, record.RowKey)] = record;
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        return known;
    }

    public static string Name(PostStatus status) => status.ToString().ToLowerInvariant();

    private static bool Same(SocialPostRecord a, SocialPostRecord b) =>
        a.Status == b.Status && a.Attempts == b.Attempts && a.Scheduled == b.Scheduled && a.Path == b.Path && a.Published == b.Published &&
        a.SentSha256 == b.SentSha256 && a.CurrentSha256 == b.CurrentSha256 && a.ChangedAfterPublish == b.ChangedAfterPublish && a.LastError == b.LastError;
}
