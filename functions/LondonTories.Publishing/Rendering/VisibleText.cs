using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// What a reader of a rendered page actually sees as text: not comments, scripts, templates, the
/// head, or anything hidden by the <c>hidden</c> attribute, <c>aria-hidden</c>, an inline
/// <c>display:none</c> or <c>visibility:hidden</c>, or a closed <c>details</c>. The imprint must be
/// there, not merely somewhere in the bytes.
/// </summary>
public static class VisibleText
{
    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "title", "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "select", "datalist",
        // Shown only when opened, supported or played, or as a form field's value, or reordered: not text a reader reads as written.
        "dialog", "noembed", "noframes", "canvas", "video", "audio", "textarea", "bdo",
    };

    /// <summary>Elements whose content is never shown, whatever their attributes.</summary>
    internal static IEnumerable<string> InvisibleElements => Invisible;

    internal static bool IsInvisible(string name) => Invisible.Contains(name);

    /// <summary>How deep a rendered page's elements may nest: far deeper than a layout's own and a body's limit together.</summary>
    public const int MaxDepth = 1_000;

    // Made at the first page the one-pass scan cannot read, which most runs never meet: making the
    // parser costs a command-line run a noticeable part of its start.
    private static readonly Lazy<HtmlParser> Parser = new(() => new HtmlParser());

    public static ParsedPage Parse(string html) => new(Parser.Value.ParseDocument(html));

    /// <summary>
    /// Whether the page shows <paramref name="text"/>, and the ids more than one element carries: read
    /// in one pass where the markup allows it, else from the page parsed as a browser would.
    /// </summary>
    public static PageCheck Check(string html, string text) => Check(html, text, Normalise(text));

    /// <summary>As <see cref="Check(string, string)"/>, with <paramref name="text"/>'s <see cref="Normalise"/>d form made once by a caller that checks many pages for it.</summary>
    internal static PageCheck Check(string html, string text, string normalisedText)
    {
        if (PageScan.Check(html, normalisedText) is { } scanned)
        {
            return scanned;
        }

        // The parser looks through the elements still open at each tag, as a browser's does: a page
        // nested thousands deep would take it minutes, on every page the layout makes.
        if (MarkdownRenderer.OpensDeeperThan(html, MaxDepth, []))
        {
            return new PageCheck(false, []) { TooDeep = true };
        }

        var page = Parse(html);
        return new PageCheck(Shows(page, text), DuplicateIds(page));
    }

    /// <summary>True when <paramref name="text"/> appears, whitespace aside, in what the page shows.</summary>
    public static bool Shows(string html, string text) => Shows(Parse(html), text);

    /// <summary>True when <paramref name="text"/> appears, whitespace aside, in what the page shows.</summary>
    public static bool Shows(ParsedPage page, string text) => TextOf(page).Contains(Normalise(text), StringComparison.Ordinal);

    /// <summary>The page's visible text, whitespace collapsed.</summary>
    internal static string TextOf(ParsedPage page)
    {
        var builder = new StringBuilder();
        if (page.Document.Body is { } body)
        {
            Collect(body, builder);
        }

        return Normalise(builder.ToString());
    }

    private static void Collect(INode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement element when IsShown(element):
                    builder.Append(' ');
                    Collect(element, builder);
                    builder.Append(' ');
                    break;
            }
        }
    }

    internal static bool IsShown(IElement element) =>
        Shows(element.LocalName, IsInvisible(element.LocalName), element.HasAttribute("hidden") || element.HasAttribute("popover"), element.GetAttribute("aria-hidden"), element.GetAttribute("type"), element.GetAttribute("style"),
            element.ParentElement is { LocalName: "details" } details && !details.HasAttribute("open"));

    /// <summary>
    /// Whether an element with these attributes shows its content: the one rule for both ways a page
    /// is read, in one pass (<see cref="PageScan"/>) or parsed. <paramref name="invisible"/> is
    /// <see cref="IsInvisible"/> of the name, which the one pass has looked up already.
    /// </summary>
    internal static bool Shows(string name, bool invisible, bool hidden, string? ariaHidden, string? type, string? style, bool inClosedDetails)
    {
        if (invisible || hidden
            || string.Equals(ariaHidden, "true", StringComparison.OrdinalIgnoreCase)
            || (name == "input" && string.Equals(type, "hidden", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (style is not null && InlineStyle.Hides(style))
        {
            return false;
        }

        // Inside a closed details only the summary shows.
        return !inClosedDetails || name == "summary";
    }

    internal static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Ids that more than one element of the page carries, in document order.</summary>
    public static IReadOnlyList<string> DuplicateIds(ParsedPage page) =>
        [.. page.Document.QuerySelectorAll("[id]").Select(e => e.Id ?? string.Empty).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];

}

/// <summary>What the checks of a rendered page found.</summary>
public sealed record PageCheck(bool Shows, IReadOnlyList<string> DuplicateIds)
{
    /// <summary>The page nests deeper than <see cref="VisibleText.MaxDepth"/>, so it was not read.</summary>
    public bool TooDeep { get; init; }
}

/// <summary>A rendered page parsed once, for the checks made on it.</summary>
public sealed record ParsedPage(AngleSharp.Html.Dom.IHtmlDocument Document);
