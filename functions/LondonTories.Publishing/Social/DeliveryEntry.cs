namespace LondonTories.Publishing.Social;

public enum DeliveryStatus
{
    /// <summary>Its time has not come.</summary>
    Scheduled,

    /// <summary>Its time has come and no run has taken it yet.</summary>
    Due,

    /// <summary>A run took it and is sending it; only that run may.</summary>
    Claimed,

    /// <summary>The platform holds the post.</summary>
    Sent,

    /// <summary>An attempt certainly did not reach the platform, or a guard held it; a later run tries again until the grace period ends.</summary>
    Failed,

    /// <summary>An attempt may or may not have made a post, and the platform cannot say: a person settles it with <c>posts --confirm</c>.</summary>
    Unknown,

    /// <summary>Its time passed the grace period while nothing sent it; it is never sent.</summary>
    Missed,

    /// <summary>It went out and was removed again with <c>posts --retract</c>.</summary>
    Retracted,
}

/// <summary>
/// One delivery as the ledger holds it: a post (by the identity fixed when it was first claimed), a
/// seat, a language and a channel. <see cref="ETag"/> is the version a change must match, so that
/// only one run can move it on.
/// </summary>
public sealed record DeliveryEntry(string Identity, string Seat, string Language, string Channel)
{
    public DeliveryStatus Status { get; init; } = DeliveryStatus.Due;

    public string Platform { get; init; } = string.Empty;

    /// <summary>The post's id in the content now; differs from <see cref="Identity"/> after its file was renamed.</summary>
    public string PostId { get; init; } = string.Empty;

    public DateTimeOffset Scheduled { get; init; }

    /// <summary>The London date it was scheduled on, <c>yyyy-MM-dd</c>.</summary>
    public string Day { get; init; } = string.Empty;

    /// <summary>The digest of the message as first claimed (and sent): how a renamed post is recognised.</summary>
    public string MessageSha256 { get; init; } = string.Empty;

    /// <summary>The digest of the message as the content holds it now.</summary>
    public string CurrentSha256 { get; init; } = string.Empty;

    public string? ClaimedBy { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>
    /// When the first attempt that may have made the post went out; cleared when an attempt certainly
    /// made none. A platform that dedupes repeats only for a while is not sent a repeat after that.
    /// </summary>
    public DateTimeOffset? FirstAttempt { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? NextAttempt { get; init; }

    public string? LastError { get; init; }

    public string? RemoteId { get; init; }

    public string? RemoteUrl { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>
    /// The lifetime budget of the ad this delivery runs, as sent to the platform: what the seat
    /// spends on it whatever its file says later. Null for a delivery with no ad, and in rows
    /// recorded before the ledger kept it.
    /// </summary>
    public decimal? AdBudgetGbp { get; init; }

    /// <summary>
    /// When a run first found no post file naming it (deleted, not renamed in that run): from then on
    /// only a file of its own id takes it up again, so a new post with the same words is a new post.
    /// </summary>
    public DateTimeOffset? Retired { get; init; }

    public string ETag { get; init; } = string.Empty;

    /// <summary>The text was edited after it went out; the edit was not sent.</summary>
    public bool ChangedAfterSend => Status is DeliveryStatus.Sent or DeliveryStatus.Retracted && CurrentSha256.Length > 0 && CurrentSha256 != MessageSha256;

    public string RowKey => RowKeyOf(Seat, Language, Channel);

    public static string RowKeyOf(string seat, string language, string channel) => $"{seat}.{language}.{channel}";
}

/// <summary>Where deliveries are recorded: every change is conditional on the entry's ETag.</summary>
public interface IDeliveryLedger
{
    Task<IReadOnlyList<DeliveryEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Adds the entry; null when another run added it first.</summary>
    Task<DeliveryEntry?> TryAddAsync(DeliveryEntry entry, CancellationToken cancellationToken);

    /// <summary>Replaces the entry if it still has <see cref="DeliveryEntry.ETag"/>; null when another run changed it first.</summary>
    Task<DeliveryEntry?> TryReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken);
}

/// <summary>The one place a delivery's status is computed: for publish, the timer, <c>posts</c> and the preview alike.</summary>
public static class DeliveryStatuses
{
    /// <summary>
    /// The status of a delivery at <paramref name="now"/> from its schedule and what the ledger holds
    /// (null: nothing yet). Settled states stay as they are; a failure past the grace period is missed;
    /// a claim stays a claim whatever the time, since the post may have gone out.
    /// </summary>
    public static DeliveryStatus Of(DateTimeOffset schedule, DateTimeOffset now, TimeSpan grace, DeliveryEntry? recorded)
    {
        if (recorded?.Status is DeliveryStatus.Sent or DeliveryStatus.Unknown or DeliveryStatus.Missed or DeliveryStatus.Retracted or DeliveryStatus.Claimed)
        {
            return recorded.Status;
        }

        return PostDelivery.StatusAt(schedule, now, grace, alreadyOut: false) switch
        {
            PostStatus.Scheduled => DeliveryStatus.Scheduled,
            PostStatus.Missed => DeliveryStatus.Missed,
            _ => recorded?.Status == DeliveryStatus.Failed ? DeliveryStatus.Failed : DeliveryStatus.Due,
        };
    }

    public static string Name(DeliveryStatus status) => status.ToString().ToLowerInvariant();
}
