using LondonTories.Publishing.Diagnostics;
using Scriban;
using Scriban.Parsing;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Editor text that may hold Scriban expressions, parsed once. Text without <c>{{</c> is static and
/// costs nothing to render, which is most titles and many bodies.
/// </summary>
public sealed class TextTemplate
{
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

    private PrintShape? _shape;
    private int _shapeKnown;

    /// <summary>The template's shape when it only prints values by name; worked out once, on first use.</summary>
    internal PrintShape? ShapeFor(TemplateSandbox sandbox)
    {
        if (Volatile.Read(ref _shapeKnown) == 0)
        {
            // Two threads may both work it out; they find the same shape.
            _shape = PrintShape.Of(this, sandbox);
            Volatile.Write(ref _shapeKnown, 1);
        }

        return _shape;
    }

    public static TextTemplate Static(string source) => new(source, null, default);

    public static TextTemplate Parse(string source, SourceLocation origin, DiagnosticBag diagnostics) =>
        source.Contains("{{", StringComparison.Ordinal)
            ? ParseAlways(source, origin, diagnostics)
            : new TextTemplate(source, null, origin);

    /// <summary>Parses even text without expressions, as layouts must be, since includes look them up parsed.</summary>
    public static TextTemplate ParseAlways(string source, SourceLocation origin, DiagnosticBag diagnostics)
    {
        var template = Template.Parse(source, origin.Path);
        foreach (var message in template.Messages)
        {
            if (message.Type == ParserMessageType.Error)
            {
                diagnostics.Error(MapPosition(origin, message.Span.Start), "template-syntax",
                    $"template error: {message.Message}", "Expressions are written {{ constituency.name }}; close every {{ with }}.");
            }
        }

        return new TextTemplate(source, template.HasErrors ? null : template, origin);
    }

    internal static SourceLocation MapPosition(SourceLocation origin, TextPosition position) =>
        position.Line <= 0
            ? origin with { Column = origin.Column + Math.Max(0, position.Column) }
            : origin with { Line = origin.Line + position.Line, Column = position.Column + 1 };
}
