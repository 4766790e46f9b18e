using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Rendering;

/// <summary>A page's picture for social cards, feeds and pages.json: its <c>image:</c>, else the first image its body shows.</summary>
public static partial class PageImage
{
    public static string? UrlFor(PageFile page, Site site)
    {
        var image = page.Image ?? FirstImages.GetValue(page, file => new StrongBox<string?>(FirstImage(file.Body.Template.Source))).Value;
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

    // Every seat's copy of a page asks, for its page, its feed entries and its pages.json entry: the body is read once.
    private static readonly ConditionalWeakTable<PageFile, StrongBox<string?>> FirstImages = new();

    // Read from the source rather than the rendered page, so pages.json can name the image of a page
    // this run did not need to render.
    private static string? FirstImage(string markdown) =>
        ImageReference().Match(markdown) is { Success: true } match
            ? (match.Groups["md"].Success ? match.Groups["md"].Value : match.Groups["html"].Value)
            : null;

    [GeneratedRegex("""!\[[^\]]*\]\(\s*<?(?<md>[^\s)>]+)|<img\b[^>]*?\bsrc\s*=\s*["'](?<html>[^"']+)["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageReference();
}
