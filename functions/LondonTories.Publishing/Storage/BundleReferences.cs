using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The site's files that a seat's pages and stylesheets use from outside the seat's folder, by the
/// root-relative addresses they are written with (<c>/assets/site.css</c>, <c>/images/photo.jpg</c>): a
/// bundle unpacked at the root of another site needs them beside the seat's folder.
/// </summary>
internal static partial class BundleReferences
{
    // Pages and feeds are the site's own documents, not files a page uses: another seat's, or London's, stay out.
    private static readonly HashSet<string> Documents = new(StringComparer.OrdinalIgnoreCase) { ".html", ".htm", ".json", ".atom", ".xml" };

    [GeneratedRegex("""(?:src|href|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();

    [GeneratedRegex("""srcset\s*=\s*(?:"([^"]*)"|'([^']*)')""", RegexOptions.IgnoreCase)]
    private static partial Regex SourceSet();

    [GeneratedRegex("""url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)""", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrl();

    /// <summary>The blob names the HTML and CSS among <paramref name="files"/> use outside <paramref name="seatFolder"/>, each once.</summary>
    /// <param name="basePath">The path the site is published under (<c>/london</c>), or empty: an address below it names the blob below it, and any other is not the site's.</param>
    public static List<string> Find(IEnumerable<(string Name, byte[] Bytes)> files, string seatFolder, string basePath = "")
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, bytes) in files)
        {
            var extension = Path.GetExtension(name);
            if (extension.Equals(".html", StringComparison.OrdinalIgnoreCase))
            {
                var html = Encoding.UTF8.GetString(bytes);
                foreach (Match match in Attribute().Matches(html))
                {
                    Add(found, WebUtility.HtmlDecode(Value(match)), seatFolder, basePath);
                }

                foreach (Match match in SourceSet().Matches(html))
                {
                    foreach (var candidate in WebUtility.HtmlDecode(Value(match)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        Add(found, candidate.Split(' ', 2)[0], seatFolder, basePath);
                    }
                }

                foreach (Match match in CssUrl().Matches(html))
                {
                    Add(found, Value(match), seatFolder, basePath);
                }
            }
            else if (extension.Equals(".css", StringComparison.OrdinalIgnoreCase))
            {
                foreach (Match match in CssUrl().Matches(Encoding.UTF8.GetString(bytes)))
                {
                    Add(found, Value(match), seatFolder, basePath);
                }
            }
        }

        return [.. found];
    }

    private static string Value(Match match) => match.Groups.Cast<Group>().Skip(1).FirstOrDefault(g => g.Success)?.Value ?? string.Empty;

    private static void Add(SortedSet<string> found, string address, string seatFolder, string basePath)
    {
        // Root-relative only: a full address is another site's, or the site's own pages.
        if (!address.StartsWith('/') || address.StartsWith("//", StringComparison.Ordinal))
        {
            return;
        }

        if (Site.PathWithin(basePath, address) is not { } within)
        {
            return;
        }

        address = within;

        var path = address[1..];
        var end = path.IndexOfAny(['?', '#']);
        path = Uri.UnescapeDataString(end < 0 ? path : path[..end]);
        if (path.Length == 0 || path.EndsWith('/') || path.StartsWith(seatFolder, StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "" or "." or ".." || segment.Contains('\\'))
            || !Path.HasExtension(path) || Documents.Contains(Path.GetExtension(path)))
        {
            return;
        }

        found.Add(path);
    }
}
