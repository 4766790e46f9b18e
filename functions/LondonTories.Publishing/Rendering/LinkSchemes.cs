namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The link schemes editors' text may use, on pages and in posts alike: anything else
/// (<c>javascript:</c>, <c>vbscript:</c>, <c>data:</c>, ...) is dropped wherever it appears.
/// </summary>
public static partial class LinkSchemes
{
    public static IReadOnlyList<string> Allowed { get; } = ["http", "https", "mailto", "tel"];

    /// <summary>True for a relative URL or one whose scheme is allowed.</summary>
    public static bool IsAllowed(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSeparator = url.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstSeparator >= 0 && firstSeparator < colon))
        {
            return true;
        }

        var scheme = url[..colon].Trim();
        return Allowed.Any(s => string.Equals(s, scheme, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The web address a link was most likely meant to be, where it reads as one mistyped: a scheme a
    /// letter off http or https ('htps:'), its colon missing ('https//'), or none at all ('www.').
    /// </summary>
    public static string? Meant(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
            && url[..colon].Trim().ToLowerInvariant() is var scheme && scheme.All(char.IsAsciiLetter)
            && Diagnostics.DidYouMean.Suggest(scheme, ["http", "https"], allowed: 1) is { } near && url[(colon + 1)..].TrimStart('/') is { Length: > 0 } address)
        {
            return $"{near}://{address}";
        }

        if (HalfScheme().Match(url) is { Success: true } half)
        {
            return $"{half.Groups["scheme"].Value.ToLowerInvariant()}://{half.Groups["rest"].Value}";
        }

        return url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && url.Length > 4 ? "https://" + url : null;
    }

    // http or https with its colon or one slash missing ('https//', 'https:/'), then the address.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<scheme>https?)(?://+|:/(?!/))(?<rest>[^/].*)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex HalfScheme();
}
