namespace LondonTories.Publishing.Platforms;

/// <summary>
/// One message for one channel, exactly as it goes out: a post for one seat, in one language, on
/// one channel. Everything a platform client needs is here, so clients know nothing of content,
/// plans or ledgers.
/// </summary>
public sealed record Delivery(
    string Key,
    string ChannelId,
    string Platform,
    Uri ApiUrl,
    IReadOnlyDictionary<string, string> Account,
    string Message,
    string? Link,
    string Language,
    Uri? MediaUrl,
    SponsoredAd? Ad,
    ReadOnlyMemory<byte> Document)
{
    /// <summary>
    /// Key: stable for a post's identity, seat, language and channel, at most 64 characters of
    /// <c>[a-z0-9-]</c>: the idempotency key, record key or webhook id wherever a platform takes one.
    /// Account: the channel's account fields from channels.yaml (e.g. <c>page_id</c>,
    /// <c>instagram_account_id</c>, <c>threads_user_id</c>, <c>handle</c>, <c>organization</c>, <c>url</c>, <c>ad_account_id</c>).
    /// Document: the post's JSON document, the body a webhook receives.
    /// </summary>
    public override string ToString() => $"{Platform}:{ChannelId}:{Key}";

    /// <summary>What the picture at <see cref="MediaUrl"/> shows, in words, for people who cannot see it; null when the post gives none.</summary>
    public string? MediaAlt { get; init; }

    /// <summary>The picture's bytes, as the content holds them, for a platform that takes an upload rather than fetching <see cref="MediaUrl"/>; empty without media.</summary>
    public ReadOnlyMemory<byte> MediaBytes { get; init; }

    /// <summary>
    /// The post an earlier attempt of this delivery made and recorded, with these words, before a later
    /// step failed (a Page post whose ad was not finished): the one to carry on from, rather than any
    /// post that reads the same.
    /// </summary>
    public string? EarlierRemoteId { get; init; }

    /// <summary>
    /// When the first attempt that may have made the post without its id being recorded went out (a
    /// lost answer, a run that stopped); null when none may have. Only then is the account searched
    /// for it, and only among posts made since: an older post with the same words is another post.
    /// </summary>
    public DateTimeOffset? EarlierAttempt { get; init; }
}

/// <summary>A sponsored post run as a paid ad, targeted at one seat.</summary>
public sealed record SponsoredAd(
    decimal LifetimeBudgetGbp,
    DateTimeOffset Start,
    DateTimeOffset End,
    double Latitude,
    double Longitude,
    double RadiusKm,
    string FundingEntity);

public enum DeliveryOutcome
{
    /// <summary>The platform holds the post: <see cref="DeliveryResult.RemoteId"/> says which.</summary>
    Sent,

    /// <summary>The platform certainly did not apply the request (refused before or at the door, a rate limit, a documented not-applied error): safe to try again later.</summary>
    NotSent,

    /// <summary>The platform refused the request for a reason a retry cannot mend (a revoked token, a validation error): a person must act.</summary>
    Rejected,

    /// <summary>The request may or may not have been applied (a timeout or lost answer after it was sent) and the platform offers no way to tell.</summary>
    Unknown,
}

/// <summary>What became of one attempt. <see cref="Error"/> never holds a secret.</summary>
public sealed record DeliveryResult(
    DeliveryOutcome Outcome,
    string? RemoteId = null,
    string? RemoteUrl = null,
    string? Error = null,
    DateTimeOffset? RetryAt = null)
{
    /// <summary>
    /// The platform refused the channel's token at the door (401), so the request was not applied: a
    /// token that renews itself (<see cref="ISecretRenewal"/>) may be renewed and the request sent again.
    /// </summary>
    public bool TokenRefused { get; init; }

    /// <summary>
    /// Not finished, but a step may have been applied before its answer was lost (an ad made by
    /// name, found by the next attempt): what the delivery commits counts as spent until then.
    /// </summary>
    public bool MayHaveApplied { get; init; }
}

/// <summary>
/// One platform's client: the requests its documentation describes, through one configured
/// HttpClient with its resilience declared. <paramref name="secret"/> arguments are the channel's
/// secret value (a token or app password) and must never reach a log, an error or a result.
/// </summary>
public interface IPlatformClient
{
    /// <summary>The platform name as channels.yaml spells it: facebook, instagram, threads, x, bluesky, mastodon, linkedin, webhook.</summary>
    string Platform { get; }

    /// <summary>A repeat of the same delivery can never make a second post (a record key, an idempotency key).</summary>
    bool SafeToRepeat { get; }

    /// <summary>
    /// How long after a first attempt a repeat is still safe, where the platform forgets its
    /// idempotency keys; null where a repeat is safe for ever (a record key) or never.
    /// </summary>
    TimeSpan? RepeatWindow => null;

    Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken);

    /// <summary>
    /// After an ambiguous outcome: the post this delivery made, if the platform can say so for
    /// certain (<see cref="DeliveryOutcome.Sent"/> or <see cref="DeliveryOutcome.NotSent"/>); null
    /// where it offers no such lookup.
    /// </summary>
    Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken);

    /// <summary>Removes a post this delivery made, where the platform allows it.</summary>
    Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken);
}

/// <summary>
/// A client whose secret goes stale and renews itself (an OAuth refresh token). The platform may
/// replace the whole secret on renewal, so the new value must be stored before it is used.
/// </summary>
public interface ISecretRenewal
{
    /// <summary>The secret must be renewed before it is used at <paramref name="now"/>.</summary>
    bool NeedsRenewal(string secret, DateTimeOffset now);

    /// <summary>The secret carries what renewing it takes (a refresh token), whether or not it is due.</summary>
    bool CanRenew(string secret);

    /// <summary>The secret, due for renewal, still works at <paramref name="now"/>: when it cannot be renewed it is used as it is.</summary>
    bool StillWorks(string secret, DateTimeOffset now);

    /// <summary>The secret's new value, or why there is none; neither ever holds the old value.</summary>
    Task<SecretRenewal> RenewAsync(Delivery delivery, string secret, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// When the secret stops working for good, so that only someone authorising the app again can
    /// keep the channel posting (a refresh token with a fixed life, or a token nothing can renew);
    /// null where renewals go on for ever or the end is not known.
    /// </summary>
    DateTimeOffset? AuthorisationEnds(string secret) => null;
}

/// <summary>A renewed secret (<see cref="Value"/>), or why it could not be renewed (<see cref="Error"/>).</summary>
public sealed record SecretRenewal(string? Value, string? Error)
{
    /// <summary>The platform may have spent the old secret without the new one arriving (a lost answer): the old one may no longer work.</summary>
    public bool OldSpent { get; init; }
}
