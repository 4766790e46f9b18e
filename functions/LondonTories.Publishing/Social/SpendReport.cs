using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
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

/// <summary>
/// A sponsored post's budget for one seat as it went out: the ads' budgets the ledger recorded when
/// they were sent, which is what the seat spends whatever the post's file says since.
/// </summary>
public sealed record CommittedSpend(string Identity, string PostId, string Seat, DateTimeOffset Scheduled, decimal BudgetGbp)
{
    /// <summary>
    /// Every delivery whose ad may be running: sent, retracted (it ran until then), or in doubt: in
    /// flight (claimed), unknown, or failed or missed after an attempt that may have made it (a lost
    /// answer, which only a later attempt or a person settles). One that certainly did not go out
    /// commits nothing, and is counted at its file's budget until it does.
    /// </summary>
    public static ImmutableArray<CommittedSpend> From(IEnumerable<DeliveryEntry> entries) =>
    [
        .. entries
            .Where(MayRun)
            .GroupBy(e => (e.Identity, e.Seat))
            .Select(g => new CommittedSpend(g.Key.Identity, g.First().PostId, g.Key.Seat, g.Min(e => e.Scheduled), g.Sum(e => e.AdBudgetGbp!.Value)))
            .OrderBy(c => c.Scheduled).ThenBy(c => c.Identity, StringComparer.Ordinal).ThenBy(c => c.Seat, StringComparer.Ordinal),
    ];

    /// <summary>Whether the entry's ad may be running, and so spends its budget.</summary>
    public static bool MayRun(DeliveryEntry entry) =>
        entry.AdBudgetGbp is not null && (entry.Status is DeliveryStatus.Sent or DeliveryStatus.Retracted or DeliveryStatus.Unknown or DeliveryStatus.Claimed ||
                                          (entry.Status is DeliveryStatus.Failed or DeliveryStatus.Missed && entry.FirstAttempt is not null));

    public bool Names(PostFile post) => PostId == post.Id || Identity == post.Id;
}

/// <summary>A seat's committed spend on a post whose file now says something else (<see cref="InFile"/> null: no budget for the seat, or no file).</summary>
public sealed record SpendDifference(string PostId, string Seat, decimal Committed, decimal? InFile, bool FileExists);

/// <summary>Sponsored spending per seat in a window, and every limit of site.yaml set against it.</summary>
public sealed record SpendReport(
    ImmutableArray<(Constituency Seat, decimal Spend)> Seats,
    decimal Total,
    ImmutableArray<LimitCheck> Checks)
{
    public const double WarningShare = 0.8;

    /// <summary>Where a post's file differs from what its seats committed when it went out; the committed sums are counted.</summary>
    public ImmutableArray<SpendDifference> Differences { get; init; } = [];

    /// <summary>
    /// The limit <paramref name="post"/> would take over in <paramref name="seat"/>, counting what is
    /// spent up to and including it: posts scheduled before it, or at its time and listed before it,
    /// and everything already committed. Posts planned after it do not count, so a later post never
    /// holds back an earlier one.
    /// </summary>
    public static LimitCheck? ExceededBy(SiteContent content, PostFile post, Constituency seat, IReadOnlyCollection<CommittedSpend>? committed = null)
    {
        var order = content.Posts.IndexOf(post);
        var upTo = Spending(content, committed ?? []).Where(s => s.Committed || s.Schedule < post.Schedule || (s.Schedule == post.Schedule && s.Order <= order)).ToList();
        return LimitChecks(content, upTo).FirstOrDefault(c => c.Level == SpendLevel.Reached && (c.Subject == seat.Slug || c.Subject == "total") &&
                                                           post.Schedule >= c.Limit.From && post.Schedule < c.Limit.To);
    }

    /// <summary>
    /// A sponsored post's budget is spent in each seat of its audience, and counts in a window when the
    /// post is scheduled inside it; once it went out, what it committed counts instead, even if its file
    /// was edited or deleted since. <paramref name="from"/> and <paramref name="to"/> narrow the report
    /// (to is exclusive); limits count the posts inside their own windows.
    /// </summary>
    public static SpendReport Compute(SiteContent content, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<CommittedSpend>? committed = null)
    {
        var spending = Spending(content, committed ?? []);
        bool Inside(Spent s) => (from is null || s.Schedule >= from) && (to is null || s.Schedule < to);
        var seats = content.Constituencies.Select(seat => (seat, spending.Where(s => s.Seat == seat.Slug && Inside(s)).Sum(s => s.BudgetGbp))).ToImmutableArray();
        return new SpendReport(seats, spending.Where(Inside).Sum(s => s.BudgetGbp), LimitChecks(content, spending))
        {
            Differences = [.. spending.Where(s => s.Difference is not null && Inside(s)).Select(s => s.Difference!)],
        };
    }

    /// <summary>One seat's spend on one post: its file's budget (in the order of the posts), or what it committed.</summary>
    private sealed record Spent(string Seat, DateTimeOffset Schedule, decimal BudgetGbp, int Order, bool Committed, SpendDifference? Difference = null);

    private static List<Spent> Spending(SiteContent content, IReadOnlyCollection<CommittedSpend> committed)
    {
        var spending = new List<Spent>();
        var counted = new HashSet<CommittedSpend>();
        var bySeat = committed.ToLookup(c => c.Seat, StringComparer.Ordinal);
        for (var i = 0; i < content.Posts.Length; i++)
        {
            var post = content.Posts[i];
            if (post.Sponsored is not { } sponsored)
            {
                continue;
            }

            foreach (var seat in content.Constituencies.Where(post.Audience.Includes))
            {
                if (bySeat[seat.Slug].FirstOrDefault(c => c.Names(post)) is { } sent)
                {
                    counted.Add(sent);
                    var difference = sent.BudgetGbp == sponsored.BudgetGbp ? null : new SpendDifference(post.Id, seat.Slug, sent.BudgetGbp, sponsored.BudgetGbp, true);
                    spending.Add(new Spent(seat.Slug, sent.Scheduled, sent.BudgetGbp, i, true, difference));
                }
                else
                {
                    spending.Add(new Spent(seat.Slug, post.Schedule, sponsored.BudgetGbp, i, false));
                }
            }
        }

        // Spent whatever the content says now: a post deleted, no longer sponsored, or no longer for the seat.
        foreach (var sent in committed.Where(c => !counted.Contains(c)))
        {
            var post = content.Posts.FirstOrDefault(sent.Names);
            spending.Add(new Spent(sent.Seat, sent.Scheduled, sent.BudgetGbp, -1, true, new SpendDifference(post?.Id ?? sent.PostId, sent.Seat, sent.BudgetGbp, null, post is not null)));
        }

        return spending;
    }

    private static ImmutableArray<LimitCheck> LimitChecks(SiteContent content, IReadOnlyCollection<Spent> spending)
    {
        var checks = new List<LimitCheck>();
        foreach (var limit in content.SpendLimits)
        {
            var inside = spending.Where(s => s.Schedule >= limit.From && s.Schedule < limit.To).ToList();
            if (limit.Scope == SpendLimitScope.Total)
            {
                checks.Add(new LimitCheck(limit, "total", inside.Sum(s => s.BudgetGbp), limit.LimitFor(content.Constituencies.Sum(s => s.Electorate))));
            }
            else
            {
                checks.AddRange(content.Constituencies.Select(seat => (Seat: seat, Spend: inside.Where(s => s.Seat == seat.Slug).Sum(s => s.BudgetGbp)))
                    .Where(s => s.Spend > 0).Select(s => new LimitCheck(limit, s.Seat.Slug, s.Spend, limit.LimitFor(s.Seat.Electorate))));
            }
        }

        return [.. checks];
    }
}
