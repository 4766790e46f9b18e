using System.Collections.Immutable;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>
/// Which ledger entry each planned delivery is. A post keeps the identity it had when first claimed:
/// a renamed file finds its entry by its text (as sent, or as edited since), seat, day and channel;
/// one edited and renamed at once, by the moment it was scheduled for, among entries whose file is
/// gone. A post taken for another can be missed, never sent twice. Delivery and the spend report
/// both go by this, so a renamed post is one post to each. A post deleted in one run and written
/// again with the same words later is a new post: only a rename within a run keeps the identity.
/// </summary>
public static class DeliveryMatches
{
    /// <summary>The entry of each of <paramref name="plan"/>'s deliveries, in their order; null where none has been recorded.</summary>
    public static ImmutableArray<DeliveryEntry?> Find(PostPlan plan, IReadOnlyCollection<DeliveryEntry> entries)
    {
        var byKey = entries.ToDictionary(e => (e.Identity, e.RowKey));

        // Words, day and moment recognise a file renamed between two runs: its old name vanishes in
        // the run its new one appears. An entry whose file a run already found gone was deleted, not
        // renamed, so a post with the same words written after that is a new post, not that one.
        var unretired = entries.Where(e => e.Retired is null).ToList();
        var byText = unretired.GroupBy(e => (e.RowKey, e.Day, e.MessageSha256)).ToDictionary(g => g.Key, g => g.First());
        var byCurrentText = unretired.GroupBy(e => (e.RowKey, e.Day, e.CurrentSha256)).ToDictionary(g => g.Key, g => g.First());
        var planned = plan.Deliveries.Select(d => d.PostId).ToHashSet(StringComparer.Ordinal);
        var orphans = unretired.Where(e => !planned.Contains(e.Identity) && !planned.Contains(e.PostId))
            .GroupBy(e => (e.RowKey, e.Scheduled)).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Identity, StringComparer.Ordinal).First());
        return
        [
            .. plan.Deliveries.Select(delivery =>
            {
                var rowKey = DeliveryEntry.RowKeyOf(delivery.Seat, delivery.Language, delivery.ChannelId);
                return byKey.GetValueOrDefault((delivery.PostId, rowKey))
                       ?? (byText.GetValueOrDefault((rowKey, delivery.Day, delivery.MessageSha256)) is { } sentText && !planned.Contains(sentText.Identity) ? sentText : null)
                       ?? (byCurrentText.GetValueOrDefault((rowKey, delivery.Day, delivery.MessageSha256)) is { } editedText && !planned.Contains(editedText.Identity) ? editedText : null)
                       ?? orphans.GetValueOrDefault((rowKey, delivery.Schedule));
            }),
        ];
    }

    /// <summary>
    /// The entries no file names any more that no planned delivery took up in this run: their posts
    /// were deleted, not renamed, and are to be recorded as retired. A claim is left to its run.
    /// </summary>
    public static IReadOnlyList<DeliveryEntry> Vanished(SiteContent content, IReadOnlyCollection<DeliveryEntry> entries, ImmutableArray<DeliveryEntry?> matches)
    {
        var named = content.Posts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var taken = matches.OfType<DeliveryEntry>().Select(e => (e.Identity, e.RowKey)).ToHashSet();
        return [.. entries.Where(e => e is { Retired: null } and not { Status: DeliveryStatus.Claimed } && !named.Contains(e.Identity) && !named.Contains(e.PostId) && !taken.Contains((e.Identity, e.RowKey)))];
    }

    /// <summary>
    /// The entries as the content names them now: an entry a planned delivery is matched to carries
    /// that post's id, whether or not a run has recorded the rename yet.
    /// </summary>
    public static IReadOnlyList<DeliveryEntry> AsNamedNow(PostPlan plan, IReadOnlyCollection<DeliveryEntry> entries, ImmutableArray<DeliveryEntry?> matches)
    {
        var renamed = new Dictionary<(string, string), string>();
        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i] is { } entry && entry.PostId != plan.Deliveries[i].PostId)
            {
                renamed.TryAdd((entry.Identity, entry.RowKey), plan.Deliveries[i].PostId);
            }
        }

        return [.. entries.Select(e => renamed.TryGetValue((e.Identity, e.RowKey), out var postId) ? e with { PostId = postId } : e)];
    }
}
