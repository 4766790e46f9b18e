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

    public MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    public string Render(MarkdownDocument document, Func<CustomContainer, bool> keeps)
    {
        var writer = new StringWriter();
        var renderer = new SeatHtmlRenderer(writer) { Keeps = keeps };
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>
    /// Whether the rendered body can carry markup an editor did not mean to publish: raw HTML, or a
    /// link whose scheme is not plainly safe. Everything else Markdig escapes itself, so only these
    /// pages pay for the sanitiser.
    /// </summary>
    public static bool NeedsSanitizing(MarkdownDocument document)
    {
        foreach (var node in document.Descendants())
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
