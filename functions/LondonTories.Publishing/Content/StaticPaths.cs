using System.Text.RegularExpressions;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>
/// The site addresses the files under static/ are published at (static/images/photo.jpg at
/// /images/photo.jpg), for checking the pictures pages name.
/// </summary>
public sealed partial class StaticPaths
{
    private readonly HashSet<string> _addresses;

    public StaticPaths(IEnumerable<string> contentPaths) =>
        _addresses = contentPaths.Where(p => p.StartsWith("static/", StringComparison.Ordinal))
            .Select(p => p["static".Length..])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The address within the site that <paramref name="reference"/> names, without its query or fragment,
    /// or null when it names no file of this site that can be checked: an address elsewhere on the web,
    /// one a template makes, or, unless <paramref name="relativeIsRooted"/>, one relative to the page.
    /// </summary>
    public static string? AddressOf(string reference, bool relativeIsRooted)
    {
        var text = reference.Trim();
        if (text.Length == 0 || text.Contains("{{", StringComparison.Ordinal) || text.StartsWith("//", StringComparison.Ordinal) || Scheme().IsMatch(text))
        {
            return null;
        }

        text = text.Split('?', '#')[0];
        if (text.Length == 0 || (!relativeIsRooted && !text.StartsWith('/')))
        {
            return null;
        }

        return "/" + Uri.UnescapeDataString(text).TrimStart('/');
    }

    public bool Contains(string address) => _addresses.Contains(address);

    /// <summary>The hint for an address with no file: the nearest one published, else where the file belongs.</summary>
    public string HintFor(string address) =>
        DidYouMean.Suggest(address, _addresses) is { } suggestion
            ? DidYouMean.Hint(suggestion)
            : $"Put the picture at static{address}, or give its full https:// address if it lives on another site.";

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
