using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Social;

/// <summary>What a sponsored post may spend, per seat, and when the paid promotion runs.</summary>
public sealed record Sponsorship(decimal BudgetGbp, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// One social post file (<c>social/**/*.md</c>): written once, localised per seat when published. A
/// translation (<c>post.bn.md</c>) carries only its body; everything else is the original's.
/// </summary>
public sealed record PostFile(
    string Path,
    string Id,
    DateTimeOffset Schedule,
    ImmutableArray<string> Platforms,
    AudienceRule Audience,
    string? Link,
    string? Media,
    string? ApprovedBy,
    Sponsorship? Sponsored,
    Imprint? Imprint,
    TextTemplate Body,
    ImmutableDictionary<string, TextTemplate> Translations,
    SourceLocation LinkLocation,
    SourceLocation MediaLocation)
{
    public SourceLocation Location => SourceLocation.StartOf(Path);

    /// <summary>What the picture shows, in words (<c>media_alt</c>): the same for every seat and language; null when not given.</summary>
    public string? MediaAlt { get; init; }

    public bool IsSponsored => Sponsored is not null;
}

/// <summary>
/// A spending limit from site.yaml: a fixed sum plus a rate per elector, over a window. Per seat, the
/// electorate is the seat's; for the whole site, the sum of every seat's.
/// </summary>
public sealed record SpendLimit(
    string Name,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal FixedGbp,
    decimal PerElectorGbp,
    SpendLimitScope Scope,
    SourceLocation Location)
{
    public decimal LimitFor(int electorate) => FixedGbp + (PerElectorGbp * electorate);
}

public enum SpendLimitScope
{
    /// <summary>Each seat's spending against its own limit, e.g. a candidate's short-campaign limit.</summary>
    Seat,

    /// <summary>The site's spending across every seat.</summary>
    Total,
}
