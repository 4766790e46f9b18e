using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Rendering;

/// <summary>A page's picture for social cards, feeds and pages.json: its <c>image:</c>, else the first image its body shows.</summary>
public static partial class PageImage
{
    public static string? UrlFor(PageFile page, Site site)
    {
        var image = page.Image ?? FirstOf(page).Url;
        if (string.IsNullOrWhiteSpace(image) || image.Contains("{{", StringComparison.Ordinal))
        {
            return null;
        }

        // A body's picture is read from its source, unchecked: an address elsewhere is the page's card
        // only where an image: could name it, never javascript:, data:, http: or protocol-relative.
        if (page.Image is null && StaticPaths.AddressOf(image, relativeIsRooted: true) is null && StaticPaths.WebAddressProblem(image) is not null)
        {
            return null;
        }

        return Uri.TryCreate(image, UriKind.Absolute, out var absolute) && absolute.Scheme is "https" or "http"
            ? image
            : site.UrlFor(StaticPaths.Escaped("/" + image.TrimStart('/')));
    }

    /// <summary>An image's media type by the extension of its address's path, or null when that does not tell.</summary>
    public static string? MediaType(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".avif" => "image/avif",
            ".svg" => "image/svg+xml",
            _ => null,
        };
    }

    /// <summary>The page's card picture and the words for it, both null where it has none.</summary>
    public static (string? Url, string? Alt) CardFor(PageFile page, Site site) =>
        UrlFor(page, site) is { } url ? (url, AltFor(page)) : (null, null);

    /// <summary>
    /// The words for what the page's card picture shows: its <c>image_alt:</c>, else, for the body's first
    /// picture, that picture's own; null when it has none, or has a template's that each seat would read otherwise.
    /// </summary>
    private static string? AltFor(PageFile page) =>
        page.ImageAlt ?? (page.Image is null && FirstOf(page).Alt is { Length: > 0 } alt && TextTemplate.ExpressionOpening(alt) is null ? alt : null);

    // Every seat's copy of a page asks, for its page, its feed entries and its pages.json entry: the body is read once.
    private static readonly ConditionalWeakTable<PageFile, FirstPicture> FirstImages = new();

    private static FirstPicture FirstOf(PageFile page) => FirstImages.GetValue(page, file => FirstImage(file.Body.Template.Source));

    // Read from the source rather than the rendered page, so pages.json can name the image of a page
    // this run did not need to render.
    private static FirstPicture FirstImage(string markdown)
    {
        if (ImageReference().Match(markdown) is not { Success: true } match)
        {
            return new(null, null);
        }

        if (match.Groups["md"].Success)
        {
            return new(match.Groups["md"].Value, match.Groups["mdalt"].Value.Trim());
        }

        var alt = AltAttribute().Match(match.Groups["tag"].Value);
        return new(match.Groups["html"].Value, alt.Success ? System.Net.WebUtility.HtmlDecode(alt.Groups["alt"].Value).Trim() : null);
    }

    private sealed record FirstPicture(string? Url, string? Alt);

    [GeneratedRegex("""!\[(?<mdalt>[^\]]*)\]\(\s*<?(?<md>[^\s)>]+)|(?<tag><img\b[^>]*?\bsrc\s*=\s*["'](?<html>[^"']+)["'](?:[^>"']|"[^"]*"|'[^']*')*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageReference();

    [GeneratedRegex("""\balt\s*=\s*(?:"(?<alt>[^"]*)"|'(?<alt>[^']*)')""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AltAttribute();
}
