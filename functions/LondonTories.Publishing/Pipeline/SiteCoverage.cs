using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Rendering.AudienceBlocks;

namespace LondonTories.Publishing.Pipeline;

/// <summary>What one seat gets of one page: the variant chosen for it, its languages and the inline blocks it keeps.</summary>
public sealed record SeatPageCoverage(
    PlannedPage Page,
    ImmutableArray<string> Languages,
    ImmutableArray<AudienceBlockUse> Blocks)
{
    public SelectorKind Match => Page.Match;

    public string VariantPath => Page.File.Path;

    public IEnumerable<AudienceBlockUse> KeptBlocks => Blocks.Where(b => b.Kept);

    /// <summary>Text written for this seat rather than for all London: a seat, borough or tag variant, and each kept <c>audience</c> block.</summary>
    public int LocalisedItems => (Match > SelectorKind.All ? 1 : 0) + Blocks.Count(b => b.Kept && b.Kind == AudienceBlockKind.Audience);
}

/// <summary>One seat's row of the coverage matrix: for each page slug, what it gets (null where it gets nothing).</summary>
public sealed record SeatCoverage(SeatPlan Seat, ImmutableDictionary<string, SeatPageCoverage> Pages)
{
    /// <summary>How much of what the seat gets was written for it: localised variants and blocks, and each community-language edition.</summary>
    public int LocalisedItems => Pages.Values.Sum(p => p.LocalisedItems) + Seat.Editions.Length - 1;
}

/// <summary>A page slug and every file that can supply it.</summary>
public sealed record CoveredPage(string Slug, ImmutableArray<PageFile> Variants)
{
    public string Title => Variants.FirstOrDefault(v => v.Audience.Include.Contains(AudienceSelector.All))?.Title.Source ?? Variants[0].Title.Source;
}

/// <summary>
/// Where London is covered by local text at a moment: for every seat and page, which variant the plan
/// chose (seat, borough, tag or London-wide), the languages it publishes and the inline audience
/// blocks that apply, as the renderer decides them.
/// </summary>
public sealed record SiteCoverage(SitePlan Plan, ImmutableArray<CoveredPage> Pages, ImmutableArray<SeatCoverage> Seats, ImmutableArray<Diagnostic> Diagnostics)
{
    public static SiteCoverage Measure(SitePlan plan, RenderSession session)
    {
        var diagnostics = new DiagnosticBag();
        var pages = plan.Content.Pages
            .Where(p => !p.IsTranslation)
            .GroupBy(p => p.Slug, StringComparer.Ordinal)
            .Select(g => new CoveredPage(g.Key, [.. g.OrderBy(p => p.Path, StringComparer.Ordinal)]))
            .OrderBy(p => p.Variants.Min(v => v.Weight))
            .ThenBy(p => p.Slug, StringComparer.Ordinal)
            .ToImmutableArray();

        var seats = new SeatCoverage[plan.Seats.Length];
        Parallel.For(0, seats.Length, i =>
        {
            var seat = plan.Seats[i];
            var cells = ImmutableDictionary.CreateBuilder<string, SeatPageCoverage>(StringComparer.Ordinal);
            foreach (var page in seat.Main.Pages)
            {
                var blocks = session.AudienceBlocksFor(seat, page, diagnostics) ?? [];
                cells[page.Slug] = new SeatPageCoverage(page, [.. page.Translations.Select(t => t.Language)], [.. blocks]);
            }

            seats[i] = new SeatCoverage(seat, cells.ToImmutable());
        });

        return new SiteCoverage(plan, pages, [.. seats], diagnostics.ToImmutableSorted());
    }
}
