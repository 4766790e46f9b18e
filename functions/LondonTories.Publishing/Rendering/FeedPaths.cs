using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Rendering;

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
