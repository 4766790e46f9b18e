using System.Collections.Immutable;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>The articles a plan's pages publish, by page and seat: what a page's approval is bound to.</summary>
public static partial class PageApprovals
{
    /// <param name="build">The build of <paramref name="plan"/>: each fragment's SHA-256 is its article's, with those of the site's files it shows or links.</param>
    public static ImmutableDictionary<string, ImmutableDictionary<string, ImmutableArray<PageArticle>>> Articles(SitePlan plan, SiteBuild build)
    {
        var files = build.AllFiles;

        // Every seat's version of a page is read from the same file: its site paths are found once.
        var shownByFile = new Dictionary<Content.PageFile, string[]>(ReferenceEqualityComparer.Instance);
        var longest = files.Keys.Select(path => path.Length).DefaultIfEmpty(0).Max();
        return plan.Seats.SelectMany(s => s.AllPages)
            .Where(p => files.ContainsKey(SiteFeeds.FragmentPath(p)))
            .Select(p => new PageArticle(p.Slug, p.Seat.Slug, p.Language, ArticleSha256(p, build, shownByFile, longest)))
            .GroupBy(a => a.Slug, StringComparer.Ordinal)
            .ToImmutableDictionary(
                g => g.Key,
                g => g.GroupBy(a => a.Seat, StringComparer.Ordinal).ToImmutableDictionary(s => s.Key, s => s.ToImmutableArray(), StringComparer.Ordinal),
                StringComparer.Ordinal);
    }

    /// <summary>
    /// The article's SHA-256, bound as well to the site's own files it shows or links (a picture, a
    /// leaflet) and to its share picture: the article's HTML names their addresses, not their bytes, so
    /// another picture under the same name would otherwise go out as approved. A page with none keeps
    /// its article's digest alone, as approvals given before were bound to.
    /// </summary>
    /// <param name="longest">The length of the longest path in the build's files: no address written longer can name one of them.</param>
    private static string ArticleSha256(PlannedPage page, SiteBuild build, Dictionary<Content.PageFile, string[]> shownByFile, int longest)
    {
        var files = build.AllFiles;
        var article = files[SiteFeeds.FragmentPath(page)];
        if (!shownByFile.TryGetValue(page.File, out var paths))
        {
            shownByFile[page.File] = paths = [.. SitePaths(page.File.Body.Template.Source, longest).Where(files.ContainsKey).Distinct(StringComparer.Ordinal)];
        }

        // A template can build an address the page's text never holds whole ("/images/" + name, a seat's
        // own data, a snippet it includes): the article as rendered for this seat names it.
        if (!page.File.Body.Template.IsStatic && build.Article(page) is { } rendered)
        {
            paths = [.. paths.Union(SitePaths(rendered, longest).Where(files.ContainsKey), StringComparer.Ordinal)];
        }

        var shown = paths
            .Order(StringComparer.Ordinal)
            .Select(path => $"{path}\0{files[path]}")
            .ToList();
        if (page.File.Image is { } image)
        {
            shown.Add($"image\0{image}\0{(image.StartsWith('/') && files.TryGetValue("web" + image, out var picture) ? picture : string.Empty)}");
        }

        return shown.Count == 0 ? article : Content.Hashing.Sha256Hex($"{article}\n{string.Join('\n', shown)}");
    }

    /// <summary>
    /// Every output path the text could name, as "web/…": the text from each slash up to where an
    /// address ends. An address need not follow '](' or a quoted src or href to be shown: a reference
    /// link's definition, an unquoted or srcset attribute, the site's full address, an entity or a
    /// backslash escape in place of a slash all lead a reader's browser to the same file.
    /// </summary>
    private static IEnumerable<string> SitePaths(string source, int longest)
    {
        foreach (var text in new[] { source, Unescaped().Replace(System.Net.WebUtility.HtmlDecode(source), "$1") }.Distinct(StringComparer.Ordinal))
        {
            for (var at = text.IndexOf('/'); at >= 0; at = text.IndexOf('/', at + 1))
            {
                // Read no further than the longest path, written with every character escaped, could run:
                // otherwise each slash of a long run of them would be read to its end, and kept.
                var window = text.AsSpan(at, Math.Min(text.Length - at, (3 * longest) + 1));
                var end = window.IndexOfAny(AddressEnds);
                if (end < 0 && window.Length == text.Length - at)
                {
                    end = window.Length;
                }

                if (end >= 0)
                {
                    var path = text.Substring(at, end);
                    yield return "web" + path;
                    yield return "web" + Uri.UnescapeDataString(path);
                }
            }
        }
    }

    private static readonly System.Buffers.SearchValues<char> AddressEnds = System.Buffers.SearchValues.Create(" \t\r\n)>\"'#?<]");

    // Markdown's backslash escape of a punctuation mark, which its link destinations resolve.
    [System.Text.RegularExpressions.GeneratedRegex(@"\\([!-/:-@\[-`{-~])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Unescaped();

    /// <summary>Where each seat's version of each page stands, in seat and page order.</summary>
    public static ImmutableArray<PageApproval> StatesOf(SitePlan plan, SiteBuild build, ApprovalBook approvals)
    {
        var site = plan.Content.Site;
        if (!site.Approval.Pages)
        {
            return [];
        }

        var articles = Articles(plan, build);
        return [.. plan.Seats.OrderBy(s => s.Seat.Slug, StringComparer.Ordinal).SelectMany(seat => seat.AllPages.Select(p => p.Slug).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(articles.ContainsKey)
            .Select(slug => new PageApproval(slug, seat.Seat.Slug, approvals.PageStateOf(site, slug, seat.Seat, articles[slug]))))];
    }

    /// <summary>The plan without the given seats' versions of the given pages; a seat's other languages left empty go too.</summary>
    public static SitePlan Without(SitePlan plan, IReadOnlySet<(string Slug, string Seat)> withheld) => plan with
    {
        Seats = [.. plan.Seats.Select(seat => seat with
        {
            Editions = [.. seat.Editions
                .Select(e => e with { Pages = [.. e.Pages.Where(p => !withheld.Contains((p.Slug, seat.Seat.Slug)))] })
                .Where((e, i) => i == 0 || !e.Pages.IsEmpty)],
        })],
    };
}
