using System.Net;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// An article's links and images made absolute against its page's address: an article travels (in
/// feeds, embedded in associations' sites), where a relative link resolves against the feed's or the
/// host site's address and leads nowhere. Links within the article (<c>#section</c>) stay as they are.
/// </summary>
internal static partial class ArticleLinks
{
    public static string Absolute(string html, string pageUrl)
    {
        if (!html.Contains("href=\"", StringComparison.Ordinal) && !html.Contains("src=\"", StringComparison.Ordinal))
        {
            return html;
        }

        var page = new Uri(pageUrl);
        return Relative().Replace(html, match =>
        {
            var written = WebUtility.HtmlDecode(match.Groups["url"].Value);
            return Uri.TryCreate(page, written, out var resolved)
                ? $"{match.Groups["name"].Value}=\"{WebUtility.HtmlEncode(resolved.AbsoluteUri)}\""
                : match.Value;
        });
    }

    // A sanitised body quotes every attribute with '"'; relative means no scheme, not '//' and not '#'.
    [GeneratedRegex(@"(?<=\s)(?<name>href|src)=""(?![a-zA-Z][a-zA-Z0-9+.\-]*:|//|#)(?<url>[^""]*)""")]
    private static partial Regex Relative();
}
