using System.Text;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// A template that only prints values by name (<c>In {{ constituency.name }}, ...</c>), which most
/// titles and bodies are: its text is fixed pieces with a value between each two, so it is filled in
/// without running the template. The pieces are what the template engine itself writes around a
/// stand-in for each value, so its whitespace rules hold exactly. Any other template has no shape
/// and runs as usual; so does a fill-in whose value is not plain text, so every error and its
/// position still come from the engine.
/// </summary>
internal sealed class PrintShape
{
    /// <summary>The stand-ins' common start: letters only, so Markdown reads a stand-in as it reads a word.</summary>
    internal const string StandInPrefix = "Zqx";

    private PrintShape(string[] pieces, string[][] paths, int[] printed, string skeleton)
    {
        Pieces = pieces;
        Paths = paths;
        Printed = printed;
        Skeleton = skeleton;
    }

    /// <summary>The fixed text: one more piece than values printed, the first before the first value.</summary>
    public string[] Pieces { get; }

    /// <summary>Each value's path from the model, e.g. <c>constituency.name</c>, once however often it is printed.</summary>
    public string[][] Paths { get; }

    /// <summary>Which value (an index into <see cref="Paths"/>) is printed after each piece but the last.</summary>
    public int[] Printed { get; }

    /// <summary>The template's output with each value's stand-in in its place.</summary>
    public string Skeleton { get; }

    public static string StandIn(int index)
    {
        var letters = new StringBuilder();
        do
        {
            letters.Insert(0, (char)('a' + (index % 26)));
            index = (index / 26) - 1;
        }
        while (index >= 0);

        return $"{StandInPrefix}{letters}xqZ";
    }

    /// <summary>The shape of <paramref name="template"/>, or null when it does more than print values by name.</summary>
    public static PrintShape? Of(TextTemplate template, TemplateSandbox sandbox)
    {
        if (template.Compiled is not { Page.Body.Statements: { } statements } || template.Source.Contains(StandInPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var paths = new List<string[]>();
        var printed = new List<int>();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case ScriptRawStatement or ScriptEscapeStatement:
                    continue;
                case ScriptExpressionStatement { Expression: { } expression } when PathOf(expression) is { } path:
                    var index = paths.FindIndex(p => p.AsSpan().SequenceEqual(path));
                    if (index < 0)
                    {
                        index = paths.Count;
                        paths.Add(path);
                    }

                    printed.Add(index);
                    continue;
                default:
                    return null;
            }
        }

        if (paths.Count == 0)
        {
            return null;
        }

        // A model of stand-ins: the template run over it writes its own pieces around them.
        var probe = new ScriptObject();
        for (var i = 0; i < paths.Count; i++)
        {
            var scope = probe;
            var path = paths[i];
            for (var j = 0; j < path.Length - 1; j++)
            {
                if (!scope.TryGetValue(path[j], out var next))
                {
                    scope[path[j]] = next = new ScriptObject();
                }

                if (next is not ScriptObject child)
                {
                    return null;
                }

                scope = child;
            }

            if (scope.ContainsKey(path[^1]))
            {
                // A value and something inside it: the engine would print the one as an object.
                return null;
            }

            scope[path[^1]] = StandIn(i);
        }

        var bag = new DiagnosticBag();
        if (sandbox.RenderByEngine(template, probe, bag, "shape") is not { } skeleton || !bag.ToImmutableSorted().IsEmpty)
        {
            return null;
        }

        var pieces = new string[printed.Count + 1];
        var at = 0;
        for (var i = 0; i < printed.Count; i++)
        {
            var standIn = StandIn(printed[i]);
            var found = skeleton.IndexOf(standIn, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return null;
            }

            pieces[i] = skeleton[at..found];
            at = found + standIn.Length;
        }

        pieces[^1] = skeleton[at..];
        return new PrintShape(pieces, [.. paths], [.. printed], skeleton);
    }

    /// <summary>Each printed value from <paramref name="model"/>, or null when one is not plain text.</summary>
    public string[]? ValuesFrom(ScriptObject model)
    {
        var values = new string[Paths.Length];
        for (var i = 0; i < Paths.Length; i++)
        {
            object? value = model;
            foreach (var name in Paths[i])
            {
                if (value is not ScriptObject scope || !scope.TryGetValue(name, out value))
                {
                    return null;
                }
            }

            if (value is not string text)
            {
                return null;
            }

            values[i] = text;
        }

        return values;
    }

    /// <summary>The pieces with <paramref name="values"/> between them.</summary>
    public string Fill(string[] values)
    {
        var length = 0;
        foreach (var piece in Pieces)
        {
            length += piece.Length;
        }

        foreach (var value in Printed)
        {
            length += values[value].Length;
        }

        var text = new StringBuilder(length);
        for (var i = 0; i < Printed.Length; i++)
        {
            text.Append(Pieces[i]).Append(values[Printed[i]]);
        }

        return text.Append(Pieces[^1]).ToString();
    }

    private static string[]? PathOf(ScriptExpression? expression)
    {
        var names = new List<string>();
        while (true)
        {
            switch (expression)
            {
                case ScriptVariableGlobal root:
                    names.Add(root.Name);
                    names.Reverse();
                    return [.. names];
                case ScriptMemberExpression { Member: ScriptVariable member } access:
                    names.Add(member.Name);
                    expression = access.Target;
                    continue;
                default:
                    return null;
            }
        }
    }
}
