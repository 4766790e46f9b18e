using System.Text.Json;
using System.Text.Json.Serialization;

namespace LondonTories.Publishing.Platforms;

/// <summary>A channel secret that is an access token, bare or in a JSON set with what renews it.</summary>
public interface ITokenSet
{
    string AccessToken { get; }
}

/// <summary>How every platform's token set is read from and written to its secret.</summary>
internal static class TokenSet
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The secret's value as stored: JSON when it is a token set; null when it is JSON without an access token.</summary>
    public static T? Parse<T>(string secret, Func<string, T> bare)
        where T : class, ITokenSet
    {
        if (!secret.TrimStart().StartsWith('{'))
        {
            return bare(secret.Trim());
        }

        try
        {
            return JsonSerializer.Deserialize<T>(secret, Json) is { AccessToken.Length: > 0 } token ? token : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string ToJson<T>(T token)
        where T : ITokenSet => JsonSerializer.Serialize(token, Json);
}
