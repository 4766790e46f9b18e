using System.Globalization;
using System.Text;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using static LondonTories.Publishing.Preview.PreviewHtml;

namespace LondonTories.Cli.Preview;

/// <summary>The coverage view: a hex map of London shaded by localised content, and the matrix of pages by seats.</summary>
public static class CoverageHtml
{
    public const int Levels = 4;

    public static string Body(SiteCoverage coverage)
    {
        var site = coverage.Plan.Content.Site;
        var local = SiteClock.ToLocal(coverage.Plan.Now, site.TimeZone);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Coverage on {local:dddd d MMMM yyyy, HH:mm}</h1>\n");
        html.Append("<p class=\"summary\">Which variant of each page every seat gets, in which languages, and which inline audience blocks apply to it.</p>\n");
        AppendMap(html, coverage, site);
        AppendMatrix(html, coverage, site);
        return html.ToString();
    }

    public static int LevelOf(int items, int most) => items <= 0 || most <= 0 ? 0 : (int)Math.Ceiling(Levels * (double)items / most);

    private static void AppendMap(StringBuilder html, SiteCoverage coverage, LondonTories.Publishing.Content.Site site)
    {
        var drawing = LondonHexMap.Draw(coverage.Seats.Select(s => s.Seat.Seat.GssCode));
        var most = coverage.Seats.Select(s => s.LocalisedItems).DefaultIfEmpty().Max();
        html.Append("<section aria-labelledby=\"lt-map-heading\">\n<h2 id=\"lt-map-heading\">Localised content by seat</h2>\n");
        html.Append("<figure class=\"lt-coverage-map\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"{drawing.ViewBox}\" role=\"group\" aria-labelledby=\"lt-map-caption\">\n");
        foreach (var seat in coverage.Seats.OrderBy(s => s.Seat.Seat.Name, StringComparer.Ordinal))
        {
            if (!drawing.Tiles.TryGetValue(seat.Seat.Seat.GssCode, out var tile))
            {
                continue;
            }

            var label = $"{seat.Seat.Seat.Name}: {Items(seat.LocalisedItems)}";
            html.Append(CultureInfo.InvariantCulture,
                $"<a href=\"{Encode(RootRelative(seat.Seat.Main.HomeUrl, site))}\" class=\"lt-level-{LevelOf(seat.LocalisedItems, most)}\" data-seat=\"{Encode(seat.Seat.Seat.Slug)}\" aria-label=\"{Encode(label)}\"><title>{Encode(label)}</title><polygon points=\"{tile.Points}\"/></a>\n");
        }

        html.Append("</svg>\n");
        html.Append("<figcaption id=\"lt-map-caption\">London's seats, one hexagon each, darker where more of what the seat gets was written for it: seat, borough and tag variants, kept audience blocks, and community-language editions. Each hexagon links to the seat's pages.</figcaption>\n");
        html.Append("</figure>\n<ul class=\"lt-legend\">\n");
        html.Append("<li><span class=\"lt-swatch lt-level-0\" aria-hidden=\"true\"></span> none</li>\n");
        foreach (var level in Enumerable.Range(1, most).GroupBy(items => LevelOf(items, most)))
        {
            var range = level.First() == level.Last() ? $"{level.First()}" : $"{level.First()}–{level.Last()}";
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"lt-swatch lt-level-{level.Key}\" aria-hidden=\"true\"></span> {range}</li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }

    private static void AppendMatrix(StringBuilder html, SiteCoverage coverage, LondonTories.Publishing.Content.Site site)
    {
        html.Append("<section aria-labelledby=\"lt-matrix-heading\">\n<h2 id=\"lt-matrix-heading\">Pages by seat</h2>\n");
        html.Append("<p>Each cell names the variant the seat gets: <b>seat</b>, <b>borough</b> or <b>tag</b> for one written for it, <b>London</b> for the London-wide page, or a dash for none at this time; then the languages it is published in and the audience blocks it keeps.</p>\n");
        html.Append("<div class=\"lt-matrix-wrap\" role=\"region\" aria-label=\"Pages by seat, scrollable\" tabindex=\"0\">\n<table class=\"lt-matrix\">\n<thead>\n<tr><th scope=\"col\">Seat</th><th scope=\"col\">Localised</th>");
        foreach (var page in coverage.Pages)
        {
            var variants = string.Join("; ", page.Variants.Select(v => $"{v.Path} ({v.Audience})"));
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" data-slug=\"{Encode(page.Slug)}\" title=\"{Encode(variants)}\">{Encode(page.Slug)}</th>");
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var seat in coverage.Seats.OrderBy(s => s.Seat.Seat.Name, StringComparer.Ordinal))
        {
            var slug = seat.Seat.Seat.Slug;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr id=\"seat-{Encode(slug)}\" data-seat=\"{Encode(slug)}\"><th scope=\"row\"><a href=\"{Encode(RootRelative(seat.Seat.Main.HomeUrl, site))}\">{Encode(seat.Seat.Seat.Name)}</a></th><td>{seat.LocalisedItems}</td>");
            foreach (var page in coverage.Pages)
            {
                if (!seat.Pages.TryGetValue(page.Slug, out var cell))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td class=\"lt-match-none\" data-slug=\"{Encode(page.Slug)}\" data-match=\"none\">–</td>");
                    continue;
                }

                var match = MatchName(cell.Match);
                var shown = cell.Match == SelectorKind.All ? "London" : match;
                html.Append(CultureInfo.InvariantCulture,
                    $"<td class=\"lt-match-{match}\" data-slug=\"{Encode(page.Slug)}\" data-match=\"{match}\" title=\"{Encode(cell.VariantPath)}\"><a href=\"{Encode(RootRelative(cell.Page.Url, site))}\" aria-label=\"{Encode($"{shown} variant of {page.Slug} for {seat.Seat.Seat.Name}")}\">{shown}</a>");
                var languages = cell.Languages.Where(l => l != site.Language).ToList();
                if (languages.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $" <span class=\"lt-langs\">{Encode(string.Join(' ', languages))}</span>");
                }

                var kept = cell.KeptBlocks.ToList();
                if (kept.Count > 0)
                {
                    html.Append("<ul class=\"lt-blocks\">");
                    foreach (var block in kept)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<li title=\"{Encode(block.Location.ToString())}\">{Encode(block.Description)}</li>");
                    }

                    html.Append("</ul>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static string MatchName(SelectorKind kind) => kind switch
    {
        SelectorKind.Seat => "seat",
        SelectorKind.Borough => "borough",
        SelectorKind.Tag => "tag",
        _ => "all",
    };

    private static string Items(int count) => count == 1 ? "1 localised item" : string.Create(CultureInfo.InvariantCulture, $"{count} localised items");
}
