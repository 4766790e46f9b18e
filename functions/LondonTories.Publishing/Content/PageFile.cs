using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Content;

/// <summary>
/// One page file: front matter and body, parsed once. A translation (<c>housing.bn.md</c>) is a page
/// file too, with <see cref="Language"/> set and what it does not say inherited from its original.
/// </summary>
public sealed record PageFile(
    string Path,
    string Slug,
    string? Language,
    TextTemplate Title,
    TextTemplate? Summary,
    int Weight,
    bool Draft,
    DateTimeOffset? PublishAt,
    DateTimeOffset? ExpireAt,
    AudienceRule Audience,
    IReadOnlyDictionary<string, object?> Params,
    PageBody Body,
    string Hash)
{
    public SourceLocation Location => SourceLocation.StartOf(Path);

    public bool IsTranslation => Language is not null;

    /// <summary>The page's picture for social cards and feeds (<c>image:</c>), as written: a site path or a URL.</summary>
    public string? Image { get; init; }

    /// <summary>What the picture shows, in words (<c>image_alt:</c>), for screen readers: a translation's own, else its original's.</summary>
    public string? ImageAlt { get; init; }

    /// <summary>Where its front matter gives its slug, or null when the slug is the file's name.</summary>
    public SourceLocation? SlugLocation { get; init; }

    /// <summary>Its front matter gives its slug, rather than leaving it to the file's name.</summary>
    public bool SlugWritten => SlugLocation is not null;

    /// <summary>
    /// The slugs the page was published under before (<c>aliases:</c>): each seat's old address leads on
    /// to its page. A translation has its original's.
    /// </summary>
    public ImmutableArray<PageAlias> Aliases { get; init; } = [];

    /// <summary>Published at <paramref name="now"/>: not a draft, past its embargo, not yet expired.</summary>
    public bool IsDueAt(DateTimeOffset now) =>
        !Draft && (PublishAt is null || PublishAt <= now) && (ExpireAt is null || ExpireAt > now);
}

/// <summary>A slug a page was published under before, and where its front matter names it.</summary>
public sealed record PageAlias(string Slug, SourceLocation Location);

/// <summary>
/// A page's Markdown body, its template and the inline audience blocks found in it.
/// </summary>
public sealed record PageBody(TextTemplate Template, bool HasAudienceBlocks);
