using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Reads a YAML text's events once, without building anything, and finds what would make building
/// its nodes hurt: nesting deeper than <see cref="MaxDepth"/> (building and reading nodes recurse), an
/// alias inside the value it names (a cycle), and more than <see cref="MaxValues"/> values once every
/// alias stands for its whole value (the "billion laughs"). The parser itself keeps its state on the
/// heap, so this pass is safe on any input.
/// </summary>
internal static class YamlBounds
{
    public const int MaxDepth = 64;

    public const long MaxValues = 100_000;

    private const string DepthHint = "Content never needs lists and mappings this deep; flatten the value.";

    private const string AliasHint = "Write the values out plainly: content rarely needs anchors and aliases (&name, *name).";

    /// <summary>The first problem, where it is and what it is; null when the text is within bounds.</summary>
    public static (Mark Where, string Message, string Hint)? Check(string source)
    {
        var parser = new Parser(new StringReader(source));
        var open = new List<Frame>();
        var sizes = new Dictionary<string, (long Values, int Height)>(StringComparer.Ordinal);
        long values = 0;
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.Start;
                switch (current)
                {
                    case NodeEvent node and (SequenceStart or MappingStart):
                        values++;
                        if (open.Count + 1 > MaxDepth)
                        {
                            return (node.Start, $"lists and mappings are nested more than {MaxDepth} deep.", DepthHint);
                        }

                        open.Add(new Frame(node.Start, node.Anchor.IsEmpty ? null : node.Anchor.Value, values, current is SequenceStart ? '[' : '{',
                            IsFlow(node)));
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0:
                        var frame = open[^1];
                        open.RemoveAt(open.Count - 1);
                        var height = frame.Height + 1;
                        if (frame.Anchor is { } anchor)
                        {
                            sizes[anchor] = (values - frame.ValuesBefore + 1, height);
                        }

                        Grow(open, height);
                        break;
                    case Scalar scalar:
                        values++;
                        if (!scalar.Anchor.IsEmpty)
                        {
                            sizes[scalar.Anchor.Value] = (1, 1);
                        }

                        Grow(open, 1);
                        break;
                    case AnchorAlias alias:
                        var name = alias.Value.Value;
                        if (open.Any(f => f.Anchor == name))
                        {
                            return (alias.Start, $"the alias '*{name}' refers to the value it is inside, which would never end.", AliasHint);
                        }

                        if (!sizes.TryGetValue(name, out var size))
                        {
                            return (alias.Start, $"the alias '*{name}' refers to no anchor '&{name}' before it.", AliasHint);
                        }

                        values += size.Values;
                        if (open.Count + size.Height > MaxDepth)
                        {
                            return (alias.Start, $"lists and mappings are nested more than {MaxDepth} deep once '*{name}' is expanded.", DepthHint);
                        }

                        Grow(open, size.Height);
                        break;
                }

                if (values > MaxValues)
                {
                    return (current.Start, string.Create(CultureInfo.InvariantCulture,
                        $"the YAML stands for more than {MaxValues:N0} values (an alias counts the whole value it names each time it is used)."), AliasHint);
                }
            }
        }
        catch (YamlException)
        {
            // A syntax error: the full parse that follows reports it with YamlDotNet's own message.
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet loses track of a flow collection that a new key interrupts, and throws this
            // rather than a YamlException; the collection left open is the mistake to point at.
            return open.LastOrDefault(f => f.IsFlow) is { } unclosed
                ? (unclosed.Start, $"the {(unclosed.Opener == '[' ? "list" : "mapping")} opened here with '{unclosed.Opener}' is never closed.", $"Close it with '{(unclosed.Opener == '[' ? ']' : '}')}', or quote the value if the '{unclosed.Opener}' is part of the text.")
                : (last, "the YAML ends in the middle of a value.", "Check the indentation and close every quote, '[' and '{'.");
        }

        return null;
    }

    private static bool IsFlow(NodeEvent node) => node switch
    {
        SequenceStart sequence => sequence.Style == YamlDotNet.Core.Events.SequenceStyle.Flow,
        MappingStart mapping => mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow,
        _ => false,
    };

    private static void Grow(List<Frame> open, int childHeight)
    {
        if (open.Count > 0 && open[^1].Height < childHeight)
        {
            open[^1] = open[^1] with { Height = childHeight };
        }
    }

    /// <summary>An open list or mapping; <see cref="Height"/> is the deepest nesting found inside it so far.</summary>
    private sealed record Frame(Mark Start, string? Anchor, long ValuesBefore, char Opener, bool IsFlow)
    {
        public int Height { get; init; }
    }
}
