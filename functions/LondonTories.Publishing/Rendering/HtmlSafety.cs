using Ganss.Xss;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The sanitiser for editor HTML: safe markup such as <c>abbr</c> and <c>details</c> survives;
/// scripts, frames, event handlers and script-bearing URLs are removed, not shown as text.
/// </summary>
public sealed class HtmlSafety
{
    private readonly HtmlSanitizer _sanitizer;

    public HtmlSafety()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(HtmlSanitizerDefaults.AllowedTags, StringComparer.OrdinalIgnoreCase) { "details", "summary", "abbr", "figure", "figcaption", "mark", "time" },
            AllowedAttributes = new HashSet<string>(HtmlSanitizerDefaults.AllowedAttributes, StringComparer.OrdinalIgnoreCase) { "id", "class", "open", "lang", "dir", "datetime" },
            AllowedSchemes = new HashSet<string>(LinkSchemes.Allowed, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(HtmlSanitizerDefaults.UriAttributes, StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        _sanitizer = new HtmlSanitizer(options);
        _sanitizer.AllowedAttributes.Remove("style");
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);
}
