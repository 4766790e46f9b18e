using System.Text.Json.Serialization;

namespace LondonTories.Publishing.Platforms.LinkedIn;

/// <summary>
/// A LinkedIn channel's secret: a bare access token, or the JSON token set a renewal needs:
/// <c>{"access_token": …, "refresh_token": …, "expires_at": …, "refresh_token_expires_at": …, "client_id": …, "client_secret": …}</c>.
/// LinkedIn's access tokens last 60 days; its programmatic refresh tokens (for approved Marketing
/// Developer Platform apps) last a year from the first authorisation, and a renewal gives a new
/// access token without extending the refresh token.
/// </summary>
public sealed record LinkedInToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt = null,
    [property: JsonPropertyName("refresh_token_expires_at")] DateTimeOffset? RefreshExpiresAt = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("client_secret")] string? ClientSecret = null) : ITokenSet
{
    /// <summary>How long LinkedIn keeps an access token, as documented, when an answer does not say.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(60);

    /// <summary>
    /// A token is renewed when it is used a week or more after it was issued: a channel renewed by
    /// any delivery run in 53 days never loses its token, and the vault gains at most a version a week.
    /// </summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromDays(7);

    /// <summary>LinkedIn renews only with the refresh token, the app's id and its secret together.</summary>
    public bool Renewable => RefreshToken is { Length: > 0 } && ClientId is { Length: > 0 } && ClientSecret is { Length: > 0 };

    /// <summary>A renewable token issued a week or more ago, expired, or whose expiry is not known.</summary>
    public bool Stale(DateTimeOffset now) => Renewable && (ExpiresAt is not { } expires || expires - now <= Lifetime - RenewAfter);

    /// <summary>Every secret part, for blotting out of anything a platform's answer might echo.</summary>
    public IEnumerable<string> Secrets => new[] { AccessToken, RefreshToken, ClientSecret }.OfType<string>().Where(s => s.Length > 0);

    /// <summary>The secret's value as stored: JSON when it is a token set; null when it is JSON without an access token.</summary>
    public static LinkedInToken? Parse(string secret) => TokenSet.Parse(secret, bare => new LinkedInToken(bare));

    public string ToJson() => TokenSet.ToJson(this);
}
