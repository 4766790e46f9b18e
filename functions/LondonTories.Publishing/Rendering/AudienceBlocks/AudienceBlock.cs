using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;

namespace LondonTories.Publishing.Rendering.AudienceBlocks;

public enum AudienceBlockKind
{
    /// <summary><c>::: audience …</c>: kept where a selector matches.</summary>
    Audience,

    /// <summary><c>::: except …</c>: kept where no selector matches.</summary>
    Except,
}

/// <summary>An inline audience block found in a parsed body, with its selectors as written.</summary>
public sealed record AudienceBlock(CustomContainer Container, AudienceBlockKind Kind, IReadOnlyList<string> Selectors, int Line, int Column)
{
    public static IReadOnlyList<AudienceBlock> FindAll(MarkdownDocument document)
    {
        List<AudienceBlock>? blocks = null;
        foreach (var container in document.Descendants<CustomContainer>())
        {
            if (TryRead(container) is { } block)
            {
                (blocks ??= []).Add(block);
            }
        }

        return blocks ?? (IReadOnlyList<AudienceBlock>)[];
    }

    public static AudienceBlock? TryRead(CustomContainer container)
    {
        var kind = container.Info switch
        {
            "audience" => AudienceBlockKind.Audience,
            "except" => AudienceBlockKind.Except,
            _ => (AudienceBlockKind?)null,
        };
        if (kind is null)
        {
            return null;
        }

        var selectors = (container.Arguments ?? string.Empty)
            .Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        return new AudienceBlock(container, kind.Value, selectors, container.Line, container.Column);
    }
}
