namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The link schemes editors' text may use, on pages and in posts alike: anything else
/// (<c>javascript:</c>, <c>vbscript:</c>, <c>data:</c>, ...) is dropped wherever it appears.
/// </summary>
public static class LinkSchemes
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
}
