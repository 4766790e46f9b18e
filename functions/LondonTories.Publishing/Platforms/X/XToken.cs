using System.Text.Json.Serialization;

namespace LondonTories.Publishing.Platforms.X;

/// <summary>
/// An X channel's secret: a bare OAuth 2.0 access token, or the JSON token set a refresh needs:
/// <c>{"access_token": …, "refresh_token": …, "expires_at": "2026-11-30T14:00:00Z", "client_id": …}</c>,
/// with <c>client_secret</c> for a confidential client. X's access tokens last two hours and each
/// refresh replaces the refresh token, so a renewable set is stored again after every refresh.
/// </summary>
public sealed record XToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("client_secret")] string? ClientSecret = null) : ITokenSet
{
    /// <summary>How long before its expiry a token is renewed, so that none expires in the middle of a run.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    public bool Renewable => RefreshToken is { Length: > 0 } && ClientId is { Length: > 0 };

    /// <summary>A renewable token that has expired, expires within <see cref="Margin"/>, or whose expiry is not known.</summary>
    public bool Stale(DateTimeOffset now) => Renewable && (ExpiresAt is not { } expires || expires - now <= Margin);

    /// <summary>Every secret part, for blotting out of anything a platform's answer might echo.</summary>
    public IEnumerable<string> Secrets => new[] { AccessToken, RefreshToken, ClientSecret }.OfType<string>().Where(s => s.Length > 0);

    /// <summary>The secret's value as stored: JSON when it is a token set; null when it is JSON without an access token.</summary>
    public static XToken? Parse(string secret) => TokenSet.Parse(secret, bare => new XToken(bare));

    public string ToJson() => TokenSet.ToJson(this);
}
