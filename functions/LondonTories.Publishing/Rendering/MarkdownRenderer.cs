using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using LondonTories.Publishing.Rendering.HeadingIds;
using LondonTories.Publishing.Templates;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The Markdown pipeline, built once and shared by every thread: only the extensions the content
/// guide documents (pipe tables, heading ids, automatic links, audience blocks).
/// </summary>
public sealed partial class MarkdownRenderer
{
    public MarkdownRenderer()
    {
        Pipeline = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseHeadingIds(LayoutSet.BuiltInIds)
            .UseAutoLinks()
            .UseAudienceBlocks()
            .Build();
    }

    public MarkdownPipeline Pipeline { get; }

    /// <summary>
    /// How deep blocks and inlines may nest. Markdig refuses to parse beyond 128, and its renderer
    /// throws on less (200 '[' parse, then cannot render), so documents are measured after parsing.
    /// </summary>
    public const int MaxDepth = 100;

    /// <summary>Parses text already checked by the overload that reports; that one is for editor text.</summary>
    public MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    /// <summary>
    /// Parses editor text, or reports at <paramref name="origin"/>'s file, on the most deeply nested
    /// line, why it cannot be published, and returns null.
    /// </summary>
    public MarkdownDocument? Parse(string markdown, SourceLocation origin, DiagnosticBag diagnostics, string? forWhom = null)
    {
        int line;
        try
        {
            var document = Markdown.Parse(markdown, Pipeline);
            if (DeepestHtml(document) is { } html)
            {
                Report(origin, html + 1, $"the HTML is nested more than {MaxDepth} deep.", "Close each element before the next opens where you can.", diagnostics, forWhom);
                return null;
            }

            if (Deepest(document) is not { } deepest)
            {
                return document;
            }

            line = deepest + 1;
        }
        catch (ArgumentException)
        {
            // Markdig stops at its own depth limit with an ArgumentException rather than recursing on.
            line = DeepestLine(markdown);
        }

        Report(origin, line, $"the Markdown is nested more than {MaxDepth} deep ('>' quotes, lists, '[' or '::: ' blocks inside one another).",
            "Nest quotes and lists a few levels at most, and close every '['.", diagnostics, forWhom);
        return null;
    }

    private static void Report(SourceLocation origin, int line, string message, string hint, DiagnosticBag diagnostics, string? forWhom)
    {
        var location = origin with { Line = origin.Line + line - 1, Column = 1 };
        if (forWhom is null)
        {
            diagnostics.Error(location, "markdown-depth", message, hint);
        }
        else
        {
            diagnostics.ErrorFor(forWhom, location, "markdown-depth", message, hint);
        }
    }

    /// <summary>
    /// The 0-based line of raw HTML whose elements open more than <see cref="MaxDepth"/> deep, or null:
    /// the sanitiser's time grows with the square of the depth, so deep HTML would hold a publish for minutes.
    /// Closing tags left out count as still open, which only errs towards refusing. As a browser reads
    /// it, an end tag closes only an element of its name that is open, and a slash before '&gt;' closes
    /// nothing outside SVG and MathML: counted otherwise, '&lt;div&gt;&lt;/b&gt;' or '&lt;div/&gt;' would nest without limit.
    /// </summary>
    private static int? DeepestHtml(MarkdownDocument document)
    {
        var open = new List<string>();
        foreach (var node in document.Descendants())
        {
            var (html, line) = node switch
            {
                HtmlBlock block => (block.Lines.ToString(), block.Line),
                HtmlInline inline => (inline.Tag, inline.Line),
                _ => (null, 0),
            };
            if (html is null)
            {
                continue;
            }

            if (OpensDeeperThan(html, MaxDepth, open))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the tags of <paramref name="html"/> open elements more than <paramref name="limit"/>
    /// deep, read on from the elements <paramref name="open"/> already, which it updates.
    /// </summary>
    internal static bool OpensDeeperThan(string html, int limit, List<string> open)
    {
        foreach (System.Text.RegularExpressions.Match tag in Tag().Matches(html))
        {
            var name = tag.Groups[2].Value.ToLowerInvariant();
            if (tag.Groups[1].Length > 0)
            {
                if (open.LastIndexOf(name) is var at and >= 0)
                {
                    open.RemoveRange(at, open.Count - at);
                }

                continue;
            }

            if (VoidElements.Contains(name) || (tag.Groups[3].Length > 0 && (open.Contains("svg") || open.Contains("math"))))
            {
                continue;
            }

            open.Add(name);
            if (open.Count > limit)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> VoidElements = new(
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"], StringComparer.OrdinalIgnoreCase);

    [System.Text.RegularExpressions.GeneratedRegex("<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")]
    private static partial System.Text.RegularExpressions.Regex Tag();

    /// <summary>The 0-based line of the first node nested deeper than <see cref="MaxDepth"/>, or null; walked without recursion.</summary>
    private static int? Deepest(MarkdownDocument document)
    {
        var pending = new Stack<(MarkdownObject Node, int Depth)>();
        pending.Push((document, 1));
        while (pending.TryPop(out var item))
        {
            var (node, depth) = item;
            if (depth > MaxDepth)
            {
                return node.Line;
            }

            switch (node)
            {
                case ContainerBlock blocks:
                    foreach (var child in blocks)
                    {
                        pending.Push((child, depth + 1));
                    }

                    break;
                case LeafBlock { Inline: { } inline }:
                    pending.Push((inline, depth + 1));
                    break;
                case ContainerInline inlines:
                    foreach (var child in inlines)
                    {
                        pending.Push((child, depth + 1));
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>The 1-based line whose leading quotes, list markers and indentation nest deepest.</summary>
    private static int DeepestLine(string markdown)
    {
        var (deepest, deepestLine, line) = (-1, 1, 1);
        foreach (var text in markdown.Split('\n'))
        {
            var depth = 0;
            foreach (var c in text)
            {
                if (c is '>' or '-' or '*' or '+')
                {
                    depth += 2;
                }
                else if (c is ' ' or '\t' or '.' or ')' || char.IsAsciiDigit(c))
                {
                    depth += c == '\t' ? 4 : 1;
                }
                else
                {
                    break;
                }
            }

            if (depth > deepest)
            {
                (deepest, deepestLine) = (depth, line);
            }

            line++;
        }

        return deepestLine;
    }

    public string Render(MarkdownDocument document, Func<CustomContainer, bool> keeps) => Render(document, keeps, 0, document.Count);

    /// <summary>Renders the top-level blocks <paramref name="start"/> to <paramref name="end"/> (exclusive) of a document.</summary>
    public string Render(MarkdownDocument document, Func<CustomContainer, bool> keeps, int start, int end)
    {
        // A renderer is built with dozens of object renderers; each thread keeps one for this pipeline.
        var renderer = _threadRenderer is { } cached && ReferenceEquals(_threadRendererPipeline, Pipeline) ? cached : NewRenderer();
        var writer = (StringWriter)renderer.Writer;
        renderer.Keeps = keeps;
        try
        {
            for (var i = start; i < end; i++)
            {
                renderer.Render(document[i]);
            }

            writer.Flush();
            return writer.ToString();
        }
        finally
        {
            writer.GetStringBuilder().Clear();
            renderer.Keeps = static _ => false;
        }
    }

    [ThreadStatic]
    private static SeatHtmlRenderer? _threadRenderer;

    [ThreadStatic]
    private static MarkdownPipeline? _threadRendererPipeline;

    private SeatHtmlRenderer NewRenderer()
    {
        var renderer = new SeatHtmlRenderer(new StringWriter());
        Pipeline.Setup(renderer);
        _threadRenderer = renderer;
        _threadRendererPipeline = Pipeline;
        return renderer;
    }

    /// <summary>
    /// The run of top-level blocks that can carry markup an editor did not mean to publish (raw HTML,
    /// or a link whose scheme is not plainly safe), or null when there is none. Markdig escapes
    /// everything else itself, so only this run needs the sanitiser; keeping the whole run together
    /// keeps an element opened in one HTML block and closed in a later one intact.
    /// </summary>
    public static Range? UnsafeBlocks(MarkdownDocument document)
    {
        int? first = null;
        var last = -1;
        for (var i = 0; i < document.Count; i++)
        {
            if (CanCarryMarkup(document[i]))
            {
                first ??= i;
                last = i;
            }
        }

        return first is { } start ? new Range(start, last + 1) : null;
    }

    private static bool CanCarryMarkup(Block block)
    {
        if (block is HtmlBlock)
        {
            return true;
        }

        var nodes = block switch
        {
            ContainerBlock container => container.Descendants(),
            LeafBlock { Inline: { } inline } => inline.Descendants(),
            _ => [],
        };
        foreach (var node in nodes)
        {
            switch (node)
            {
                case HtmlBlock:
                case HtmlInline:
                case LinkInline link when !LinkSchemes.IsAllowed(link.Url):
                case AutolinkInline autolink when !LinkSchemes.IsAllowed(autolink.Url):
                    return true;
            }
        }

        return false;
    }
}
