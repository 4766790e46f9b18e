using System.Collections.Immutable;
using LondonTories.Publishing.Approvals;

namespace LondonTories.Publishing.Pipeline;

/// <summary>The articles a plan's pages publish, by page and seat: what a page's approval is bound to.</summary>
public static class PageApprovals
{
    /// <param name="files">The build's files, by path: each fragment's SHA-256 is its article's.</param>
    public static ImmutableDictionary<string, ImmutableDictionary<string, ImmutableArray<PageArticle>>> Articles(SitePlan plan, IReadOnlyDictionary<string, string> files) =>
        plan.Seats.SelectMany(s => s.AllPages)
            .Where(p => files.ContainsKey(SiteFeeds.FragmentPath(p)))
            .Select(p => new PageArticle(p.Slug, p.Seat.Slug, p.Language, files[SiteFeeds.FragmentPath(p)]))
            .GroupBy(a => a.Slug, StringComparer.Ordinal)
            .ToImmutableDictionary(
                g => g.Key,
                g => g.GroupBy(a => a.Seat, StringComparer.Ordinal).ToImmutableDictionary(s => s.Key, s => s.ToImmutableArray(), StringComparer.Ordinal),
                StringComparer.Ordinal);

    /// <summary>Where each seat's version of each page stands, in seat and page order.</summary>
    public static ImmutableArray<PageApproval> StatesOf(SitePlan plan, IReadOnlyDictionary<string, string> files, ApprovalBook approvals)
    {
        var site = plan.Content.Site;
        if (!site.Approval.Pages)
        {
            return [];
        }

        var articles = Articles(plan, files);
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
