using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Webhooks;

/// <summary>
/// What a change to the site's files did to each seat's pages, for changes no publish recorded in the
/// ledger, such as a rollback. A page counts as updated when its article (its fragment) changed, as
/// the ledger counts it, not when only its list of other pages did.
/// </summary>
public static class SiteChanges
{
    private const string Fragment = "fragment.html";

    /// <summary>Pages added, updated and removed by seat, from the site's files (path to digest) before and after.</summary>
    public static IReadOnlyDictionary<string, ImmutableArray<PageChange>> Between(
        Site site, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, DateTimeOffset at)
    {
        var changes = new List<PageChange>();
        foreach (var (path, sha) in after)
        {
            if (Page(site, path, at) is not { } page)
            {
                continue;
            }

            if (!before.TryGetValue(path, out var was))
            {
                changes.Add(page with { Type = PageChange.Added });
            }
            else if (was != sha)
            {
                changes.Add(page with { Type = PageChange.Updated });
            }
        }

        foreach (var path in before.Keys.Where(p => !after.ContainsKey(p)))
        {
            if (Page(site, path, at) is { } page)
            {
                changes.Add(page with { Type = PageChange.Removed, Fragment = null });
            }
        }

        return changes.GroupBy(c => c.Seat, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.OrderBy(c => c.Slug, StringComparer.Ordinal).ThenBy(c => c.Language, StringComparer.Ordinal).ToImmutableArray(),
            StringComparer.Ordinal);
    }

    /// <summary>The page whose fragment is at <paramref name="path"/>: <c>web/seat/slug/</c> in the site's language, <c>web/seat/lang/slug/</c> in another.</summary>
    private static PageChange? Page(Site site, string path, DateTimeOffset at)
    {
        var parts = path.Split('/');
        var (seat, language, slug) = parts switch
        {
            ["web", var s, var page, Fragment] => (s, site.Language, page),
            ["web", var s, var lang, var page, Fragment] => (s, lang, page),
            _ => (null, null, null),
        };
        if (seat is null || language is null || slug is null)
        {
            return null;
        }

        var folder = path["web".Length..^Fragment.Length];
        return new PageChange(PageChange.Updated, seat, slug, language, site.UrlFor(folder), site.UrlFor(folder + Fragment), at);
    }
}
