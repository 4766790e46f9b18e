using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Approvals;

/// <summary>
/// The approvals given so far, read once for a run, and the rules to judge them by. An approval counts
/// only while its approver is still listed for that kind of item and seat, and only for the exact
/// digest they approved.
/// </summary>
public sealed class ApprovalBook
{
    public static readonly ApprovalBook Empty = new([]);

    private readonly ILookup<string, ApprovalRecord> _byItem;

    public ApprovalBook(IEnumerable<ApprovalRecord> records)
    {
        _byItem = records.OrderByDescending(r => r.Approved).ToLookup(r => r.Item, StringComparer.Ordinal);
    }

    public static string PostItem(string postId) => $"post:{postId}";

    public static string PageItem(string slug) => $"page:{slug}";

    /// <summary>Whether someone approved exactly <paramref name="digest"/> of <paramref name="item"/>.</summary>
    public bool IsApproved(string item, string digest) => _byItem[item].Any(r => r.Digest == digest);

    /// <summary>Every approval of <paramref name="item"/>, the latest first.</summary>
    public IEnumerable<ApprovalRecord> RecordsOf(string item) => _byItem[item];

    /// <summary>
    /// Where one seat's version of a page stands, judged against every seat's articles of it
    /// (<paramref name="articles"/>, by seat). An approval counts for the seats it names while each of
    /// them still publishes exactly the articles approved.
    /// </summary>
    public ApprovalState PageStateOf(Site site, string slug, Constituency seat, IReadOnlyDictionary<string, ImmutableArray<PageArticle>> articles)
    {
        var item = PageItem(slug);
        if (!site.Approval.Pages)
        {
            return ApprovalState.NotRequired(item);
        }

        var rules = site.Approval;
        var mayApprove = rules.Approvers.Where(a => a.Pages && a.Covers(seat)).Select(a => a.Name).ToImmutableArray();
        var voided = false;
        foreach (var record in _byItem[item])
        {
            var covered = record.SeatSlugs();
            if (!covered.Contains(seat.Slug))
            {
                continue;
            }

            if (rules.Find(record.ApproverId) is not { Pages: true } approver || !approver.Covers(seat))
            {
                continue;
            }

            var current = covered.All(articles.ContainsKey) ? ApprovalDigest.ForPage(covered.SelectMany(s => articles[s])) : null;
            if (current == record.Digest)
            {
                return new ApprovalState(ApprovalStatus.Approved, item, record.Digest, mayApprove) { ApprovedBy = approver.Name, ApprovedAt = record.Approved };
            }

            voided = true;
        }

        return new ApprovalState(ApprovalStatus.Awaiting, item, ApprovalDigest.ForPage(articles.Values.SelectMany(a => a)), mayApprove) { Voided = voided };
    }
}
