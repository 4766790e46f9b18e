using System.Collections.Immutable;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// Gives approvals: checks the signed-in person against site.yaml's approvers, binds their identity
/// to the digest of exactly what goes out for the seats they cover, and adds it to the ledger.
/// </summary>
public sealed class ApprovalDesk(Publisher publisher, TimeProvider clock)
{
    public async Task<ApprovalDecision> ApproveAsync(
        SiteContent content, SignedInUser user, ApprovalRequest request, string via, ApprovalLedger ledger, CancellationToken cancellationToken)
    {
        var decision = Decide(content, user, request, via);
        if (decision.Record is { } record)
        {
            await ledger.AddAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return decision;
    }

    /// <summary>Judges a request without recording it.</summary>
    public ApprovalDecision Decide(SiteContent content, SignedInUser user, ApprovalRequest request, string via)
    {
        var (kind, id) = request.Item switch
        {
            var item when item.StartsWith("post:", StringComparison.Ordinal) => ("post", item["post:".Length..]),
            var item when item.StartsWith("page:", StringComparison.Ordinal) => ("page", item["page:".Length..]),
            var item when item.Contains(':', StringComparison.Ordinal) => (string.Empty, item),
            var item when content.Posts.Any(p => p.Id == item) => ("post", item),
            var item => ("page", item),
        };
        if (kind.Length == 0)
        {
            return new(ApprovalOutcome.NotFound, $"'{request.Item}' is not something that can be approved; give a post's or a page's id, e.g. post:cost-of-living or page:housing.");
        }

        if (kind == "page")
        {
            return DecidePage(content, user, request, id, via);
        }

        if (content.Posts.FirstOrDefault(p => p.Id == id) is not { } post)
        {
            return new(ApprovalOutcome.NotFound, $"there is no post '{id}'.");
        }

        if (!PostApprovals.NeedsApproval(content.Site, post))
        {
            return new(ApprovalOutcome.NotRequired, $"the post '{id}' needs no approval: {(post.IsSponsored ? "site.yaml does not ask for sponsored posts to be approved" : "only sponsored posts are approved")}.");
        }

        var approver = content.Site.Approval.Find(user.ObjectId);
        if (approver is null)
        {
            return NotAnApprover(content, user);
        }

        if (!approver.Sponsored)
        {
            return new(ApprovalOutcome.Refused, $"{approver.Name} approves pages only, not sponsored posts.");
        }

        var (plan, diagnostics) = publisher.PlanPosts(content);
        if (content.HasErrors || diagnostics.Any(d => d.IsError && (d.Location.Path == post.Path || post.Translations.Values.Any(t => t.Origin.Path == d.Location.Path))))
        {
            return new(ApprovalOutcome.Conflict, $"the post '{id}' has errors; fix them before it is approved: {diagnostics.First(d => d.IsError)}");
        }

        var seatPosts = plan.Posts.Where(p => p.Id == post.Id).ToImmutableArray();
        ImmutableArray<SeatPost> covered;
        if (request.Seat is { } seat)
        {
            if (seatPosts.FirstOrDefault(p => p.Seat.Slug == seat) is not { } seatPost)
            {
                return new(ApprovalOutcome.NotFound, $"the post '{id}' does not go to a seat '{seat}'.");
            }

            if (!approver.Covers(seatPost.Seat))
            {
                return new(ApprovalOutcome.Refused, $"{approver.Name} approves for {approver.Audience} only, not for {seat}.");
            }

            covered = [seatPost];
        }
        else
        {
            covered = [.. seatPosts.Where(p => approver.Covers(p.Seat))];
            if (covered.IsEmpty)
            {
                return new(ApprovalOutcome.Refused, $"{approver.Name} approves for {approver.Audience} only, and the post '{id}' goes to none of those seats.");
            }
        }

        // The digest the approver saw covers the whole post, as the preview shows it.
        if (request.Digest is { Length: > 0 } seen && seen != PostApprovals.DigestOf(seatPosts) && seen != PostApprovals.DigestOf(covered))
        {
            return new(ApprovalOutcome.Conflict, $"the post '{id}' changed since it was shown to you; look at it again and approve what it says now.");
        }

        var now = clock.GetUtcNow();
        var record = new ApprovalRecord
        {
            PartitionKey = ApprovalBook.PostItem(id),
            RowKey = ApprovalLedger.RowKeyFor(now),
            Item = ApprovalBook.PostItem(id),
            Seats = string.Join(',', covered.Select(p => p.Seat.Slug).Order(StringComparer.Ordinal)),
            Digest = PostApprovals.DigestOf(covered),
            ApproverId = approver.ObjectId,
            ApproverName = approver.Name,
            Approved = now,
            Via = via,
        };
        var seats = covered.Length == seatPosts.Length ? $"all {covered.Length} of its seats" : string.Join(", ", covered.Select(p => p.Seat.Slug));
        return new(ApprovalOutcome.Approved, $"{approver.Name} approved the post '{id}' for {seats}, as it stands now.") { Record = record };
    }

    private static ApprovalDecision NotAnApprover(SiteContent content, SignedInUser user)
    {
        var who = $"{user.Name ?? user.ObjectId} ({user.ObjectId})";
        var policy = content.Site.Approval.Policy;
        return new(ApprovalOutcome.Refused, policy.Allows(user.ObjectId)
            ? $"{who} is not an approver in site.yaml; ask the site's editors to add them under 'approvers'."
            : $"{who} is not among the people {policy.Source} lets approve, whatever site.yaml says; ask whoever runs the deployment to add them there.");
    }

    /// <summary>A page is approved as it is published now: every seat's article in every language the approver covers.</summary>
    private ApprovalDecision DecidePage(SiteContent content, SignedInUser user, ApprovalRequest request, string slug, string via)
    {
        if (!content.Site.Approval.Pages)
        {
            return content.Pages.Any(p => p.Slug == slug)
                ? new(ApprovalOutcome.NotRequired, $"the page '{slug}' needs no approval: site.yaml does not ask for pages to be approved.")
                : new(ApprovalOutcome.NotFound, $"there is no post or page '{slug}'.");
        }

        var approver = content.Site.Approval.Find(user.ObjectId);
        if (approver is null)
        {
            return NotAnApprover(content, user);
        }

        if (!approver.Pages)
        {
            return new(ApprovalOutcome.Refused, $"{approver.Name} approves sponsored posts only, not pages.");
        }

        var (articles, plan, diagnostics) = publisher.PageArticles(content, clock.GetUtcNow());
        if (plan is null || diagnostics.Any(d => d.IsError))
        {
            return new(ApprovalOutcome.Conflict, $"the content has errors; fix them before the page '{slug}' is approved: {diagnostics.First(d => d.IsError)}");
        }

        if (!articles.TryGetValue(slug, out var bySeat))
        {
            return new(ApprovalOutcome.NotFound, content.Pages.Any(p => p.Slug == slug)
                ? $"the page '{slug}' is not due now, so there is nothing of it to approve yet."
                : $"there is no post or page '{slug}'.");
        }

        var seatsOf = plan.Seats.ToDictionary(s => s.Seat.Slug, s => s.Seat, StringComparer.Ordinal);
        ImmutableArray<string> covered;
        if (request.Seat is { } seat)
        {
            if (!bySeat.ContainsKey(seat))
            {
                return new(ApprovalOutcome.NotFound, $"the page '{slug}' is not published for a seat '{seat}'.");
            }

            if (!approver.Covers(seatsOf[seat]))
            {
                return new(ApprovalOutcome.Refused, $"{approver.Name} approves for {approver.Audience} only, not for {seat}.");
            }

            covered = [seat];
        }
        else
        {
            covered = [.. bySeat.Keys.Where(s => approver.Covers(seatsOf[s])).Order(StringComparer.Ordinal)];
            if (covered.IsEmpty)
            {
                return new(ApprovalOutcome.Refused, $"{approver.Name} approves for {approver.Audience} only, and the page '{slug}' goes to none of those seats.");
            }
        }

        var digest = ApprovalDigest.ForPage(covered.SelectMany(s => bySeat[s]));
        if (request.Digest is { Length: > 0 } seen && seen != ApprovalDigest.ForPage(bySeat.Values.SelectMany(a => a)) && seen != digest)
        {
            return new(ApprovalOutcome.Conflict, $"the page '{slug}' changed since it was shown to you; look at it again and approve what it says now.");
        }

        var now = clock.GetUtcNow();
        var record = new ApprovalRecord
        {
            PartitionKey = ApprovalBook.PageItem(slug),
            RowKey = ApprovalLedger.RowKeyFor(now),
            Item = ApprovalBook.PageItem(slug),
            Seats = string.Join(',', covered),
            Digest = digest,
            ApproverId = approver.ObjectId,
            ApproverName = approver.Name,
            Approved = now,
            Via = via,
        };
        var seats = covered.Length == bySeat.Count ? $"all {covered.Length} of its seats" : string.Join(", ", covered);
        return new(ApprovalOutcome.Approved, $"{approver.Name} approved the page '{slug}' for {seats}, as it stands now.") { Record = record };
    }
}
