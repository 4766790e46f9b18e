using System.Collections.Immutable;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

public enum SpendLevel
{
    Within,

    /// <summary>At least <see cref="SpendReport.WarningShare"/> of the limit, up to and including all of it.</summary>
    Near,

    /// <summary>Over the limit: spending exactly the limit is allowed.</summary>
    Reached,
}

/// <summary>One limit set against the spending it covers: for one seat, or for the whole site.</summary>
public sealed record LimitCheck(SpendLimit Limit, string Subject, decimal Spend, decimal Allowed)
{
    public double Share => Allowed == 0 ? (Spend == 0 ? 0 : double.PositiveInfinity) : (double)(Spend / Allowed);

    public SpendLevel Level => Share > 1 ? SpendLevel.Reached : Share >= SpendReport.WarningShare ? SpendLevel.Near : SpendLevel.Within;
}

/// <summary>Sponsored spending per seat in a window, and every limit of site.yaml set against it.</summary>
public sealed record SpendReport(
    ImmutableArray<(Constituency Seat, decimal Spend)> Seats,
    decimal Total,
    ImmutableArray<LimitCheck> Checks)
{
    public const double WarningShare = 0.8;

    /// <summary>
    /// The limit <paramref name="post"/> would take over in <paramref name="seat"/>, counting what is
    /// spent up to and including it: posts scheduled before it, or at its time and listed before it.
    /// Posts planned after it do not count, so a later post never holds back an earlier one.
    /// </summary>
    public static LimitCheck? ExceededBy(SiteContent content, PostFile post, Constituency seat)
    {
        var order = content.Posts.IndexOf(post);
        var upTo = content with { Posts = [.. content.Posts.Where((p, i) => p.Schedule < post.Schedule || (p.Schedule == post.Schedule && i <= order))] };
        return Compute(upTo, null, null).Checks.FirstOrDefault(c => c.Level == SpendLevel.Reached && (c.Subject == seat.Slug || c.Subject == "total") &&
                                                                    post.Schedule >= c.Limit.From && post.Schedule < c.Limit.To);
    }

    /// <summary>
    /// A sponsored post's budget is spent in each seat of its audience, and counts in a window when the
    /// post is scheduled inside it. <paramref name="from"/> and <paramref name="to"/> narrow the report
    /// (to is exclusive); limits count the posts inside their own windows.
    /// </summary>
    public static SpendReport Compute(SiteContent content, DateTimeOffset? from, DateTimeOffset? to)
    {
        var sponsored = content.Posts.Where(p => p.Sponsored is not null).ToList();
        decimal SpendOf(Constituency seat, DateTimeOffset? start, DateTimeOffset? end) => sponsored
            .Where(p => (start is null || p.Schedule >= start) && (end is null || p.Schedule < end) && p.Audience.Includes(seat))
            .Sum(p => p.Sponsored!.BudgetGbp);

        var seats = content.Constituencies.Select(s => (s, SpendOf(s, from, to))).ToImmutableArray();
        var checks = new List<LimitCheck>();
        foreach (var limit in content.Site.SpendLimits)
        {
            var perSeat = content.Constituencies.Select(s => (Seat: s, Spend: SpendOf(s, limit.From, limit.To))).ToList();
            if (limit.Scope == SpendLimitScope.Total)
            {
                checks.Add(new LimitCheck(limit, "total", perSeat.Sum(s => s.Spend), limit.LimitFor(content.Constituencies.Sum(s => s.Electorate))));
            }
            else
            {
                checks.AddRange(perSeat.Where(s => s.Spend > 0).Select(s => new LimitCheck(limit, s.Seat.Slug, s.Spend, limit.LimitFor(s.Seat.Electorate))));
            }
        }

        return new SpendReport(seats, seats.Sum(s => s.Item2), [.. checks]);
    }
}
