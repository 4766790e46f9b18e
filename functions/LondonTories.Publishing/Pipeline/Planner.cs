using System.Collections.Immutable;
using System.Text;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using Scriban.Runtime;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// Decides, for each seat and language, which variant of each page it gets at a moment: the most
/// specific audience match wins (seat, borough, tag, all) and equally specific variants are an error.
/// </summary>
public sealed class Planner(TemplateSandbox sandbox)
{
    public SitePlan Plan(SiteContent content, DateTimeOffset now, DiagnosticBag diagnostics)
    {
        var site = content.Site;
        var originals = content.Pages.Where(p => !p.IsTranslation).ToList();
        var translations = content.Pages.Where(p => p.IsTranslation)
            .ToLookup(p => PageChoice.OriginalPathOf(p), StringComparer.Ordinal);
        var variantsBySlug = originals.GroupBy(p => p.Slug, StringComparer.Ordinal).ToList();

        ReportTies(variantsBySlug, content.Constituencies, diagnostics);
        ReportSlugClashes(originals, content.Constituencies, diagnostics);

        var siteModel = ScriptModels.Site(site);
        var seats = new SeatPlan[content.Constituencies.Length];
        Parallel.For(0, seats.Length, i =>
        {
            var seat = content.Constituencies[i];
            var homeUrl = site.UrlFor($"/{seat.Slug}/");
            var seatModel = ScriptModels.Constituency(seat, homeUrl);
            var chosen = new List<(PageFile File, SelectorKind Match)>();
            foreach (var variants in variantsBySlug)
            {
                if (PageChoice.Variant(variants, seat, now) is { } best)
                {
                    chosen.Add(best);
                }
            }

            var languages = new[] { site.Language }.Concat(seat.Languages.Where(l => l != site.Language)).ToList();
            var pagesByLanguage = new Dictionary<string, List<PlannedPage>>(StringComparer.Ordinal);
            foreach (var language in languages)
            {
                var editionPages = new List<PlannedPage>();
                foreach (var (original, match) in chosen)
                {
                    var file = language == site.Language
                        ? original
                        : translations[original.Path].FirstOrDefault(t => t.Language == language && t.IsDueAt(now));
                    if (file is null)
                    {
                        continue;
                    }

                    var root = PageChoice.Root(seat, file.Slug, language, site);
                    var url = site.UrlFor(root);
                    // Most titles and summaries are plain text, for which no model need be made per page and seat.
                    var model = file.Title.IsStatic && file.Summary is not { IsStatic: false }
                        ? null
                        : ScriptModels.Body(seatModel, siteModel, ScriptModels.Freeze(new ScriptObject(3) { ["slug"] = file.Slug, ["url"] = url, ["title"] = file.Slug }), language);
                    var title = (model is null ? file.Title.Source : sandbox.Render(file.Title, model, diagnostics, seat.Slug)) ?? file.Slug;
                    if (string.IsNullOrWhiteSpace(title))
                    {
                        // A literal empty title is refused as the file is read; one a template empties shows only here, seat by seat.
                        diagnostics.ErrorFor(seat.Slug, file.Title.Origin, "empty-title",
                            "the title comes out empty for some seats, whose page would have no heading, tab title or link text.",
                            "Give the title words for every seat (an {{ else }} branch for the others), or give the page only to the seats it suits with audience:.");
                    }

                    var summary = file.Summary is null ? null : model is null ? file.Summary.Source : sandbox.Render(file.Summary, model, diagnostics, seat.Slug);
                    editionPages.Add(new PlannedPage(seat, language, file, match, title.Trim(), summary?.Trim(), $"web{root}index.html", url) { Original = original });
                }

                pagesByLanguage[language] = editionPages;
            }

            // Each language's first page of each slug, as a page's translations name them: looked up, not searched for, per page.
            var firstBySlug = languages.ToDictionary(l => l, l =>
            {
                var bySlug = new Dictionary<string, PlannedPage>(StringComparer.Ordinal);
                foreach (var page in pagesByLanguage[l])
                {
                    bySlug.TryAdd(page.Slug, page);
                }

                return bySlug;
            }, StringComparer.Ordinal);
            var editions = new List<SeatEdition>();
            foreach (var language in languages)
            {
                var pages = pagesByLanguage[language];
                if (language != site.Language && pages.Count == 0)
                {
                    continue;
                }

                var withTranslations = pages
                    .Select(page => page with
                    {
                        Translations = [.. languages
                            .Select(l => firstBySlug[l].GetValueOrDefault(page.Slug))
                            .OfType<PlannedPage>()
                            .Select(p => new PageTranslation(p.Language, p.Title, p.Url))],
                    })
                    .OrderBy(p => p.File.Weight)
                    .ThenBy(p => p.Title, StringComparer.Ordinal)
                    .ThenBy(p => p.Slug, StringComparer.Ordinal)
                    .ToImmutableArray();
                var homeRoot = language == site.Language ? $"/{seat.Slug}/" : $"/{seat.Slug}/{language}/";
                editions.Add(new SeatEdition(seat, language, withTranslations, $"web{homeRoot}index.html", site.UrlFor(homeRoot)));
            }

            seats[i] = new SeatPlan(seat, seatModel, [.. editions]);
        });

        return new SitePlan(content, now, [.. seats]);
    }

    private static void ReportTies(IEnumerable<IGrouping<string, PageFile>> variantsBySlug, ImmutableArray<Constituency> seats, DiagnosticBag diagnostics)
    {
        foreach (var variants in variantsBySlug)
        {
            var live = variants.Where(v => !v.Draft).ToList();
            if (live.Count < 2)
            {
                continue;
            }

            var reported = new HashSet<(string, string)>();
            foreach (var seat in seats)
            {
                var matches = live.Select(v => (File: v, Match: v.Audience.MatchOf(seat))).Where(m => m.Match is not null).ToList();
                if (matches.Count < 2)
                {
                    continue;
                }

                var best = matches.Max(m => m.Match!.Value);
                var tied = matches.Where(m => m.Match == best).Select(m => m.File).ToList();
                for (var a = 0; a < tied.Count; a++)
                {
                    for (var b = a + 1; b < tied.Count; b++)
                    {
                        if (Overlaps(tied[a], tied[b]) && reported.Add((tied[a].Path, tied[b].Path)))
                        {
                            diagnostics.Error(tied[b].Location, "variant-tie",
                                $"{tied[a].Path} and {tied[b].Path} are both variants of '{variants.Key}' for {seat.Slug}, equally specific ({best.ToString().ToLowerInvariant()}), so neither can win.",
                                "Give one of them a more specific audience (a seat beats a borough, a borough beats a tag), or exclude the seat from one.");
                        }
                    }
                }
            }
        }
    }

    // Two variants whose schedules never overlap take turns rather than compete.
    private static bool Overlaps(PageFile a, PageFile b) =>
        (a.ExpireAt is null || b.PublishAt is null || b.PublishAt < a.ExpireAt) &&
        (b.ExpireAt is null || a.PublishAt is null || a.PublishAt < b.ExpireAt);

    private static void ReportSlugClashes(IEnumerable<PageFile> originals, ImmutableArray<Constituency> seats, DiagnosticBag diagnostics)
    {
        var languages = seats.SelectMany(s => s.Languages).ToHashSet(StringComparer.Ordinal);
        foreach (var page in originals.Where(p => languages.Contains(p.Slug)))
        {
            diagnostics.Error(page.SlugLocation ?? page.Location, "slug-clash",
                $"the page slug '{page.Slug}' is also a language code that seats publish, so its address would clash with the '{page.Slug}' pages.",
                page.SlugWritten ? "Choose another slug."
                : $"The slug comes from the file's name: rename the file, or give the page a slug of its own, e.g. slug: {page.Slug}-page.");
        }
    }
}
