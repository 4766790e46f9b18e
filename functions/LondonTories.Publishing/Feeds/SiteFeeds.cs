using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Feeds;

/// <summary>
/// The feeds of one build: one per seat and language, and one for London listing each London-wide
/// page once. Each feed has an input key over its entries' digests and dates, so an unchanged feed
/// is neither rendered nor written again.
/// </summary>
public sealed class SiteFeeds(
    SitePlan plan,
    Func<SeatPlan, PlannedPage, string?> articleOf,
    IReadOnlyDictionary<string, PageDates> dates,
    IReadOnlyDictionary<string, string> hashes,
    string engineVersion)
{
    /// <summary>A feed still to be rendered: which pages it lists, from which seat, and the key of all it depends on.</summary>
    public sealed record Plan(string Id, string Title, string Language, string HomeUrl, FeedPaths Paths, ImmutableArray<(SeatPlan Seat, PlannedPage Page, string EntryId)> Pages, string Key);

    public static string FragmentPath(PlannedPage page) => page.Path[..^"index.html".Length] + "fragment.html";

    public static string FragmentUrl(PlannedPage page) => page.Url + "fragment.html";

    private Site Site => plan.Content.Site;

    public IEnumerable<Plan> All()
    {
        foreach (var seat in plan.Seats)
        {
            foreach (var edition in seat.Editions)
            {
                yield return Keyed(
                    FeedIds.Seat(Site, seat.Seat.Slug, edition.Language),
                    plan.Content.Strings.For(edition.Language).Format("feed_title", seat: seat.Seat.Name, site: Site.Title),
                    edition.Language,
                    edition.HomeUrl,
                    FeedPaths.For(edition),
                    [.. edition.Pages.Select(p => (seat, p, FeedIds.Page(Site, seat.Seat.Slug, p.Slug, p.Language)))]);
            }
        }

        yield return Keyed(FeedIds.London(Site), Site.Title, Site.Language, Site.UrlFor("/"), FeedPaths.London(Site), LondonWidePages());
    }

    /// <summary>The feed, with each entry's article (its fragment) as <c>articleOf</c> gives it; null when one cannot be had.</summary>
    public Feed? Render(Plan feed)
    {
        var entries = new List<FeedEntry>();
        foreach (var (seat, page, entryId) in feed.Pages)
        {
            var content = articleOf(seat, page);
            if (content is null)
            {
                return null;
            }

            var pageDates = dates[page.Path];
            entries.Add(new FeedEntry(entryId, page.Title, page.Summary, page.Url, page.Language, pageDates.Published, pageDates.Updated, content, PageImage.UrlFor(page.File, Site)));
        }

        // Newest first, as readers expect; ties in a fixed order, so the same history gives the same bytes.
        ImmutableArray<FeedEntry> ordered = [.. entries.OrderByDescending(e => e.Updated).ThenBy(e => e.Id, StringComparer.Ordinal)];
        var updated = ordered.IsEmpty ? plan.Now : ordered.Max(e => e.Updated);
        return new Feed(feed.Id, feed.Title, feed.Language, feed.HomeUrl, feed.Paths, Site.Title, updated, ordered);
    }

    /// <summary>
    /// Each page whose site-wide version (audience <c>all</c>) some seat gets, once: as the first such
    /// seat renders it, since a page may speak of its seat.
    /// </summary>
    private ImmutableArray<(SeatPlan, PlannedPage, string)> LondonWidePages()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<(SeatPlan, PlannedPage, string)>();
        foreach (var seat in plan.Seats)
        {
            foreach (var page in seat.Main.Pages.Where(p => p.Match == SelectorKind.All))
            {
                if (seen.Add(page.Slug))
                {
                    pages.Add((seat, page, FeedIds.LondonPage(Site, page.Slug)));
                }
            }
        }

        return [.. pages];
    }

    private Plan Keyed(string id, string title, string language, string homeUrl, FeedPaths paths, ImmutableArray<(SeatPlan Seat, PlannedPage Page, string EntryId)> pages)
    {
        var parts = new List<string> { engineVersion, plan.Content.Fingerprint, id, title, homeUrl, paths.AtomUrl };
        foreach (var (_, page, entryId) in pages)
        {
            var pageDates = dates[page.Path];
            parts.Add($"{entryId}\0{page.Path}\0{hashes[FragmentPath(page)]}\0{page.Url}\0{FeedDates.Format(pageDates.Published)}\0{FeedDates.Format(pageDates.Updated)}");
        }

        return new Plan(id, title, language, homeUrl, paths, pages, Hashing.Sha256Hex(string.Join('\n', parts)));
    }
}
