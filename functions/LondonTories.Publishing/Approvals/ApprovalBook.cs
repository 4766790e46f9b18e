using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Social;

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

    public static bool NeedsApproval(Site site, PostFile post) => post.IsSponsored && site.Approval.Sponsored;

    /// <summary>Whether anything in the content needs approval, so the approvals are worth reading.</summary>
    public static bool AnyNeeded(SiteContent content) => content.Site.Approval.Pages || content.Posts.Any(p => NeedsApproval(content.Site, p));

    /// <summary>Whether someone approved exactly <paramref name="digest"/> of <paramref name="item"/>.</summary>
    public bool IsApproved(string item, string digest) => _byItem[item].Any(r => r.Digest == digest);

    /// <summary>Where one seat's post stands, judged against every seat's version of it in <paramref name="plan"/>.</summary>
    public ApprovalState StateOf(Site site, PostPlan plan, SeatPost post)
    {
        var item = PostItem(post.Id);
        if (!NeedsApproval(site, post.Post))
        {
            return ApprovalState.NotRequired(item);
        }

        var rules = site.Approval;
        var mayApprove = rules.Approvers.Where(a => a.Sponsored && a.Covers(post.Seat)).Select(a => a.Name).ToImmutableArray();
        var seats = plan.Posts.Where(p => p.Id == post.Id).ToDictionary(p => p.Seat.Slug, StringComparer.Ordinal);
        var voided = false;
        foreach (var record in _byItem[item])
        {
            var covered = record.SeatSlugs();
            if (!covered.Contains(post.Seat.Slug))
            {
                continue;
            }

            if (rules.Find(record.ApproverId) is not { Sponsored: true } approver || !approver.Covers(post.Seat))
            {
                continue;
            }

            var current = covered.All(seats.ContainsKey) ? ApprovalDigest.ForPost(covered.Select(s => seats[s])) : null;
            if (current == record.Digest)
            {
                return new ApprovalState(ApprovalStatus.Approved, item, record.Digest, mayApprove) { ApprovedBy = approver.Name, ApprovedAt = record.Approved };
            }

            voided = true;
        }

        return new ApprovalState(ApprovalStatus.Awaiting, item, ApprovalDigest.ForPost(seats.Values), mayApprove) { Voided = voided };
    }

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
