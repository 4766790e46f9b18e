using System.Text.RegularExpressions;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>Secrets named in content: by a channel of channels.yaml, by an association's webhook.</summary>
public sealed partial class ContentLoader
{
    /// <summary>
    /// The name of a secret (a channel's, an association webhook's), one rule for all: the name in Key
    /// Vault, or locally <see cref="SecretNames.EnvironmentVariable"/>. The value itself never
    /// belongs in content: a value shaped like a token is refused without repeating it, so the error
    /// cannot spread it further.
    /// </summary>
    internal static string? ReadSecretName(YamlFields fields, DiagnosticBag diagnostics, string what, string example)
    {
        if (fields.String("secret", required: true, what) is not { } name)
        {
            return null;
        }

        var location = fields.LocationOf(fields.Find("secret")!);
        if (LooksLikeToken(name))
        {
            diagnostics.Error(location, "secret-value", "'secret' holds what looks like a token or password itself, not the name of a secret.",
                $"Delete the value from this file (and revoke it: it has been written down), put it in Key Vault, an environment variable or dotnet user-secrets, and write its name here, e.g. 'secret: {example}'.");
            return null;
        }

        if (!SecretName().IsMatch(name))
        {
            diagnostics.Error(location, "invalid-secret-name", "'secret' is not a valid secret name.",
                $"Secret names are lower-case letters, digits and single hyphens, at most 64 characters, e.g. '{example}' (the name in Key Vault; locally the environment variable {SecretNames.EnvironmentVariable(example)}).");
            return null;
        }

        return name;
    }

    /// <summary>Long runs of letters and digits, or the characters tokens are made of, are not names anyone chose.</summary>
    internal static bool LooksLikeToken(string value) =>
        value.Length > 64 || value.Any(c => c is '.' or '_' or '=' or '/' or '+' or '|' or ':') ||
        value.Split('-').Any(part => part.Length >= 20 && part.Any(char.IsDigit) && part.Any(char.IsLetter)) ||
        (value.Any(char.IsUpper) && value.Any(char.IsLower) && value.Any(char.IsDigit) && value.Length >= 16);

    /// <summary>
    /// Reports an address holding a user name and password, named without them: credentials belong in
    /// the secret store, and one written into content has been seen by everyone who reads it. True when it does.
    /// </summary>
    internal static bool HoldsCredentials(Uri uri, SourceLocation location, string what, string whereInstead, DiagnosticBag diagnostics)
    {
        if (uri.UserInfo.Length == 0)
        {
            return false;
        }

        diagnostics.Error(location, "credentials-in-url", $"{what} holds a user name and password ({ShownUrl.Of(uri)} with them left out here).",
            $"Remove them from the address, and change that password: it has been written down. {whereInstead}");
        return true;
    }

    /// <summary>
    /// Reports an address written as a private or internal network's (see <see cref="NetworkAddresses"/>);
    /// one that only resolves there is refused when connecting. True when it is.
    /// </summary>
    internal static bool OnPrivateNetwork(Uri uri, SourceLocation location, string what, string code, string hint, DiagnosticBag diagnostics)
    {
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || NetworkAddresses.NamesThisMachine(uri.Host)
            || !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) || NetworkAddresses.IsPublic(literal))
        {
            return false;
        }

        diagnostics.Error(location, code, $"{what} '{ShownUrl.Of(uri)}' is on a private or internal network, which the app never connects to.", hint);
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
