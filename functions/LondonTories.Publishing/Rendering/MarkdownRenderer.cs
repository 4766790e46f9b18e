using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// The Markdown pipeline, built once and shared by every thread: only the extensions the content
/// guide documents (pipe tables, heading ids, automatic links, audience blocks).
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly string[] SafeSchemes = ["http:", "https:", "mailto:", "tel:"];

    public MarkdownRenderer()
    {
        Pipeline = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
            .UseAutoLinks()
            .UseAudienceBlocks()
            .Build();
    }

    public MarkdownPipeline Pipeline { get; }

    /// <summary>Markdig's own bound on nesting (quotes, lists, containers), beyond which it refuses to parse.</summary>
    public const int MaxDepth = 128;

    /// <summary>Parses text already known to be within <see cref="MaxDepth"/>; anything else goes through the checked overload.</summary>
    public MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    /// <summary>
    /// Parses editor text, or reports at <paramref name="origin"/>'s file, on the most deeply nested
    /// line, why it cannot be parsed, and returns null.
    /// </summary>
    public MarkdownDocument? Parse(string markdown, SourceLocation origin, DiagnosticBag diagnostics, string? forWhom = null)
    {
        try
        {
            return Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig stops at its depth limit with an ArgumentException rather than recursing on.
            var location = origin with { Line = origin.Line + DeepestLine(markdown) - 1, Column = 1 };
            var message = $"the Markdown is nested more than {MaxDepth} deep ('>' quotes, lists or '::: ' blocks inside one another).";
            const string hint = "Nest quotes and lists a few levels at most.";
            if (forWhom is null)
            {
                diagnostics.Error(location, "markdown-depth", message, hint);
            }
            else
            {
                diagnostics.ErrorFor(forWhom, location, "markdown-depth", message, hint);
            }

            return null;
        }
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
                case LinkInline link when !IsSafeUrl(link.Url):
                case AutolinkInline autolink when !IsSafeUrl(autolink.Url):
                    return true;
            }
        }

        return false;
    }

    private static bool IsSafeUrl(string? url)
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

        foreach (var scheme in SafeSchemes)
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
