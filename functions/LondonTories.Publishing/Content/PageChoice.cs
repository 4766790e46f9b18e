using LondonTories.Publishing.Audience;

namespace LondonTories.Publishing.Content;

/// <summary>The page a seat gets for a slug in one language at one moment, and its address.</summary>
public sealed record PageLink(PageFile File, string Language, string Url);

/// <summary>
/// Which version of a page a seat gets at a moment, and where the site puts it: the rules a publish
/// plans every seat by, and that a post's link follows to the page it names.
/// </summary>
public static class PageChoice
{
    /// <summary>
    /// The page a seat gets for <paramref name="slug"/> in <paramref name="language"/> at <paramref name="at"/>,
    /// chosen exactly as a publish at that moment chooses it; null when the seat gets no such page then.
    /// </summary>
    public static PageLink? For(SiteContent content, Constituency seat, string slug, string language, DateTimeOffset at)
    {
        var site = content.Site;
        if (Variant(content.Pages.Where(p => !p.IsTranslation && p.Slug == slug), seat, at) is not { } chosen)
        {
            return null;
        }

        var file = language == site.Language
            ? chosen.File
            : content.Pages.FirstOrDefault(t => t.IsTranslation && t.Language == language && OriginalPathOf(t) == chosen.File.Path && t.IsDueAt(at));
        return file is null || (language != site.Language && !seat.Languages.Contains(language))
            ? null
            : new PageLink(file, language, site.UrlFor(Root(seat, slug, language, site)));
    }

    /// <summary>Of the versions of one page due at <paramref name="now"/>, the one whose audience names <paramref name="seat"/> most closely.</summary>
    public static (PageFile File, SelectorKind Match)? Variant(IEnumerable<PageFile> variants, Constituency seat, DateTimeOffset now)
    {
        (PageFile File, SelectorKind Match)? best = null;
        foreach (var variant in variants.Where(v => v.IsDueAt(now)))
        {
            if (variant.Audience.MatchOf(seat) is { } match && (best is null || match > best.Value.Match))
            {
                best = (variant, match);
            }
        }

        return best;
    }

    /// <summary>The folder of a seat's page, from the site's root: the main language's pages beside the seat's home, others under their language.</summary>
    public static string Root(Constituency seat, string slug, string language, Site site) =>
        language == site.Language ? $"/{seat.Slug}/{slug}/" : $"/{seat.Slug}/{language}/{slug}/";

    /// <summary>The path of the page a translation translates: <c>housing.bn.md</c> translates <c>housing.md</c>.</summary>
    public static string OriginalPathOf(PageFile translation)
    {
        var suffix = $".{translation.Language}.md";
        return translation.Path[..^suffix.Length] + ".md";
    }
}
