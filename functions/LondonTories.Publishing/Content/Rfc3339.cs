using System.Globalization;

namespace LondonTories.Publishing.Content;

/// <summary>RFC 3339 in UTC to the second, as Atom, JSON Feed, sitemaps and Open Graph all accept: every date the site shows.</summary>
public static class Rfc3339
{
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
