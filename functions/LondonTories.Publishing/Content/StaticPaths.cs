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

    /// <param name="basePath">The path the site is published under (<c>/london</c>), or empty: a page's text names the site's files below it.</param>
    public StaticPaths(IEnumerable<string> contentPaths, string basePath = "")
    {
        _addresses = contentPaths.Where(p => p.StartsWith("static/", StringComparison.Ordinal))
            .Select(p => p["static".Length..])
            .ToHashSet(StringComparer.Ordinal);
        BasePath = basePath;
    }

    /// <summary>The path the site is published under, without its last slash; empty for a site at the root of its domain.</summary>
    public string BasePath { get; }

    /// <summary>
    /// The address within the site that a picture in a page's text names from the domain's root (the
    /// site's own path left off), or null where it names none to check here; <paramref name="outside"/>
    /// when it leaves the site's path out, which the page's links check reports with the address meant.
    /// </summary>
    public string? BodyAddressOf(string reference, out bool outside)
    {
        var address = AddressOf(reference, relativeIsRooted: false);
        var within = address is null ? null : Site.PathWithin(BasePath, address);
        outside = address is not null && within is null;
        return within;
    }

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
    /// <param name="fromDomainRoot">For a page's text, which names a file from the domain's root, under the site's own path.</param>
    public string HintFor(string address, bool fromDomainRoot = false)
    {
        // A name saved on a Mac spells é as e and an accent: the nearest name would look the same as the one written.
        if (_addresses.FirstOrDefault(a => a != address && Composed(a) == Composed(address)) is { } alike)
        {
            return $"static{alike} has this name with its accents encoded otherwise (é as one character in one, as e and an accent in the other), " +
                   "and addresses tell the two apart: type the file's name again, so that both are written alike.";
        }

        return DidYouMean.Suggest(address, _addresses) is { } suggestion
            ? DidYouMean.Hint((fromDomainRoot ? BasePath : string.Empty) + suggestion)
            : $"Put the picture at static{address}, or give its full https:// address if it lives on another site.";
    }

    /// <summary><paramref name="text"/> with each accent composed with its letter (Unicode's NFC), as most systems but macOS write names.</summary>
    internal static string Composed(string text)
    {
        try
        {
            return text.Normalize(System.Text.NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Half of a surrogate pair has no normal form; such a name is compared as written.
            return text;
        }
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    /// <summary>
    /// What is wrong with a picture's address that names no file of the site, as an address on another
    /// site, or null when it is an https URL with a host and only the characters a URL may hold.
    /// </summary>
    public static (string Problem, string Fix)? WebAddressProblem(string image)
    {
        var colon = image.IndexOf(':', StringComparison.Ordinal);
        var scheme = image.StartsWith("//", StringComparison.Ordinal) || colon < 0 ? null : image[..colon];
        if (scheme is null)
        {
            return ("is neither a file under static/ nor an https URL, so feeds and pages would carry a broken address.",
                "Give a picture on another site by its full address, starting https://.");
        }

        if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            return ("is a plain http:// address, which browsers block or warn about on the site's https pages.",
                "Use the picture's https:// address.");
        }

        if (!scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return ($"is a '{scheme}:' address, not a file under static/ or an https URL, so feeds and pages would carry a broken address.",
                "Give a picture on another site by its full address, starting https://.");
        }

        if (!image.All(IsUrlCharacter) || !WellFormedEscapes(image))
        {
            return ("has a space or another character a URL cannot hold, so feeds and pages would carry a broken address.",
                "Write a space in its path as %20 and copy the address from the browser's address bar; a site's name has no spaces.");
        }

        return !image.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(image, UriKind.Absolute, out var uri) || uri.Host.Length == 0
            ? ("names no site to fetch the picture from.", "Write the whole address: https://, the site's name, then the picture's path, e.g. https://cdn.example.org/housing.jpg.")
            : null;
    }

    /// <summary>
    /// An address of the site as a URL may hold it: each ASCII character a URL cannot hold as written (a
    /// space, a quote, a '%' that starts no escape) escaped, the rest as written, escapes included.
    /// </summary>
    public static string Escaped(string address)
    {
        // Every page's picture address passes through here, almost always with nothing to escape: that costs no copy.
        var i = 0;
        while (i < address.Length && !MustEscape(address, i))
        {
            i++;
        }

        if (i == address.Length)
        {
            return address;
        }

        var builder = new System.Text.StringBuilder(address.Length + 8).Append(address, 0, i);
        for (; i < address.Length; i++)
        {
            if (MustEscape(address, i))
            {
                builder.Append('%').Append(((int)address[i]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(address[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether the character at <paramref name="i"/> needs escaping: a '%' that starts no escape, or an ASCII character a URL cannot hold.</summary>
    private static bool MustEscape(string address, int i) =>
        address[i] == '%'
            ? !(i + 2 < address.Length && char.IsAsciiHexDigit(address[i + 1]) && char.IsAsciiHexDigit(address[i + 2]))
            : char.IsAscii(address[i]) && !IsUrlCharacter(address[i]);

    /// <summary>
    /// The URL path of the file under static/ published at <paramref name="address"/>: a '%', '?' or '#' in
    /// its name escaped too, which a URL would read as an escape, a query or a fragment.
    /// </summary>
    public static string EscapedFile(string address) =>
        Escaped(address.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal));

    // RFC 3986's unreserved and reserved characters, and '%' for escapes; anything else must be escaped to appear in a URL.
    private static bool IsUrlCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "-._~:/?#[]@!$&'()*+,;=%".Contains(c, StringComparison.Ordinal);

    private static bool WellFormedEscapes(string url)
    {
        for (var i = url.IndexOf('%', StringComparison.Ordinal); i >= 0; i = url.IndexOf('%', i + 1))
        {
            if (i + 2 >= url.Length || !char.IsAsciiHexDigit(url[i + 1]) || !char.IsAsciiHexDigit(url[i + 2]))
            {
                return false;
            }
        }

        return true;
    }
}
