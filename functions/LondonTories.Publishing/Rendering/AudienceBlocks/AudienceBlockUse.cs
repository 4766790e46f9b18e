using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Rendering.AudienceBlocks;

/// <summary>An inline audience block of a page as one seat gets it: where it is written and whether the seat keeps it.</summary>
public sealed record AudienceBlockUse(AudienceBlockKind Kind, IReadOnlyList<string> Selectors, SourceLocation Location, bool Kept)
{
    /// <summary>The block's opening line as written, e.g. <c>audience tag:outer-london</c>.</summary>
    public string Description => $"{Kind.ToString().ToLowerInvariant()} {string.Join(' ', Selectors)}";
}
