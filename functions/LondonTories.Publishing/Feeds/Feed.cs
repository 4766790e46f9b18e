using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Feeds;

/// <summary>Where a feed is published: its Atom and JSON Feed files beside a seat's home page or the hub.</summary>
public sealed record FeedPaths(string AtomPath, string AtomUrl, string JsonPath, string JsonUrl)
{
    public const string AtomFile = "feed.atom";
    public const string JsonFile = "feed.json";

    /// <summary>A seat's feed in one language: <c>/battersea/feed.atom</c>, <c>/tooting/ur/feed.atom</c>.</summary>
    public static FeedPaths For(SeatEdition edition)
    {
        var folder = edition.HomePath[..^"index.html".Length];
        return new FeedPaths(folder + AtomFile, edition.HomeUrl + AtomFile, folder + JsonFile, edition.HomeUrl + JsonFile);
    }

    /// <summary>The London-wide feed at the root of the site.</summary>
    public static FeedPaths London(Site site) =>
        new("web/" + AtomFile, site.UrlFor("/" + AtomFile), "web/" + JsonFile, site.UrlFor("/" + JsonFile));
}

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

public static class FeedDates
{
    /// <summary>RFC 3339 in UTC to the second, as Atom, JSON Feed, sitemaps and Open Graph all accept.</summary>
    /// <remarks>
    /// The standard sortable pattern plus the zone, which the runtime formats without reading a
    /// pattern: a run formats every page's dates several times over (keys, feeds, indexes, sitemap),
    /// and a custom pattern took a microsecond each time.
    /// </remarks>
    public static string Format(DateTimeOffset at) => string.Create(20, at.UtcDateTime, static (text, utc) =>
    {
        utc.TryFormat(text, out _, "s", CultureInfo.InvariantCulture);
        text[^1] = 'Z';
    });
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
