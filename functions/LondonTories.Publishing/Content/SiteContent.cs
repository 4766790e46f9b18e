using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Content;

/// <summary>Everything an editor wrote, loaded and checked: the input of a publish run.</summary>
public sealed record SiteContent(
    Site Site,
    ImmutableArray<Constituency> Constituencies,
    ImmutableArray<PageFile> Pages,
    LayoutSet Layouts,
    ImmutableArray<ContentFile> StaticFiles,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>What each <see cref="IContentPart"/> made of its files, in the order the parts are registered.</summary>
    public ImmutableArray<object> Parts { get; init; } = [];

    /// <summary>What the part that makes a <typeparamref name="T"/> made, or null when no such part was loaded.</summary>
    public T? Part<T>()
        where T : class => Parts.OfType<T>().FirstOrDefault();

    /// <summary>The layouts' own words per language, from strings/.</summary>
    public SiteStrings Strings { get; init; } = SiteStrings.None;

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The file under static/ at <paramref name="path"/>, named as the content names it (<c>static/…</c>), or null when there is none.</summary>
    public ContentFile? StaticFile(string path) => StaticFiles.FirstOrDefault(f => f.Path == path);

    /// <summary>The content folder as diagnostics name it, ending in '/' where it is not empty: where site.yaml was read, without its name.</summary>
    public string DisplayRoot => Site.Location.Path[..^ContentLoader.SiteFile.Length];

    /// <summary>A digest of the site settings and layouts: any change to them re-renders every page.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>
    /// A digest of the strings file whose words pages in <paramref name="language"/> read, found as
    /// <see cref="SiteStrings.For"/> finds it: a change to one re-renders only the pages that read it.
    /// </summary>
    public string StringsFingerprint(string language) => Strings.For(language).Fingerprint;

    /// <summary>A digest of every content file's path and bytes: equal digests, same content.</summary>
    public string Digest { get; init; } = string.Empty;
}
