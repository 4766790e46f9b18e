using System.Text.Json.Serialization;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// What the target last published at a page's path: the digest of its article (the fragment: title,
/// summary, body, imprint), when the page first appeared and when that article went out. The article,
/// not the whole page, so a new page in the seat's navigation does not make every page "updated".
/// </summary>
public sealed record PageHistory(string ContentSha256, DateTimeOffset FirstPublished, DateTimeOffset LastPublished)
{
    /// <summary>
    /// When the page left the site, or null while it is published: a page that comes back keeps its
    /// first publication, and is updated when it returns.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Removed { get; init; }

    /// <summary>Whether the article is the one recorded and still published; a record from before articles were digested is taken as it stands.</summary>
    public bool Holds(string contentSha256) => Removed is null && (ContentSha256.Length == 0 || ContentSha256 == contentSha256);
}

/// <summary>A page's true dates: when it first appeared, and when its current article was first published.</summary>
public sealed record PageDates(DateTimeOffset Published, DateTimeOffset Updated)
{
    /// <summary>
    /// The dates a page gets in a run at <paramref name="now"/>: a page the target already holds keeps its
    /// first publication, and keeps its last one too while its article is unchanged. A run dated before
    /// either (a past <c>--now</c>) updates the page no earlier than its last update: a reader who
    /// compares dates must never see an update precede the page's publication, or an edit dated before
    /// the version it replaces.
    /// </summary>
    public static PageDates For(PageHistory? history, string contentSha256, DateTimeOffset now) => history is null
        ? new PageDates(now, now)
        : new PageDates(history.FirstPublished, history.Holds(contentSha256) ? history.LastPublished
            : Latest(now, Latest(history.FirstPublished, history.LastPublished)));

    public static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// Where a target remembers when each page was published: the <c>publications</c> table on Blob
/// Storage, a file beside the containers in a local folder. Feeds, pages.json and the sitemap take
/// their dates from it, so they are the same on every run until the page itself changes.
/// </summary>
public interface IPublicationHistory
{
    /// <summary>Every page published now, by output path.</summary>
    Task<IReadOnlyDictionary<string, PageHistory>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Records the pages the site holds after a run at <paramref name="at"/>; returns how many records changed.</summary>
    Task<int> RecordAsync(IReadOnlyList<PublishedPage> pages, string runId, DateTimeOffset at, CancellationToken cancellationToken);
}
