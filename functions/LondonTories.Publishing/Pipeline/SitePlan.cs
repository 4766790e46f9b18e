using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>What a run publishes at <see cref="Now"/>: for every seat and language, the pages it gets.</summary>
public sealed record SitePlan(SiteContent Content, DateTimeOffset Now, ImmutableArray<SeatPlan> Seats)
{
    public int PageCount => Seats.Sum(s => s.Editions.Sum(e => e.Pages.Length));
}
