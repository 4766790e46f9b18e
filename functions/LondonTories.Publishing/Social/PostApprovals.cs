using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>
/// Which posts need an approval, what one is bound to (everything that goes out, so that any edit
/// that changes what readers see, what is spent or when, voids it), and where a seat's post stands.
/// </summary>
public static class PostApprovals
{
    public static bool NeedsApproval(Site site, PostFile post) => post.IsSponsored && site.Approval.Sponsored;

    /// <summary>Whether anything in the content needs approval, so the approvals are worth reading.</summary>
    public static bool AnyNeeded(SiteContent content) => content.Site.Approval.Pages || content.Posts.Any(p => NeedsApproval(content.Site, p));

    /// <summary>Where one seat's post stands, judged against every seat's version of it in <paramref name="plan"/>.</summary>
    public static ApprovalState StateOf(this ApprovalBook book, Site site, PostPlan plan, SeatPost post)
    {
        var item = ApprovalBook.PostItem(post.Id);
        if (!NeedsApproval(site, post.Post))
        {
            return ApprovalState.NotRequired(item);
        }

        var rules = site.Approval;
        var mayApprove = rules.Approvers.Where(a => a.Sponsored && a.Covers(post.Seat)).Select(a => a.Name).ToImmutableArray();
        var seats = plan.Posts.Where(p => p.Id == post.Id).ToDictionary(p => p.Seat.Slug, StringComparer.Ordinal);
        var voided = false;
        foreach (var record in book.RecordsOf(item))
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

            var current = covered.All(seats.ContainsKey) ? DigestOf(covered.Select(s => seats[s])) : null;
            if (current == record.Digest)
            {
                return new ApprovalState(ApprovalStatus.Approved, item, record.Digest, mayApprove) { ApprovedBy = approver.Name, ApprovedAt = record.Approved };
            }

            voided = true;
        }

        return new ApprovalState(ApprovalStatus.Awaiting, item, DigestOf(seats.Values), mayApprove) { Voided = voided };
    }

    /// <summary>
    /// A post as the given seats send it: each seat's message in each language (text, link and
    /// imprint), the platforms, the media, the schedule, the sponsorship's budget and window, and the
    /// accounts that send it and pay for its ad.
    /// </summary>
    public static string DigestOf(IEnumerable<SeatPost> seatPosts)
    {
        var text = new StringBuilder();
        foreach (var post in seatPosts.OrderBy(p => p.Seat.Slug, StringComparer.Ordinal))
        {
            var file = post.Post;
            text.Append("post\0").Append(file.Id).Append('\0').Append(post.Seat.Slug).Append('\n');
            text.Append("schedule\0").Append(Rfc3339.Format(file.Schedule)).Append('\n');
            text.Append("platforms\0").Append(string.Join(',', file.Platforms)).Append('\n');
            // The picture's own digest after its name; a post without one reads as it always has.
            text.Append("media\0").Append(file.Media).Append(post.MediaSha256 is { } picture ? $"\0{picture}" : string.Empty).Append('\n');
            // Only where the post describes its picture: one without reads as it always has.
            if (file.MediaAlt is { } alt)
            {
                text.Append("media_alt\0").Append(alt).Append('\n');
            }

            if (file.Sponsored is { } sponsored)
            {
                text.Append("budget\0").Append(sponsored.BudgetGbp.ToString("0.00", CultureInfo.InvariantCulture))
                    .Append('\0').Append(Rfc3339.Format(sponsored.Start)).Append('\0').Append(Rfc3339.Format(sponsored.End)).Append('\n');
            }

            // Only where channels.yaml names accounts for the seat: a post that stops at its document reads as it always has.
            if (post.Accounts.Length > 0)
            {
                text.Append("accounts\0").Append(post.Accounts);
            }

            foreach (var version in post.Versions)
            {
                text.Append("message\0").Append(version.Language).Append('\0').Append(version.Message).Append('\n');
            }
        }

        return Hashing.Sha256Hex(text.ToString());
    }
}
