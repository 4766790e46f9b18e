using System.Net;
using System.Text;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// What a page's old address holds (<c>aliases:</c>): a page that sends the browser on to the page,
/// names it for anyone whose browser does not follow, tells search engines where the page now is,
/// and carries the imprint, as everything the site publishes does.
/// </summary>
public static class RedirectPage
{
    /// <summary>The output paths of <paramref name="page"/>'s old addresses: its own path with each old slug.</summary>
    public static IEnumerable<string> PathsOf(PlannedPage page) =>
        page.Original.Aliases.Select(alias => string.Concat(page.Path.AsSpan(0, page.Path.Length - $"{page.Slug}/index.html".Length), alias.Slug, "/index.html"));

    public static byte[] For(PlannedPage page, Imprint imprint)
    {
        var url = WebUtility.HtmlEncode(page.Url);
        var title = WebUtility.HtmlEncode(page.Title);
        return Encoding.UTF8.GetBytes($"""
            <!DOCTYPE html>
            <html lang="{page.Language}" dir="{Languages.Direction(page.Language)}">
            <head>
            <meta charset="utf-8">
            <title>{title}</title>
            <link rel="canonical" href="{url}">
            <meta name="robots" content="noindex">
            <meta http-equiv="refresh" content="0; url={url}">
            </head>
            <body>
            <p><a href="{url}">{title}</a></p>
            <footer><p class="imprint">{WebUtility.HtmlEncode(imprint.Text)}</p></footer>
            </body>
            </html>

            """);
    }
}
