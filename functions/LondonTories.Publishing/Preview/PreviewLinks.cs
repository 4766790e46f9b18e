using System.Security.Cryptography;
using System.Text.Json;

namespace LondonTories.Publishing.Preview;

/// <summary>
/// What a preview link shows: one seat in one language as of one moment, of the content as it stands
/// or with a draft page in place (kept in the private <c>previews</c> container by its digest).
/// </summary>
public sealed record PreviewGrant(string Seat, string Language, DateTimeOffset At, DateTimeOffset Expires, string? DraftPath = null, string? DraftSha256 = null);

public enum PreviewLinkStatus
{
    Valid,

    /// <summary>Not signed with the key, or altered since: a forgery or a mangled copy.</summary>
    Forged,

    Expired,
}

/// <summary>
/// Signs and checks preview links: the grant as JSON and an HMAC-SHA256 over it, both base64url, so a
/// link cannot be altered (another seat, a later expiry) without the key, which never leaves the server.
/// </summary>
public sealed class PreviewLinks
{
    /// <summary>How long a link works unless asked otherwise.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(72);

    /// <summary>The shortest a link may be asked to work.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The longest a link may be asked to work.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly byte[] _key;

    public PreviewLinks(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("A preview signing key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>A key from its base64 text (e.g. a Key Vault secret), or null when none is set.</summary>
    public static PreviewLinks? FromBase64(string? text)
    {
        if (text is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length >= 32 ? new PreviewLinks(key) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public string Sign(PreviewGrant grant)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(grant, Json);
        return $"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(_key, payload))}";
    }

    /// <summary>
    /// Whether <paramref name="token"/> has a link's shape (a payload and a 32-byte signature, each spelled
    /// as <see cref="Sign"/> spells them): what fails this is refused without the key being read.
    /// </summary>
    public static bool CouldBeLink(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && FromBase64Url(token[..dot]) is not null && FromBase64Url(token[(dot + 1)..]) is { Length: HMACSHA256.HashSizeInBytes };
    }

    public PreviewLinkStatus Check(string token, DateTimeOffset now, out PreviewGrant? grant)
    {
        grant = null;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || FromBase64Url(token[..dot]) is not { } payload || FromBase64Url(token[(dot + 1)..]) is not { } signature
            || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload)))
        {
            return PreviewLinkStatus.Forged;
        }

        try
        {
            grant = JsonSerializer.Deserialize<PreviewGrant>(payload, Json);
        }
        catch (JsonException)
        {
            return PreviewLinkStatus.Forged;
        }

        if (grant is null)
        {
            return PreviewLinkStatus.Forged;
        }

        return grant.Expires > now ? PreviewLinkStatus.Valid : PreviewLinkStatus.Expired;
    }

    /// <summary>
    /// The token of an approve button: it vouches that this app made a form approving exactly
    /// <paramref name="item"/> for <paramref name="seat"/> (every seat when null) at <paramref name="digest"/>,
    /// until <paramref name="expires"/>. A form that a layout or page shown beside the button could hold
    /// cannot carry one, as the key never leaves the server.
    /// </summary>
    public string SignApproval(string item, string? seat, string? digest, DateTimeOffset expires)
    {
        var until = expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{until}.{Base64Url(HMACSHA256.HashData(_key, ApprovalPayload(item, seat, digest, until)))}";
    }

    /// <summary>Whether <paramref name="token"/> is the approve button's token for exactly these fields, and has not expired.</summary>
    public bool CheckApproval(string? token, string item, string? seat, string? digest, DateTimeOffset now)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || !long.TryParse(token.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var until)
            || FromBase64Url(token[(dot + 1)..]) is not { } signature)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, ApprovalPayload(item, seat, digest, token[..dot])))
               && now.ToUnixTimeSeconds() < until;
    }

    // Told apart from a link's payload, which is JSON, by its first line, so neither passes for the other.
    private static byte[] ApprovalPayload(string item, string? seat, string? digest, string until) =>
        System.Text.Encoding.UTF8.GetBytes($"approve\n{item}\n{seat}\n{digest}\n{until}");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The bytes <paramref name="text"/> spells, only when it spells them as <see cref="Base64Url"/> does.</summary>
    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }

        // Base64 read leniently takes padding, whitespace, '+', '/' and spare low bits for the same bytes: one
        // link would have many spellings, and logs or a list of links to refuse would each hold only one of them.
        return string.Equals(Base64Url(bytes), text, StringComparison.Ordinal) ? bytes : null;
    }
}
