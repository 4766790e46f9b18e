using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Renderers;

namespace LondonTories.Publishing.Rendering.AudienceBlocks;

/// <summary>
/// Inline audience blocks: <c>::: audience borough:bromley</c> … <c>:::</c> keeps its Markdown only for
/// matching seats, <c>::: except battersea</c> … <c>:::</c> everywhere else. Built on Markdig's custom
/// containers; any other container renders as Markdig renders it.
/// </summary>
public sealed class AudienceBlockExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<CustomContainerParser>())
        {
            // Before the fenced code parser, as Markdig's own custom container extension does.
            pipeline.BlockParsers.InsertBefore<Markdig.Parsers.FencedCodeBlockParser>(new CustomContainerParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.RemoveAll(r => r is HtmlCustomContainerRenderer or AudienceBlockRenderer);
            html.ObjectRenderers.Insert(0, new AudienceBlockRenderer());
        }
    }
}

public static class AudienceBlockPipelineExtensions
{
    public static MarkdownPipelineBuilder UseAudienceBlocks(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.ReplaceOrAdd<AudienceBlockExtension>(new AudienceBlockExtension());
        return pipeline;
    }
}
