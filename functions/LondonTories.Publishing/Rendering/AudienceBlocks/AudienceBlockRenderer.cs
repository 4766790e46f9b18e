using Markdig.Extensions.CustomContainers;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace LondonTories.Publishing.Rendering.AudienceBlocks;

/// <summary>
/// Renders audience blocks for the seat being rendered: a kept block's Markdown appears with no
/// wrapper, a dropped one leaves nothing behind. Other containers render as a div, as Markdig does.
/// </summary>
public sealed class AudienceBlockRenderer : HtmlObjectRenderer<CustomContainer>
{
    protected override void Write(HtmlRenderer renderer, CustomContainer container)
    {
        if (AudienceBlock.TryRead(container) is null)
        {
            renderer.EnsureLine();
            renderer.Write("<div").WriteAttributes(container).Write('>');
            renderer.WriteChildren(container);
            renderer.WriteLine("</div>");
            return;
        }

        if (renderer is SeatHtmlRenderer seatRenderer && seatRenderer.Keeps(container))
        {
            renderer.WriteChildren(container);
        }
    }
}

/// <summary>An HTML renderer that knows which audience blocks the seat being rendered keeps.</summary>
public sealed class SeatHtmlRenderer(TextWriter writer) : HtmlRenderer(writer)
{
    public Func<CustomContainer, bool> Keeps { get; set; } = static _ => false;
}
