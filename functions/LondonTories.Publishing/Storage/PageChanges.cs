using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>A page added, updated (its article changed) or removed, as the ledger recorded it.</summary>
public sealed record PageChange(string Type, string Seat, string Slug, string Language, string Url, string? Fragment, DateTimeOffset At)
{
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Removed = "removed";
}

/// <summary>
/// Where a reader of the changes stands: after a numbered write of the ledger (<c>seq-42</c>, what
/// answers and webhooks give), or after a moment (an ISO 8601 time, as cursors were once and as a
/// reader may start). Numbers, not times: a run's writes all carry its number and count as made
/// only once the run has finished, and a run dated earlier than the last (a late tick, a past
/// <c>--now</c>) still comes after it.
/// </summary>
public readonly record struct ChangesCursor(long? Sequence, DateTimeOffset? Time)
{
    private const string SequencePrefix = "seq-";

    public static ChangesCursor After(long sequence) => new(sequence, null);

    public static ChangesCursor After(DateTimeOffset time) => new(null, time);

    /// <summary>Whether a change made at <paramref name="at"/> by ledger write <paramref name="sequence"/> comes after this cursor.</summary>
    public bool Precedes(DateTimeOffset at, long sequence) => Sequence is { } after ? sequence > after : at > Time;

    public override string ToString() => Sequence is { } sequence
        ? SequencePrefix + sequence.ToString(CultureInfo.InvariantCulture)
        : Time!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // ISO 8601 only: a date in a local style (12/01/2026) reads as 1 December in one place and 12 January in another.
    public static bool TryParse(string text, out ChangesCursor cursor)
    {
        cursor = default;
        if (text.StartsWith(SequencePrefix, StringComparison.Ordinal))
        {
            if (long.TryParse(text.AsSpan(SequencePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                cursor = After(sequence);
                return true;
            }

            return false;
        }

        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            cursor = After(time);
            return true;
        }

        return false;
    }

    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];
}

/// <summary>What changed in a seat between two points of its ledger, read from its records, for sync jobs and webhooks.</summary>
public static class PageChanges
{
    /// <summary>
    /// Changes after <paramref name="since"/> (everything published when null) made by ledger writes
    /// up to and including <paramref name="until"/> (every write when null), oldest first. A change a
    /// later, unfinished write made is left for the next answer. A page first published and removed
    /// within the window is left out: the reader never had it. A page that came back within the window
    /// is added again, as the reader may have dropped it on its removal; removed once more, it is
    /// removed for any reader since its first publication, which the page keeps through its absences.
    /// </summary>
    public static ImmutableArray<PageChange> Between(IEnumerable<PageRecord> records, ChangesCursor? since, long? until = null)
    {
        bool Made(long? sequence) => until is null || (sequence ?? 0) <= until;
        bool New(DateTimeOffset at, long? sequence) => since is null || since.Value.Precedes(at, sequence ?? 0);
        var changes = new List<PageChange>();
        foreach (var record in records)
        {
            var fragment = record.Url + "fragment.html";
            if (record.Removed is { } removed && Made(record.RemovedSequence))
            {
                if (since is not null && New(removed, record.RemovedSequence) && !New(record.FirstPublished, record.FirstSequence))
                {
                    changes.Add(new PageChange(PageChange.Removed, record.Seat, record.Page, record.Language, record.Url, null, removed));
                }
            }
            else if (!Made(record.FirstSequence))
            {
                // First published by a write still under way: the next answer has it.
            }
            else if (New(record.FirstPublished, record.FirstSequence))
            {
                changes.Add(new PageChange(PageChange.Added, record.Seat, record.Page, record.Language, record.Url, fragment, record.FirstPublished));
            }
            else if (record.Returned is { } returned && Made(record.ReturnedSequence) && New(returned, record.ReturnedSequence))
            {
                changes.Add(new PageChange(PageChange.Added, record.Seat, record.Page, record.Language, record.Url, fragment, returned));
            }
            else if (Made(record.LastSequence) && New(record.LastPublished, record.LastSequence))
            {
                changes.Add(new PageChange(PageChange.Updated, record.Seat, record.Page, record.Language, record.Url, fragment, record.LastPublished));
            }
        }

        return [.. changes.OrderBy(c => c.At).ThenBy(c => c.Slug, StringComparer.Ordinal).ThenBy(c => c.Language, StringComparer.Ordinal)];
    }

    /// <summary>Changes after a moment, by every write of the ledger.</summary>
    public static ImmutableArray<PageChange> Between(IEnumerable<PageRecord> records, DateTimeOffset? since) =>
        Between(records, since is { } time ? ChangesCursor.After(time) : null);

    /// <summary>The dates as feeds show them, for answers that sit beside feeds.</summary>
    public static string Format(DateTimeOffset at) => Rfc3339.Format(at);
}
