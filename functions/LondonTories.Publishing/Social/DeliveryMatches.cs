using System.Collections.Immutable;

namespace LondonTories.Publishing.Social;

/// <summary>
/// Which ledger entry each planned delivery is. A post keeps the identity it had when first claimed:
/// a renamed file finds its entry by its text (as sent, or as edited since), seat, day and channel;
/// one edited and renamed at once, by the moment it was scheduled for, among entries whose file is
/// gone. A post taken for another can be missed, never sent twice. Delivery and the spend report
/// both go by this, so a renamed post is one post to each.
/// </summary>
public static class DeliveryMatches
{
    /// <summary>The entry of each of <paramref name="plan"/>'s deliveries, in their order; null where none has been recorded.</summary>
    public static ImmutableArray<DeliveryEntry?> Find(PostPlan plan, IReadOnlyCollection<DeliveryEntry> entries)
    {
        var byKey = entries.ToDictionary(e => (e.Identity, e.RowKey));
        var byText = entries.GroupBy(e => (e.RowKey, e.Day, e.MessageSha256)).ToDictionary(g => g.Key, g => g.First());
        var byCurrentText = entries.GroupBy(e => (e.RowKey, e.Day, e.CurrentSha256)).ToDictionary(g => g.Key, g => g.First());
        var planned = plan.Deliveries.Select(d => d.PostId).ToHashSet(StringComparer.Ordinal);
        var orphans = entries.Where(e => !planned.Contains(e.Identity) && !planned.Contains(e.PostId))
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
