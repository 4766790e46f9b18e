using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// The links of the pages a run renders that point into the site, checked once every path the run
/// publishes is known. A link to nothing is a warning, not an error: the rest of the page is still
/// worth publishing, but readers who follow it get 'not found', so it is reported where it is written.
/// </summary>
internal sealed partial class BodyLinks(SitePlan plan)
{
    private readonly ConcurrentBag<(PlannedPage Page, string Path, bool Picture, bool Outside)> _links = [];

    private Site Site => plan.Content.Site;

    /// <summary>The path the site is published under, without its last slash: empty for a site at the root of its domain.</summary>
    private string BasePath => field ??= Site.BasePath;

    /// <summary>Takes the links of a page's article (its body as published, imprint and all).</summary>
    public void Collect(PlannedPage page, byte[] article)
    {
        if (article.AsSpan().IndexOf("href="u8) < 0 && article.AsSpan().IndexOf("<img"u8) < 0)
        {
            return;
        }

        Uri? address = null;
        foreach (Match link in Target().Matches(Encoding.UTF8.GetString(article)))
        {
            var picture = link.Groups[2].Success;
            var href = System.Net.WebUtility.HtmlDecode(link.Groups[picture ? 2 : 1].Value);
            if (SitePathOf(address ??= AddressOf(page), href) is { } path)
            {
                _links.Add((page, path.Path, picture, path.Outside));
            }
        }
    }

    /// <summary>Reports each link whose target is none of <paramref name="published"/> (output paths such as <c>web/battersea/housing/index.html</c>, with their digests).</summary>
    /// <remarks>Looked up by key, never as a collection of keys: a concurrent dictionary's keys are a list, which made a page of a thousand links take seconds.</remarks>
    public void Report(IReadOnlyDictionary<string, string> published, DiagnosticBag diagnostics)
    {
        // Each page's text is read for its links once, however many of them lead nowhere.
        var writtenIn = new Dictionary<(string, bool), Dictionary<(string, bool), (string Written, SourceLocation Location, bool Markdown)>>();
        var seatPages = new Lazy<ILookup<string, PlannedPage>>(() => plan.Seats.SelectMany(s => s.AllPages.Select(p => (s.Seat.Slug, p))).ToLookup(x => x.Slug, x => x.p, StringComparer.Ordinal));
        var slugs = new Lazy<HashSet<string>>(() => [.. plan.Content.Pages.Select(p => p.Slug)]);
        foreach (var (page, path, picture, outside) in _links)
        {
            // A link on the domain outside the site's path may be another site's, and is checked only
            // where it names a path of this site: the same link written as if the site were at the root.
            if (Leads(path, published) != outside)
            {
                continue;
            }

            if (!writtenIn.TryGetValue((page.Path, picture), out var links))
            {
                writtenIn[(page.Path, picture)] = links = WrittenLinks(page, picture);
            }

            // A link the text makes some other way (a layout, an expression) is shown as a path, with the
            // seat's slug as the expression that writes it, at the start of the text, so the same mistake
            // on every seat's page is reported once.
            var (written, location, markdown) = links.TryGetValue((path, outside), out var found) ? found : (Shown(page, path, underBase: !outside), page.File.Body.Template.Origin, false);

            // A picture of the site written in Markdown was checked when the page was read, and one made
            // some other way is a layout's; one written as HTML, or leading outside a site published under
            // a path, is checked here.
            if (picture && !outside && (markdown || location == page.File.Body.Template.Origin))
            {
                continue;
            }

            diagnostics.Add(outside
                ? new Diagnostic(location, "broken-link",
                    $"the {(picture ? "picture" : "link")} '{written}' leads outside the site, which is published under {BasePath}/, so readers get another site's page or 'not found'.",
                    $"Did you mean '{Shown(page, path)}'? Every address of the site begins with {BasePath}/.", DiagnosticSeverity.Warning)
                { Subjects = [page.Seat.Slug] }
                : new Diagnostic(location, "broken-link",
                    picture
                        ? $"the picture '{written}' is not published by this site, so readers see it broken."
                        : $"the link '{written}' leads to nothing this site publishes, so readers who follow it get 'not found'.",
                    HintFor(page, written, path, seatPages.Value[page.Seat.Slug], slugs.Value), DiagnosticSeverity.Warning)
                { Subjects = [page.Seat.Slug] });
        }
    }

    /// <summary>
    /// The site path a link leads to (no query or fragment), below the site's own path; for a link
    /// elsewhere on the domain, its path there, marked outside; null when it leads off the domain or nowhere to check.
    /// </summary>
    private (string Path, bool Outside)? SitePathOf(Uri pageAddress, string href)
    {
        if (href.Length == 0 || href[0] == '#')
        {
            return null;
        }

        if (!Uri.TryCreate(pageAddress, href, out var target) || target.Scheme is not ("http" or "https")
            || !string.Equals(target.Host, pageAddress.Host, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = Uri.UnescapeDataString(target.AbsolutePath);
        return Site.PathWithin(BasePath, path) is { } within ? (within, false) : (path, true);
    }

    private Uri AddressOf(PlannedPage page) => new(Site.UrlFor(PathOf(page)));

    private static bool Leads(string path, IReadOnlyDictionary<string, string> published) =>
        path.EndsWith('/')
            ? published.ContainsKey("web" + path + "index.html")
            : published.ContainsKey("web" + path) || published.ContainsKey("web" + path + "/index.html");

    /// <summary>The broken link, or the post link to no page, that a diagnostic names leads to one of <paramref name="slugs"/>' pages, by its last segment.</summary>
    public static bool LeadsToOneOf(Diagnostic diagnostic, IReadOnlySet<string> slugs) =>
        diagnostic.Code is "broken-link" or "link-missing" && QuotedLink().Match(diagnostic.Message) is { Success: true } link
        && slugs.Contains(link.Groups[1].Value.Split('?', '#')[0].TrimEnd('/').Split('/')[^1]);

    [GeneratedRegex("'([^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedLink();

    private static string PathOf(PlannedPage page) => "/" + page.Path["web/".Length..^"index.html".Length];

    private string HintFor(PlannedPage page, string written, string path, IEnumerable<PlannedPage> seatPages, HashSet<string> slugs)
    {
        // 'www.gov.uk' or 'https//gov.uk' reads as a path on this site: another site was meant.
        if (LinkSchemes.Meant(written) is { } elsewhere)
        {
            return $"Did you mean '{elsewhere}'? A link to another site is written in full, from its https://.";
        }

        var last = path.TrimEnd('/').Split('/')[^1];
        if (seatPages.FirstOrDefault(p => p.Slug == last && p.Language == page.Language) is { } meant)
        {
            return $"Did you mean '{Shown(page, PathOf(meant))}'? " +
                $"A page is published at each seat's own address, {BasePath}/<seat>/<slug>/; '../{last}/' also leads there from a page beside it.";
        }

        if (seatPages.FirstOrDefault(p => p.Slug == last && p.Language == Site.Language) is { } original && page.Language != Site.Language)
        {
            return $"The page '{last}' has no '{page.Language}' translation: link to the page in '{Site.Language}' at " +
                $"'{Shown(page, PathOf(original))}', or translate it as {Path.ChangeExtension(original.File.Path[(original.File.Path.IndexOf("pages/", StringComparison.Ordinal))..], null)}.{page.Language}.md.";
        }

        if (slugs.Contains(last))
        {
            return $"The page '{last}' is not published for these seats at this time: it is scheduled for later, expired, a draft, or its audience leaves them out.";
        }

        var own = seatPages.Where(p => p.Language == page.Language).ToList();
        if (DidYouMean.Suggest(last, own.Select(p => p.Slug)) is { } near && own.First(p => p.Slug == near) is var nearly)
        {
            return $"Did you mean '{Shown(page, PathOf(nearly))}'? " +
                $"A page is published at each seat's own address, {BasePath}/<seat>/<slug>/.";
        }

        return $"Check the address: pages are published at {BasePath}/<seat>/<slug>/, and a file under static/ at its path below static/, e.g. static/docs/a.pdf at {BasePath}/docs/a.pdf.";
    }

    /// <summary>
    /// Each link as the page's text writes it, and where, by the site path it leads to: the article
    /// makes every link a full address, so each link written in the text is resolved as the seat's page
    /// resolves it, and the first to lead to a path stands for it.
    /// </summary>
    private Dictionary<(string, bool), (string Written, SourceLocation Location, bool Markdown)> WrittenLinks(PlannedPage page, bool picture)
    {
        var body = page.File.Body.Template;
        var links = new Dictionary<(string, bool), (string, SourceLocation, bool)>();
        var address = AddressOf(page);
        foreach (Match link in (picture ? WrittenPicture() : WrittenLink()).Matches(body.Source))
        {
            var group = link.Groups[1].Success ? link.Groups[1] : link.Groups[2];
            var resolved = SeatSlug().Replace(System.Net.WebUtility.HtmlDecode(group.Value), page.Seat.Slug);
            if (SitePathOf(address, resolved) is { } path && !links.ContainsKey(path))
            {
                links[path] = (group.Value, body.LocationOf(group.Index), link.Groups[1].Success);
            }
        }

        return links;
    }

    /// <summary>A site path as a link to it is written in any seat's text: under the site's path, with the seat's slug as the expression that writes it.</summary>
    private string Shown(PlannedPage page, string path, bool underBase = true) =>
        (underBase ? BasePath : string.Empty) + path.Replace($"/{page.Seat.Slug}/", "/{{ constituency.slug }}/", StringComparison.Ordinal);

    // A link's target is written before the template runs, so it may hold expressions with spaces;
    // one is bounded, so a line of unclosed braces costs no more than a line.
    [GeneratedRegex(@"\]\(\s*<?((?:\{\{[^}\n]{0,200}\}\}|[^)\s>])+)|href\s*=\s*""([^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex WrittenLink();

    [GeneratedRegex(@"\{\{-?\s*constituency\.slug\s*-?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex SeatSlug();

    [GeneratedRegex(@"!\[[^\]\n]*\]\(\s*<?((?:\{\{[^}\n]{0,200}\}\}|[^)\s>])+)|src\s*=\s*""([^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex WrittenPicture();

    [GeneratedRegex("<a\\s[^>]*?href=\"([^\"]*)\"|<img\\s[^>]*?src=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Target();
}
