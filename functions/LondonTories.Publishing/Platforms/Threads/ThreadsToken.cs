using System.Text.Json.Serialization;

namespace LondonTories.Publishing.Platforms.Threads;

/// <summary>
/// A Threads channel's secret: a bare long-lived access token, or the token with its expiry,
/// <c>{"access_token": …, "expires_at": "2027-01-29T12:00:00Z"}</c>, which the app renews. A
/// long-lived token lasts 60 days and can be refreshed once it is a day old and until it expires;
/// each refresh gives one that lasts 60 days from then.
/// </summary>
public sealed record ThreadsToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt = null) : ITokenSet
{
    /// <summary>How long Threads keeps a long-lived token, as documented, when an answer does not say.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(60);

    /// <summary>
    /// A token is refreshed when it is used a week or more after it was issued: a channel that posts
    /// at least every 53 days never loses its token, and the vault gains at most a version a week.
    /// </summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromDays(7);

    /// <summary>A token whose expiry is known and which was issued a week or more ago, or has expired.</summary>
    public bool Stale(DateTimeOffset now) => ExpiresAt is { } expires && expires - now <= Lifetime - RenewAfter;

    /// <summary>The secret's value as stored: JSON when it carries its expiry; null when it is JSON without an access token.</summary>
    public static ThreadsToken? Parse(string secret) => TokenSet.Parse(secret, bare => new ThreadsToken(bare));

    public string ToJson() => TokenSet.ToJson(this);
}
