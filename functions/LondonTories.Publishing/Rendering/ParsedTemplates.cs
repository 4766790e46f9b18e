using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// What rendering works out once from a parsed template, kept for as long as the template lives:
/// templates are parsed below rendering, with the content, and know nothing of how they are run.
/// </summary>
internal static class ParsedTemplates
{
    private static readonly ConditionalWeakTable<TextTemplate, KnownShape> Shapes = new();
    private static readonly ConditionalWeakTable<LayoutSet, ConcurrentDictionary<TextTemplate, Lazy<LayoutProgram?>>> Programs = new();

    /// <summary>The template's shape when it only prints values by name; worked out once, on first use.</summary>
    public static PrintShape? ShapeFor(this TextTemplate template, TemplateSandbox sandbox)
    {
        if (Shapes.TryGetValue(template, out var known))
        {
            return known.Shape;
        }

        // Two threads may both work it out; they find the same shape.
        var shape = PrintShape.Of(template, sandbox);
        Shapes.AddOrUpdate(template, new KnownShape(shape));
        return shape;
    }

    /// <summary>The layout as a program that runs without the engine, where it can be one; made once per layout of a set.</summary>
    public static LayoutProgram? ProgramFor(this LayoutSet layouts, TextTemplate layout) =>
        Programs.GetValue(layouts, static _ => new(ReferenceEqualityComparer.Instance))
            .GetOrAdd(layout, l => new Lazy<LayoutProgram?>(() => LayoutProgram.Compile(l, layouts))).Value;

    private sealed record KnownShape(PrintShape? Shape);
}
