using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
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
    /// <summary>The keywords that open an audience block, as written after <c>:::</c>.</summary>
    public static IReadOnlyList<string> Keywords { get; } = ["audience", "except"];

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

    /// <summary>
    /// Which seats keep the block. Selectors were checked when the content was loaded; unknown ones
    /// simply match nothing here.
    /// </summary>
    public AudienceRule RuleWith(SelectorParser parser)
    {
        var quiet = new DiagnosticBag();
        var selectors = Selectors.Select(s => parser.Parse(s, default, quiet)).OfType<AudienceSelector>().ToList();
        return Kind == AudienceBlockKind.Audience
            ? new AudienceRule([.. selectors], [])
            : new AudienceRule([AudienceSelector.All], [.. selectors]);
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
