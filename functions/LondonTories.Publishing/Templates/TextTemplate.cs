using System.Text.RegularExpressions;
using LondonTories.Publishing.Diagnostics;
using Scriban;
using Scriban.Parsing;

namespace LondonTories.Publishing.Templates;

/// <summary>
/// Editor text that may hold Scriban expressions, parsed once. Text without <c>{{</c> is static and
/// costs nothing to render, which is most titles and many bodies.
/// </summary>
public sealed partial class TextTemplate
{
    private int[]? _lineStarts;

    private TextTemplate(string source, Template? compiled, SourceLocation origin)
    {
        Source = source;
        Compiled = compiled;
        Origin = origin;
    }

    public string Source { get; }

    /// <summary>Where the text starts in its file, so template errors name the file's own line.</summary>
    public SourceLocation Origin { get; }

    public bool IsStatic => Compiled is null;

    internal Template? Compiled { get; }

    public static TextTemplate Static(string source) => new(source, null, default);

    /// <summary>
    /// The opening of a template expression in text taken as written (<c>{{</c>, or Liquid's <c>{%</c>),
    /// or null where it holds none: such text would show the characters, not what they compute.
    /// </summary>
    public static string? ExpressionOpening(string text) =>
        text.Contains("{{", StringComparison.Ordinal) ? "{{" : text.Contains("{%", StringComparison.Ordinal) ? "{%" : null;

    public static TextTemplate Parse(string source, SourceLocation origin, DiagnosticBag diagnostics) =>
        source.Contains("{{", StringComparison.Ordinal)
            ? ParseAlways(source, origin, diagnostics)
            : new TextTemplate(source, null, origin);

    /// <summary>Parses even text without expressions, as layouts must be, since includes look them up parsed.</summary>
    public static TextTemplate ParseAlways(string source, SourceLocation origin, DiagnosticBag diagnostics)
    {
        var template = Template.Parse(source, origin.Path);

        // Scriban reads on past an unclosed '{{' as code and gives up where that code breaks, often at
        // the end of the file, with a message about what it took the text for: the opening is the mistake.
        // It also closes a final '{{' by itself, so "Vote for {{ constituency.name" parses clean: an error all the same.
        var unclosed = template.HasErrors ? UnclosedOpening(source) : UnclosedAtEnd(source);
        if (unclosed is { } opening)
        {
            diagnostics.Error(MapPosition(origin, opening), "template-unclosed",
                "the expression '{{' opened here is never closed with '}}'.",
                "Close it where the expression ends, e.g. {{ constituency.name }}; to show two braces as text, write {{ \"{{\" }}.");
        }

        // Likewise a block without its end is reported where Scriban looked for the end: the end of the text.
        var endless = unclosed is null && template.Messages.Any(IsMissingEnd) ? UnendedBlock(source) : null;
        if (endless is var (blockOpening, keyword))
        {
            diagnostics.Error(MapPosition(origin, blockOpening), "template-unclosed",
                $"the block '{{{{ {keyword} }}}}' opened here is never closed with '{{{{ end }}}}'.",
                "Add {{ end }} where the block's text ends.");
        }

        foreach (var message in template.Messages)
        {
            if (message.Type == ParserMessageType.Error && (unclosed is null || message.Span.Start.Offset < unclosed.Value.Offset) && (endless is null || !IsMissingEnd(message)))
            {
                diagnostics.Error(MapPosition(origin, message.Span.Start), "template-syntax",
                    $"template error: {message.Message}", "Expressions are written {{ constituency.name }}; close every {{ with }}.");
            }
        }

        return new TextTemplate(source, template.HasErrors ? null : template, origin);
    }

    /// <summary>The first '{{' with no '}}' before the next '{{' or the end, outside '{%{ ... }%}' raw text.</summary>
    private static TextPosition? UnclosedOpening(string source)
    {
        var code = CodeOf(source);
        for (var at = code.IndexOf("{{", StringComparison.Ordinal); at >= 0;)
        {
            var close = code.IndexOf("}}", at + 2, StringComparison.Ordinal);
            var next = code.IndexOf("{{", at + 2, StringComparison.Ordinal);
            if (close < 0 || (next >= 0 && next < close))
            {
                return PositionOf(source, at);
            }

            at = code.IndexOf("{{", close + 2, StringComparison.Ordinal);
        }

        return null;
    }

    /// <summary>The last '{{' when no '}}' follows it, outside '{%{ ... }%}' raw text.</summary>
    private static TextPosition? UnclosedAtEnd(string source)
    {
        var code = CodeOf(source);
        var last = code.LastIndexOf("{{", StringComparison.Ordinal);
        return last >= 0 && code.IndexOf("}}", last + 2, StringComparison.Ordinal) < 0 ? PositionOf(source, last) : null;
    }

    /// <summary>The text with '{%{ ... }%}' raw text blanked out, positions kept; most texts have none and are their own code.</summary>
    private static string CodeOf(string source) =>
        source.Contains("{%{", StringComparison.Ordinal) ? RawText().Replace(source, m => new string(' ', m.Length)) : source;

    private static bool IsMissingEnd(LogMessage message) =>
        message.Type == ParserMessageType.Error && message.Message.Contains("<end> statement was not found", StringComparison.Ordinal);

    private static readonly HashSet<string> BlockKeywords = new(StringComparer.Ordinal) { "if", "for", "while", "tablerow", "capture", "with", "wrap", "case", "func" };

    /// <summary>
    /// The last block statement ('if', 'for', ...) left without its 'end', found by the first word of each
    /// statement in each expression: enough to place an error Scriban has already found.
    /// </summary>
    private static (TextPosition Opening, string Keyword)? UnendedBlock(string source)
    {
        var code = CodeOf(source);
        var open = new Stack<(int At, string Keyword)>();
        for (var at = code.IndexOf("{{", StringComparison.Ordinal); at >= 0;)
        {
            var close = code.IndexOf("}}", at + 2, StringComparison.Ordinal);
            var inside = code[(at + 2)..(close < 0 ? code.Length : close)];
            foreach (var statement in inside.Split('\n', ';'))
            {
                var word = FirstWord().Match(statement).Groups["word"].Value;
                if (word == "end" && open.Count > 0)
                {
                    open.Pop();
                }
                else if (BlockKeywords.Contains(word))
                {
                    open.Push((at, word));
                }
            }

            at = close < 0 ? -1 : code.IndexOf("{{", close + 2, StringComparison.Ordinal);
        }

        if (!open.TryPeek(out var last))
        {
            return null;
        }

        return (PositionOf(source, last.At), last.Keyword);
    }

    // After the whitespace marks '~' and '-' that may follow '{{'.
    [GeneratedRegex(@"^[\s~\-]*(?<word>[a-z]+)\b")]
    private static partial Regex FirstWord();

    [GeneratedRegex(@"\{(%+)\{.*?\}\1\}", RegexOptions.Singleline)]
    private static partial Regex RawText();

    /// <summary>Where the character at <paramref name="offset"/> in the text stands in its file.</summary>
    public SourceLocation LocationOf(int offset)
    {
        // Where each line starts, found once: counting the lines up to each of a page's thousand links took seconds.
        var starts = _lineStarts ??= LineStarts(Source);
        var line = Array.BinarySearch(starts, offset);
        line = line >= 0 ? line : ~line - 1;
        return MapPosition(Origin, new TextPosition(offset, line, offset - starts[line]));
    }

    private static int[] LineStarts(string source)
    {
        var starts = new List<int> { 0 };
        for (var at = source.IndexOf('\n'); at >= 0; at = source.IndexOf('\n', at + 1))
        {
            starts.Add(at + 1);
        }

        return [.. starts];
    }

    private static TextPosition PositionOf(string source, int offset) =>
        new(offset, source.AsSpan(0, offset).Count('\n'), offset - (offset == 0 ? 0 : source.LastIndexOf('\n', offset - 1) + 1));

    internal static SourceLocation MapPosition(SourceLocation origin, TextPosition position) =>
        position.Line <= 0
            ? origin with { Column = origin.Column + Math.Max(0, position.Column) }
            : origin with { Line = origin.Line + position.Line, Column = position.Column + 1 };
}
