using System.Text;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Renders a parsed Markdown body as plain text, for a social post: the words stay, the markup goes.
/// Emphasis and headings become their text, list items start with a bullet, a link becomes
/// "label (url)" (or the bare URL when that is its label) unless its scheme is not one of
/// <see cref="LinkSchemes.Allowed"/>, raw HTML and images are dropped, and an
/// audience block is kept or dropped exactly as on a page.
/// </summary>
public static class PlainTextRenderer
{
    public static string Render(MarkdownDocument document, Func<CustomContainer, bool> keeps)
    {
        var paragraphs = new List<string>();
        foreach (var block in document)
        {
            AppendBlock(block, keeps, paragraphs);
        }

        return string.Join("\n\n", paragraphs.Where(p => p.Length > 0)).Trim();
    }

    private static void AppendBlock(Block block, Func<CustomContainer, bool> keeps, List<string> paragraphs)
    {
        switch (block)
        {
            case CustomContainer container when AudienceBlock.TryRead(container) is not null && !keeps(container):
            case HtmlBlock:
            case ThematicBreakBlock:
                return;
            case LeafBlock { Inline: { } inline }:
                paragraphs.Add(Inlines(inline).Trim());
                return;
            case CodeBlock code:
                paragraphs.Add(code.Lines.ToString().TrimEnd());
                return;
            case ListBlock list:
                var items = new List<string>();
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var inner = new List<string>();
                    foreach (var child in item)
                    {
                        AppendBlock(child, keeps, inner);
                    }

                    var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter} " : "• ";
                    items.Add(marker + string.Join("\n", inner.Where(i => i.Length > 0)));
                }

                paragraphs.Add(string.Join("\n", items));
                return;
            case ContainerBlock children:
                foreach (var child in children)
                {
                    AppendBlock(child, keeps, paragraphs);
                }

                return;
        }
    }

    private static string Inlines(ContainerInline container)
    {
        var builder = new StringBuilder();
        foreach (var inline in container)
        {
            Append(inline, builder);
        }

        return builder.ToString();
    }

    private static void Append(Inline inline, StringBuilder builder)
    {
        switch (inline)
        {
            case LiteralInline literal:
                builder.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                builder.Append(code.Content);
                break;
            case LineBreakInline:
                builder.Append('\n');
                break;
            case HtmlEntityInline entity:
                builder.Append(entity.Transcoded.ToString());
                break;
            case AutolinkInline autolink when LinkSchemes.IsAllowed(autolink.Url):
                builder.Append(autolink.Url);
                break;
            case AutolinkInline:
            case LinkInline { IsImage: true }:
            case HtmlInline:
                break;
            case LinkInline link when !LinkSchemes.IsAllowed(link.Url):
                // As the sanitiser does on a page: the words stay, the link goes.
                builder.Append(Inlines(link).Trim());
                break;
            case LinkInline link:
                var label = Inlines(link).Trim();
                var url = link.Url ?? string.Empty;
                builder.Append(label.Length == 0 || label == url || url.Length == 0 ? (url.Length == 0 ? label : url) : $"{label} ({url})");
                break;
            case ContainerInline children:
                builder.Append(Inlines(children));
                break;
        }
    }
}
