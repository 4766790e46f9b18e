using System.Collections.Frozen;
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
    /// <summary>
    /// The classes the built-in layouts give their parts: a block with one of them would pass for that
    /// part (an association taking a page's <c>.imprint</c> would take the body's), so it gets none.
    /// </summary>
    public static readonly FrozenSet<string> LayoutParts = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "imprint", "skip-link", "site-header", "site-footer", "brand", "seat-name", "association", "borough", "breadcrumbs", "languages",
        "summary", "page-list", "more-pages", "hub-finder", "hex-map");

    protected override void Write(HtmlRenderer renderer, CustomContainer container)
    {
        if (AudienceBlock.TryRead(container) is null)
        {
            renderer.EnsureLine();
            renderer.Write("<div");
            if (container.TryGetAttributes() is { } attributes && !(attributes.Classes ?? []).Any(LayoutParts.Contains))
            {
                renderer.WriteAttributes(attributes);
            }

            renderer.Write('>');
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
