using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Feeds;

namespace LondonTories.Publishing.Storage;

/// <summary>A page added, updated (its article changed) or removed, as the ledger recorded it.</summary>
public sealed record PageChange(string Type, string Seat, string Slug, string Language, string Url, string? Fragment, DateTimeOffset At)
{
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Removed = "removed";
}

/// <summary>What changed in a seat between two moments, read from its ledger records, for sync jobs and webhooks.</summary>
public static class PageChanges
{
    /// <summary>
    /// Changes after <paramref name="since"/> (everything published when null) up to and including
    /// <paramref name="until"/>, oldest first. A page first published and removed within the window is
    /// left out: the reader never had it. A page that came back within the window is added again, as the
    /// reader may have dropped it on its removal; removed once more, it is removed for any reader since
    /// its first publication, which the page keeps through its absences.
    /// </summary>
    public static ImmutableArray<PageChange> Between(IEnumerable<PageRecord> records, DateTimeOffset? since, DateTimeOffset? until = null)
    {
        bool Within(DateTimeOffset at) => (since is null || at > since) && (until is null || at <= until);
        var changes = new List<PageChange>();
        foreach (var record in records)
        {
            var fragment = record.Url + "fragment.html";
            if (record.Removed is { } removed)
            {
                if (Within(removed) && since is not null && record.FirstPublished <= since)
                {
                    changes.Add(new PageChange(PageChange.Removed, record.Seat, record.Page, record.Language, record.Url, null, removed));
                }
            }
            else if (Within(record.FirstPublished))
            {
                changes.Add(new PageChange(PageChange.Added, record.Seat, record.Page, record.Language, record.Url, fragment, record.FirstPublished));
            }
            else if (record.Returned is { } returned && Within(returned))
            {
                changes.Add(new PageChange(PageChange.Added, record.Seat, record.Page, record.Language, record.Url, fragment, returned));
            }
            else if (Within(record.LastPublished))
            {
                changes.Add(new PageChange(PageChange.Updated, record.Seat, record.Page, record.Language, record.Url, fragment, record.LastPublished));
            }
        }

        return [.. changes.OrderBy(c => c.At).ThenBy(c => c.Slug, StringComparer.Ordinal).ThenBy(c => c.Language, StringComparer.Ordinal)];
    }

    /// <summary>The cursor after these records: the latest moment any of them changed, or <paramref name="since"/> when none did.</summary>
    public static DateTimeOffset? Cursor(IEnumerable<PageRecord> records, DateTimeOffset? since)
    {
        var latest = since;
        foreach (var record in records)
        {
            foreach (var at in new[] { record.FirstPublished, record.LastPublished, record.Removed ?? DateTimeOffset.MinValue })
            {
                if (latest is null || at > latest)
                {
                    latest = at;
                }
            }
        }

        return latest;
    }

    /// <summary>Cursors are the ledger's moments, to the tick, so no change is skipped or seen twice.</summary>
    public static string FormatCursor(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // ISO 8601 only: a date in a local style (12/01/2026) reads as 1 December in one place and 12 January in another.
    public static bool TryParseCursor(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParseExact(text, CursorFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    private static readonly string[] CursorFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];

    /// <summary>The dates as feeds show them, for answers that sit beside feeds.</summary>
    public static string Format(DateTimeOffset at) => FeedDates.Format(at);
}
