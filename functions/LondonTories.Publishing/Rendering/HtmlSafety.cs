using Ganss.Xss;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The sanitiser for editor HTML: safe markup such as <c>abbr</c> and <c>details</c> survives;
/// scripts, frames, forms and their fields, event handlers and script-bearing URLs are removed, not
/// shown as text. Classes are dropped and ids kept on headings only, so a body can neither pass for
/// the layout's parts (its imprint, its navigation) nor take over its anchors.
/// </summary>
public sealed class HtmlSafety
{
    private static readonly string[] Fields = ["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "datalist", "output"];

    private static readonly HashSet<string> Allowed = AllowedTags();

    // Elements whose content is code, hidden, embedded or a form's: they go with what they hold. Any
    // other element a page may not carry (a placeholder such as <your postcode>, read as an element
    // that never closes, or an obsolete one such as <marquee>) goes alone, so the text it holds, or
    // every block after it, stays.
    private static readonly HashSet<string> RemovedWhole = new(
        ["script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "canvas", "audio", "video",
         "source", "track", "picture", "param", "title", "head", "meta", "link", "base", "xmp", "noembed", "noframes", "plaintext", "dialog", "slot", .. Fields],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a page may carry the element named <paramref name="tag"/>.</summary>
    public static bool Allows(string tag) => Allowed.Contains(tag);

    /// <summary>True when the element named <paramref name="tag"/>, where a page may not carry it, is left out with what it holds.</summary>
    public static bool RemovesWithContent(string tag) => RemovedWhole.Contains(tag);

    private static HashSet<string> AllowedTags()
    {
        var tags = new HashSet<string>(HtmlSanitizerDefaults.AllowedTags, StringComparer.OrdinalIgnoreCase) { "details", "summary", "abbr", "figure", "figcaption", "mark", "time" };
        tags.ExceptWith(Fields);
        return tags;
    }

    // Made at the first page with HTML of its own: making it costs a tenth of a second in a fresh
    // process (the HTML and CSS parsers' tables), and most content has none.
    private readonly Lazy<HtmlSanitizer> _sanitizer = new(Create);

    public string Sanitize(string html) => _sanitizer.Value.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Allowed, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(HtmlSanitizerDefaults.AllowedAttributes, StringComparer.OrdinalIgnoreCase) { "id", "open", "lang", "dir", "datetime" },
            AllowedSchemes = new HashSet<string>(LinkSchemes.Allowed, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(HtmlSanitizerDefaults.UriAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("class");
        sanitizer.AllowedAttributes.Remove("name");
        sanitizer.AllowedAttributes.Remove("form");
        sanitizer.AllowedAttributes.Remove("action");
        sanitizer.AllowedAttributes.Remove("formaction");
        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Reason == RemoveReason.NotAllowedTag && !RemovedWhole.Contains(e.Tag.LocalName) && e.Tag.Parent is not null)
            {
                // Its children stay in its place; each is still checked, as the sanitiser lists every element it removes before removing any.
                e.Tag.Replace([.. e.Tag.ChildNodes]);
                e.Cancel = true;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement element && element.HasAttribute("id") && element.LocalName is not ("h1" or "h2" or "h3" or "h4" or "h5" or "h6"))
            {
                element.RemoveAttribute("id");
            }

            // A page opened in a new tab gets no handle on this one, which it could send elsewhere (reverse tabnabbing).
            if (e.Node is AngleSharp.Dom.IElement linked && linked.HasAttribute("target"))
            {
                var rel = (linked.GetAttribute("rel") ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                    .Where(token => !token.Equals("opener", StringComparison.OrdinalIgnoreCase) && !token.Equals("noopener", StringComparison.OrdinalIgnoreCase));
                linked.SetAttribute("rel", string.Join(' ', [.. rel, "noopener"]));
            }
        };
        return sanitizer;
    }
}
