using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LondonTories.Publishing.Rendering.HeadingIds;

/// <summary>
/// Heading ids as GitHub gives them (the text made a slug, a repeat numbered -1, -2…), the ids
/// Markdig's auto-identifiers give with their GitHub option, with two differences: a heading never
/// takes an id the built-in layouts use, which would take the skip link's target away from the
/// page's main content; and a repeat starts counting from its last number, not from 1, so a page of
/// many same-named headings costs time in proportion to them rather than to their square.
/// </summary>
public sealed class HeadingIdExtension(IReadOnlySet<string> reserved) : IMarkdownExtension
{
    private static readonly object StateKey = new();

    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // A setext heading is a paragraph until its underline turns it into one, so both parsers are watched.
        if (pipeline.BlockParsers.Find<HeadingBlockParser>() is { } headings)
        {
            headings.Closed -= Closed;
            headings.Closed += Closed;
        }

        if (pipeline.BlockParsers.FindExact<ParagraphBlockParser>() is { } paragraphs)
        {
            paragraphs.Closed -= Closed;
            paragraphs.Closed += Closed;
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
    }

    private void Closed(BlockProcessor processor, Block block)
    {
        if (block is HeadingBlock heading)
        {
            heading.ProcessInlinesEnd += Identify;
        }
    }

    private void Identify(InlineProcessor processor, Inline? inline)
    {
        var heading = (HeadingBlock)processor.Block!;
        var attributes = heading.GetAttributes();
        if (heading.Inline is null || attributes.Id is not null)
        {
            return;
        }

        if (processor.Document.GetData(StateKey) is not Taken taken)
        {
            taken = new Taken(reserved);
            processor.Document.SetData(StateKey, taken);
        }

        attributes.Id = taken.Claim(LinkHelper.UrilizeAsGfm(PlainText(heading.Inline)) is { Length: > 0 } slug ? slug : "section");
    }

    // One per thread: a renderer sets up its object renderers when made, and every heading of every page comes here.
    [ThreadStatic]
    private static HtmlRenderer? _plain;

    // The heading's text without markup or escaping, links reduced to their text, as GitHub reads it.
    private static string PlainText(ContainerInline inline)
    {
        var renderer = _plain ??= new HtmlRenderer(new StringWriter()) { EnableHtmlForInline = false, EnableHtmlEscape = false };
        var writer = (StringWriter)renderer.Writer;
        writer.GetStringBuilder().Clear();
        renderer.Render(inline);
        return writer.ToString();
    }

    /// <summary>The ids a document's headings have taken, and the number each repeated one goes on from.</summary>
    private sealed class Taken(IReadOnlySet<string> reserved)
    {
        private readonly HashSet<string> _ids = new(reserved, StringComparer.Ordinal);
        private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

        public string Claim(string id)
        {
            if (_ids.Add(id))
            {
                return id;
            }

            // Every number below the last one given to this id is taken already, and ids are never given back.
            var number = _next.GetValueOrDefault(id, 1);
            while (!_ids.Add($"{id}-{number}"))
            {
                number++;
            }

            _next[id] = number + 1;
            return $"{id}-{number}";
        }
    }
}

public static class HeadingIdPipelineExtensions
{
    /// <summary>Gives headings GitHub's ids, never one of <paramref name="reserved"/> (the ids a layout writes around the body).</summary>
    public static MarkdownPipelineBuilder UseHeadingIds(this MarkdownPipelineBuilder pipeline, IReadOnlySet<string> reserved)
    {
        pipeline.Extensions.ReplaceOrAdd<HeadingIdExtension>(new HeadingIdExtension(reserved));
        return pipeline;
    }
}
