using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Feeds;

/// <summary>One feed, whatever its format.</summary>
public sealed record Feed(
    string Id,
    string Title,
    string Language,
    string HomeUrl,
    FeedPaths Paths,
    string Author,
    DateTimeOffset Updated,
    ImmutableArray<FeedEntry> Entries)
{
    /// <summary>About the bytes either format takes: markup in articles grows as it is escaped.</summary>
    internal int EstimatedSize => (int)Math.Min(Array.MaxLength, 4096 + Entries.Sum(e => (long)((e.ContentHtml.Length * 3 / 2) + e.Title.Length + (e.Summary?.Length ?? 0) + e.Url.Length + e.Id.Length + 512)));
}

/// <summary>One page in a feed: its article whole, imprint included, and its true dates.</summary>
public sealed record FeedEntry(
    string Id,
    string Title,
    string? Summary,
    string Url,
    string Language,
    DateTimeOffset Published,
    DateTimeOffset Updated,
    string ContentHtml,
    string? Image)
{
    /// <summary>The image's media type, when its name tells it.</summary>
    public string? ImageType { get; init; }

    /// <summary>The image's size in bytes, when the site itself holds it.</summary>
    public long? ImageLength { get; init; }
}

/// <summary>Entry ids that never change while the page keeps its seat, slug and language, whatever its edits.</summary>
public static class FeedIds
{
    // A tag: URI (RFC 4151) rather than the page's URL, so moving the site to another address does not
    // make every reader see every page as new. The date only scopes the name and never changes.
    private const string TagDate = "2026";

    public static string Seat(Site site, string seat, string language) => $"tag:{Authority(site)},{TagDate}:{seat}/{language}";

    public static string Page(Site site, string seat, string slug, string language) => $"tag:{Authority(site)},{TagDate}:{seat}/{language}/{slug}";

    public static string London(Site site) => $"tag:{Authority(site)},{TagDate}:london";

    public static string LondonPage(Site site, string slug) => $"tag:{Authority(site)},{TagDate}:london/{slug}";

    // Parsed once per address: every entry of every feed names it.
    private static string Authority(Site site) => Authorities.GetOrAdd(site.BaseUrl, url => new Uri(url).Host);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Authorities = new(StringComparer.Ordinal);
}
