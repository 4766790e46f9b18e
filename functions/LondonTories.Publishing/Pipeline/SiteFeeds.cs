using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Feeds;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

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
    /// <summary>
    /// A feed still to be rendered: which pages it lists (in the feed's order, newest first), from which
    /// seat, and the key of all it depends on. A feed of up to <see cref="MaxKeyedEntries"/> entries
    /// also carries each entry's own key, in its key, so the next run can tell which entries of the
    /// feed it publishes are still right byte for byte.
    /// </summary>
    public sealed record Plan(string Id, string Title, string Language, string HomeUrl, FeedPaths Paths, ImmutableArray<(SeatPlan Seat, PlannedPage Page, string EntryId)> Pages, string Key)
    {
        public ImmutableArray<string> EntryKeys { get; init; } = [];
    }

    /// <summary>Above this many entries a feed's key carries no entry keys: blob metadata, where keys are kept, holds 8 KiB.</summary>
    public const int MaxKeyedEntries = 300;

    private const int EntryKeyLength = 12;

    /// <summary>The file name of a page's article alone, beside its index.html.</summary>
    public const string FragmentFileName = "fragment.html";

    // One string, not a cut of the page's path and then a second: asked several times for every page of every run.
    public static string FragmentPath(PlannedPage page) => string.Concat(page.Path.AsSpan(0, page.Path.Length - "index.html".Length), FragmentFileName);

    public static string FragmentUrl(PlannedPage page) => page.Url + FragmentFileName;

    private Site Site => plan.Content.Site;

    // An enclosure should give its size (RFC 4287 4.2.7.2): known for the images the site publishes
    // itself, by address; one elsewhere is not fetched, so the same content always gives the same feeds.
    private readonly Lazy<Dictionary<string, long>> _siteFileLengths = new(() => plan.Content.StaticFiles
        .DistinctBy(f => f.Path, StringComparer.Ordinal)
        .ToDictionary(f => plan.Content.Site.UrlFor(StaticPaths.EscapedFile("/" + f.Path["static/".Length..])), f => (long)f.Bytes.Length, StringComparer.Ordinal));

    private long? LengthOf(string? image) => image is not null && _siteFileLengths.Value.TryGetValue(image, out var length) ? length : null;

    /// <summary>Every feed of the build, seats' first and London's last, keyed side by side: a key digests every entry of its feed.</summary>
    public IReadOnlyList<Plan> All()
    {
        var editions = plan.Seats.SelectMany(seat => seat.Editions, (seat, edition) => (Seat: seat, Edition: edition)).ToList();
        var plans = new Plan[editions.Count + 1];
        Parallel.For(0, plans.Length, i => plans[i] = i < editions.Count ? SeatFeed(editions[i].Seat, editions[i].Edition) : LondonFeed());
        return plans;
    }

    private Plan SeatFeed(SeatPlan seat, SeatEdition edition) => Keyed(
        FeedIds.Seat(Site, seat.Seat.Slug, edition.Language),
        plan.Content.Strings.For(edition.Language).Format("feed_title", seat: seat.Seat.Name, site: Site.Title),
        edition.Language,
        edition.HomeUrl,
        FeedPaths.For(edition),
        [.. edition.Pages.Select(p => (seat, p, FeedIds.Page(Site, seat.Seat.Slug, p.Slug, p.Language)))]);

    private Plan LondonFeed() => Keyed(FeedIds.London(Site), Site.Title, Site.Language, Site.UrlFor("/"), FeedPaths.London(Site), LondonWidePages());

    /// <summary>
    /// The feed, with each entry's article (its fragment) as <c>articleOf</c> gives it; null when one
    /// cannot be had. With <paramref name="include"/>, only the entries at the positions it accepts,
    /// under the whole feed's head.
    /// </summary>
    public Feed? Render(Plan feed, Func<int, bool>? include = null)
    {
        var entries = new List<FeedEntry>();
        for (var i = 0; i < feed.Pages.Length; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            var (seat, page, entryId) = feed.Pages[i];
            var content = articleOf(seat, page);
            if (content is null)
            {
                return null;
            }

            var pageDates = dates[page.Path];
            var image = PageImage.UrlFor(page.File, Site);
            entries.Add(new FeedEntry(entryId, page.Title, page.Summary, page.Url, page.Language, pageDates.Published, pageDates.Updated, content, image)
            {
                ImageType = image is null ? null : PageImage.MediaType(image),
                ImageLength = LengthOf(image),
            });
        }

        // Atom requires a date even with no entries; the run's moment would give the same history other
        // bytes at every full publish, so an empty feed carries one that never moves.
        var updated = feed.Pages.IsEmpty ? DateTimeOffset.UnixEpoch : feed.Pages.Max(p => dates[p.Page.Path].Updated);
        return new Feed(feed.Id, feed.Title, feed.Language, feed.HomeUrl, feed.Paths, Site.Title, updated, [.. entries]);
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

    /// <summary>
    /// The feed's entries, and the other entries of the feed <paramref name="held"/> whose bytes are
    /// still right, joined into both formats: only the entries that changed are rendered. Without a
    /// held feed whose key names its entries, the whole feed is rendered. Null when an article cannot be had.
    /// </summary>
    public (byte[] Atom, byte[] Json)? Write(Plan feed, HeldFeed? held)
    {
        var reusable = new Dictionary<string, (ReadOnlyMemory<byte> Atom, ReadOnlyMemory<byte> Json)>(StringComparer.Ordinal);
        if (held is { } old && !feed.EntryKeys.IsEmpty && EntryKeysOf(old.Key) is { } oldKeys
            && FeedParts.Atom(old.Atom) is { } oldAtom && FeedParts.Json(old.Json) is { } oldJson
            && oldAtom.Entries.Count == oldKeys.Count && oldJson.Entries.Count == oldKeys.Count)
        {
            for (var i = 0; i < oldKeys.Count; i++)
            {
                reusable.TryAdd(oldKeys[i], (oldAtom.Entries[i], oldJson.Entries[i]));
            }
        }

        if (reusable.Count == 0)
        {
            return Render(feed) is { } whole ? (AtomFeed.Write(whole), JsonFeed.Write(whole)) : null;
        }

        // At least one entry is rendered, so the head and tail come from a feed that has entries.
        var changed = feed.EntryKeys.Count(k => !reusable.ContainsKey(k));
        bool Renders(int i) => changed == 0 ? i == 0 : !reusable.ContainsKey(feed.EntryKeys[i]);
        if (Render(feed, Renders) is not { } fresh || FeedParts.Atom(AtomFeed.Write(fresh)) is not { } atom || FeedParts.Json(JsonFeed.Write(fresh)) is not { } json)
        {
            return null;
        }

        var (atoms, jsons, next) = (new List<ReadOnlyMemory<byte>>(), new List<ReadOnlyMemory<byte>>(), 0);
        for (var i = 0; i < feed.Pages.Length; i++)
        {
            if (Renders(i))
            {
                atoms.Add(atom.Entries[next]);
                jsons.Add(json.Entries[next]);
                next++;
            }
            else
            {
                var (oldAtomEntry, oldJsonEntry) = reusable[feed.EntryKeys[i]];
                atoms.Add(oldAtomEntry);
                jsons.Add(oldJsonEntry);
            }
        }

        return (atom.Join(atoms, separator: null), json.Join(jsons, separator: (byte)','));
    }

    private Plan Keyed(string id, string title, string language, string homeUrl, FeedPaths paths, ImmutableArray<(SeatPlan Seat, PlannedPage Page, string EntryId)> pages)
    {
        // Newest first, as readers expect, ties in a fixed order so the same history gives the same bytes;
        // the entry keys then name the held feed's entries in turn. A reader needs what changed since it
        // last looked, not the archive, which pages.json lists whole.
        pages = [.. pages.OrderByDescending(p => dates[p.Page.Path].Updated).ThenBy(p => p.EntryId, StringComparer.Ordinal).Take(Site.FeedEntries)];
        var whole = new TextDigest().Append(engineVersion).Append('\n').Append(plan.Content.Fingerprint).Append('\n').Append(id).Append('\n')
            .Append(title).Append('\n').Append(homeUrl).Append('\n').Append(paths.AtomUrl);
        var entryKeys = ImmutableArray.CreateBuilder<string>(pages.Length);
        foreach (var (_, page, entryId) in pages)
        {
            var pageDates = dates[page.Path];
            var (published, updated) = (Rfc3339.Format(pageDates.Published), Rfc3339.Format(pageDates.Updated));
            var fragment = hashes[FragmentPath(page)];
            var image = PageImage.UrlFor(page.File, Site);
            var imageLength = LengthOf(image)?.ToString(CultureInfo.InvariantCulture);
            var entry = new TextDigest().Append(engineVersion).Append('\0').Append(entryId).Append('\0').Append(page.Path).Append('\0').Append(fragment)
                .Append('\0').Append(page.Url).Append('\0').Append(published).Append('\0').Append(updated).Append('\0').Append(page.Title).Append('\0')
                .Append(page.Summary).Append('\0').Append(page.Language).Append('\0').Append(image).Append('\0').Append(imageLength).ToHex();

            // A feed too long to carry its entry keys is known by this key alone, so it digests all an entry shows, its picture too.
            whole.Append('\n').Append(entry);
            entryKeys.Add(entry[..EntryKeyLength]);
        }

        var key = whole.ToHex();
        return pages.Length is > 0 and <= MaxKeyedEntries
            ? new Plan(id, title, language, homeUrl, paths, pages, $"{key}.{string.Concat(entryKeys)}") { EntryKeys = entryKeys.MoveToImmutable() }
            : new Plan(id, title, language, homeUrl, paths, pages, key);
    }

    /// <summary>The entry keys a feed's key carries, in the feed's order, or null when it carries none.</summary>
    private static List<string>? EntryKeysOf(string? key)
    {
        var dot = key?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (key is null || dot < 0 || (key.Length - dot - 1) % EntryKeyLength != 0)
        {
            return null;
        }

        var keys = new List<string>();
        for (var at = dot + 1; at < key.Length; at += EntryKeyLength)
        {
            keys.Add(key.Substring(at, EntryKeyLength));
        }

        return keys;
    }
}

/// <summary>A feed as the target holds it, in both formats, with the key it was written under.</summary>
public sealed record HeldFeed(byte[] Atom, byte[] Json, string Key);
