using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>The page a seat gets for a slug in one language at one moment, and its address.</summary>
public sealed record PageLink(PageFile File, string Language, string Url);

/// <summary>What a run publishes at <see cref="Now"/>: for every seat and language, the pages it gets.</summary>
public sealed record SitePlan(SiteContent Content, DateTimeOffset Now, ImmutableArray<SeatPlan> Seats)
{
    public int PageCount => Seats.Sum(s => s.Editions.Sum(e => e.Pages.Length));
}
