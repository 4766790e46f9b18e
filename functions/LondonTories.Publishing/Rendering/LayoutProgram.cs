using System.Collections;
using System.Globalization;
using System.Text;
using LondonTories.Publishing.Templates;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// A layout run without the template engine, when it is written with what layouts usually use: text,
/// values printed by name (as they are or through <c>html.escape</c>), <c>if</c> and <c>else</c> over
/// values and comparisons, <c>for</c> loops over lists with <c>offset</c> and <c>limit</c>, and
/// includes of other layouts. It walks the engine's own syntax tree and follows the engine's rules for
/// each of those (what counts as true, how a value is written, how a loop takes its list), so it
/// writes the engine's bytes and reads as much of a page list as the engine would. Anything else is
/// left to the engine: a layout using more has no program, and a render that meets a value it does not
/// know how to treat (a missing name, an object to print, a string at the engine's limit) gives up, so
/// the engine renders the page and reports any error as it always has.
/// </summary>
internal sealed class LayoutProgram
{
    // Includes nest no deeper than this; the engine's own limit is far above what a layout needs.
    private const int MaxIncludeDepth = 8;

    // A layout that keeps meeting what only the engine treats stops being tried: giving up costs an exception.
    private const int GiveUpsBeforeStopping = 16;

    private readonly ScriptBlockStatement _body;
    private readonly Dictionary<ScriptFunctionCall, ScriptBlockStatement> _includes;
    private int _rendered;
    private int _givenUp;

    private LayoutProgram(ScriptBlockStatement body, Dictionary<ScriptFunctionCall, ScriptBlockStatement> includes)
    {
        _body = body;
        _includes = includes;
    }

    /// <summary>The layout's program, or null when it uses anything the program does not run exactly as the engine does.</summary>
    public static LayoutProgram? Compile(TextTemplate layout, LayoutSet layouts)
    {
        var includes = new Dictionary<ScriptFunctionCall, ScriptBlockStatement>(ReferenceEqualityComparer.Instance);
        return BodyOf(layout) is { } body && new Checker(layouts, includes).Block(body, [layout]) ? new LayoutProgram(body, includes) : null;
    }

    /// <summary>
    /// The layout's output for <paramref name="model"/>, or null when the engine must render it: the
    /// limits are the engine's for this render, and reaching one is the engine's to report.
    /// </summary>
    public string? Render(ScriptObject model, ScriptObject builtins, int loopLimit, int outputLimit)
    {
        // A model that names the functions the program stands in for makes them mean something else.
        if (model.ContainsKey("html") || model.ContainsKey("include") || builtins["html"] is not ScriptObject
            || (Volatile.Read(ref _givenUp) >= GiveUpsBeforeStopping && Volatile.Read(ref _rendered) == 0))
        {
            return null;
        }

        var run = new Run(this, model, builtins, loopLimit, outputLimit);
        try
        {
            run.Block(_body);
            Interlocked.Increment(ref _rendered);
            return run.Output.ToString();
        }
        catch (GiveUp)
        {
            Interlocked.Increment(ref _givenUp);
            return null;
        }
        finally
        {
            run.Output.Clear();
        }
    }

    private static ScriptBlockStatement? BodyOf(TextTemplate template) =>
        template.Compiled?.Page is { FrontMatter: null, Body: { } body } ? body : null;

    /// <summary>Decides, once per layout, whether every node it can reach is one the program runs as the engine does.</summary>
    private sealed class Checker(LayoutSet layouts, Dictionary<ScriptFunctionCall, ScriptBlockStatement> includes)
    {
        public bool Block(ScriptBlockStatement block, List<TextTemplate> including)
        {
            foreach (var statement in block.Statements)
            {
                var fine = statement switch
                {
                    // An escape's indent makes the engine indent what the code inside writes; an empty one changes nothing.
                    ScriptEscapeStatement escape => string.IsNullOrEmpty(escape.Indent),
                    ScriptRawStatement => true,
                    ScriptEndStatement => true,
                    ScriptExpressionStatement { Expression: ScriptFunctionCall call } when IsInclude(call) => Include(call, including),
                    ScriptExpressionStatement { Expression: { } expression } => Value(expression),
                    ScriptIfStatement conditional => If(conditional, including),
                    ScriptForStatement loop => For(loop, including),
                    _ => false,
                };
                if (!fine)
                {
                    return false;
                }
            }

            return true;
        }

        private bool If(ScriptIfStatement conditional, List<TextTemplate> including) =>
            conditional.Condition is { } condition && Value(condition)
            && (conditional.Then is null || Block(conditional.Then, including))
            && conditional.Else switch
            {
                null => true,
                ScriptIfStatement elseIf => If(elseIf, including),
                ScriptElseStatement { Body: { } body } => Block(body, including),
                _ => false,
            };

        private bool For(ScriptForStatement loop, List<TextTemplate> including)
        {
            // A loop variable named after a function the program stands in for would shadow it inside the loop.
            if (loop.GetType() != typeof(ScriptForStatement) || loop.Variable is not ScriptVariableGlobal variable || loop.Iterator is not { } iterator
                || loop.Else is not null || loop.Body is not { } body || !Value(iterator)
                || variable.Name is "html" or "include" or "for")
            {
                return false;
            }

            foreach (var option in loop.NamedArguments ?? [])
            {
                if (option.Name?.Name is not ("offset" or "limit") || option.Value is not ScriptLiteral { Value: int })
                {
                    return false;
                }
            }

            return Block(body, including);
        }

        private bool Include(ScriptFunctionCall call, List<TextTemplate> including)
        {
            if (layouts.IncludeName((string)((ScriptLiteral)call.Arguments[0]).Value!) is not { } name || including.Count >= MaxIncludeDepth)
            {
                return false;
            }

            var template = layouts[name];
            if (including.Contains(template) || BodyOf(template) is not { } body || !Block(body, [.. including, template]))
            {
                return false;
            }

            includes[call] = body;
            return true;
        }

        private static bool IsInclude(ScriptFunctionCall call) =>
            call.Target is ScriptVariableGlobal { Name: "include" } && call.Arguments is [ScriptLiteral { Value: string }];

        private static bool Value(ScriptExpression expression) => expression switch
        {
            ScriptLiteral { Value: string or int or bool } => true,
            ScriptVariableGlobal variable => variable.Name is not ("html" or "include" or "for"),
            ScriptMemberExpression { Target: { } target, Member: ScriptVariable member } => member.GetType() == typeof(ScriptVariableGlobal) && Value(target),
            ScriptNestedExpression { Expression: { } inner } => Value(inner),
            ScriptBinaryExpression { Left: { } left, Right: { } right } binary => binary.Operator is ScriptBinaryOperator.CompareEqual or ScriptBinaryOperator.CompareNotEqual
                    or ScriptBinaryOperator.CompareGreater or ScriptBinaryOperator.CompareLess or ScriptBinaryOperator.CompareGreaterOrEqual
                    or ScriptBinaryOperator.CompareLessOrEqual
                && Value(left) && Value(right),
            ScriptPipeCall { From: { } from, To: { } to } => IsEscape(to) && Value(from),
            _ => false,
        };

        private static bool IsEscape(ScriptExpression to) => to switch
        {
            ScriptFunctionCall { Arguments.Count: 0, Target: { } target } => IsEscape(target),
            ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "html" }, Member: ScriptVariableGlobal { Name: "escape" } } => true,
            _ => false,
        };
    }

    /// <summary>One render: the output so far, the loop variables in scope and the engine's limits.</summary>
    private sealed class Run(LayoutProgram program, ScriptObject model, ScriptObject builtins, int loopLimit, int outputLimit)
    {
        [ThreadStatic]
        private static StringBuilder? _output;

        private readonly List<(string Name, object? Value)> _loops = [];
        private long _loopSteps;
        private long _written;

        public StringBuilder Output { get; } = _output ??= new StringBuilder(16 * 1024);

        public void Block(ScriptBlockStatement block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case ScriptRawStatement raw:
                        if (raw.Text.Length > 0 && !string.IsNullOrEmpty(raw.Text.FullText))
                        {
                            Write(raw.Text.FullText.AsSpan(raw.Text.Index, raw.Text.Length));
                        }

                        break;
                    case ScriptExpressionStatement { Expression: ScriptFunctionCall call } when program._includes.TryGetValue(call, out var included):
                        // The engine writes an include to its own output, then that output to this one, and counts both against its limit.
                        var start = Output.Length;
                        Block(included);
                        Count(Output.Length - start);
                        break;
                    case ScriptExpressionStatement { Expression: { } expression }:
                        Print(Evaluate(expression));
                        break;
                    case ScriptIfStatement conditional:
                        If(conditional);
                        break;
                    case ScriptForStatement loop:
                        For(loop);
                        break;
                }
            }
        }

        private void If(ScriptIfStatement conditional)
        {
            if (IsTrue(Evaluate(conditional.Condition!)))
            {
                if (conditional.Then is { } then)
                {
                    Block(then);
                }

                return;
            }

            switch (conditional.Else)
            {
                case ScriptIfStatement elseIf:
                    If(elseIf);
                    break;
                case ScriptElseStatement otherwise:
                    Block(otherwise.Body!);
                    break;
            }
        }

        private void For(ScriptForStatement loop)
        {
            if (_loops.Count == 0)
            {
                _loopSteps = 0;
            }

            var source = Evaluate(loop.Iterator!);
            if (source is null)
            {
                return;
            }

            // Only lists the layouts are given: a string, say, is a list of characters to the engine.
            if (source is not (ScriptArray or PageListView))
            {
                throw new GiveUp();
            }

            // Taken as the engine takes it, through the same calls, so a page list notes the same reads.
            var list = (IEnumerable)source;
            if (loop.NamedArguments is { Count: > 0 } options)
            {
                var (offset, limit) = (0, -1);
                foreach (var option in options)
                {
                    var value = (int)((ScriptLiteral)option.Value!).Value!;
                    (offset, limit) = option.Name!.Name == "offset" ? (value, limit) : (offset, value);
                }

                var typed = list.Cast<object>();
                typed = offset > 0 ? typed.Skip(offset) : typed;
                list = limit > 0 ? typed.Take(limit) : typed;
            }

            var name = ((ScriptVariableGlobal)loop.Variable!).Name;
            _loops.Add((name, null));
            try
            {
                var items = list.GetEnumerator();
                if (!items.MoveNext())
                {
                    return;
                }

                while (true)
                {
                    if (loopLimit != 0 && ++_loopSteps > loopLimit)
                    {
                        throw new GiveUp();
                    }

                    _loops[^1] = (name, items.Current);
                    Block(loop.Body!);

                    // The engine looks one item ahead to know the last, and so reads it.
                    if (!items.MoveNext())
                    {
                        break;
                    }
                }
            }
            finally
            {
                _loops.RemoveAt(_loops.Count - 1);
            }
        }

        private object? Evaluate(ScriptExpression expression) => expression switch
        {
            ScriptLiteral literal => literal.Value,
            ScriptVariableGlobal variable => Variable(variable.Name),
            ScriptMemberExpression member => Member(Evaluate(member.Target!), ((ScriptVariable)member.Member!).Name),
            ScriptNestedExpression nested => Evaluate(nested.Expression!),
            ScriptBinaryExpression binary => Compare(binary.Operator, Evaluate(binary.Left!), Evaluate(binary.Right!)),
            ScriptPipeCall pipe => Escape(Evaluate(pipe.From!)),
            _ => throw new GiveUp(),
        };

        private object? Variable(string name)
        {
            for (var i = _loops.Count - 1; i >= 0; i--)
            {
                if (_loops[i].Name == name)
                {
                    return Checked(_loops[i].Value);
                }
            }

            if (model.TryGetValue(name, out var value) || builtins.TryGetValue(name, out value))
            {
                return Checked(value);
            }

            throw new GiveUp();
        }

        private static object? Member(object? target, string name)
        {
            switch (target)
            {
                case ScriptArray array when name == "size":
                    return array.Count;
                case ScriptArray:
                    throw new GiveUp();
                // A plain object's members are its entries; a kind of object of the engine's own may answer otherwise.
                case ScriptObject scope when scope.GetType() == typeof(ScriptObject) && scope.TryGetValue(name, out var value):
                    return Checked(value);
                case PageListView list when name == "size":
                    return ((IList)list).Count;
                default:
                    throw new GiveUp();
            }
        }

        // A function the engine would call where it is named, or the engine's empty object, is the engine's to handle.
        private static object? Checked(object? value) => value is IScriptCustomFunction || ReferenceEquals(value, EmptyScriptObject.Default) ? throw new GiveUp() : value;

        private static bool IsTrue(object? value) => value switch
        {
            null => false,
            bool truth => truth,
            _ => true,
        };

        private object Compare(ScriptBinaryOperator op, object? left, object? right)
        {
            if ((left is string || right is string) && left is string or null && right is string or null)
            {
                var (a, b) = (Text((string?)left), Text((string?)right));
                return op switch
                {
                    ScriptBinaryOperator.CompareEqual => a == b,
                    ScriptBinaryOperator.CompareNotEqual => a != b,
                    ScriptBinaryOperator.CompareGreater => string.Compare(a, b, StringComparison.Ordinal) > 0,
                    ScriptBinaryOperator.CompareLess => string.Compare(a, b, StringComparison.Ordinal) < 0,
                    ScriptBinaryOperator.CompareGreaterOrEqual => string.Compare(a, b, StringComparison.Ordinal) >= 0,
                    _ => string.Compare(a, b, StringComparison.Ordinal) <= 0,
                };
            }

            if (left is int x && right is int y)
            {
                return op switch
                {
                    ScriptBinaryOperator.CompareEqual => x == y,
                    ScriptBinaryOperator.CompareNotEqual => x != y,
                    ScriptBinaryOperator.CompareGreater => x > y,
                    ScriptBinaryOperator.CompareLess => x < y,
                    ScriptBinaryOperator.CompareGreaterOrEqual => x >= y,
                    _ => x <= y,
                };
            }

            throw new GiveUp();
        }

        private string? Escape(object? value) => value switch
        {
            null => null,
            string text => string.IsNullOrEmpty(text) ? text : System.Net.WebUtility.HtmlEncode(Text(text)),
            _ => throw new GiveUp(),
        };

        private void Print(object? value)
        {
            switch (value)
            {
                case null:
                    break;
                case string text:
                    Write(Text(text));
                    break;
                case bool truth:
                    Write(truth ? "true" : "false");
                    break;
                case int number:
                    Write(number.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new GiveUp();
            }
        }

        // The engine cuts a string at its length limit and marks the cut: that is for the engine to do.
        [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
        private string? Text(string? text) => text is { Length: var length } && length >= outputLimit ? throw new GiveUp() : text;

        private void Write(ReadOnlySpan<char> text)
        {
            Count(text.Length);
            Output.Append(text);
        }

        private void Count(int length)
        {
            _written += length;
            if (_written > outputLimit)
            {
                throw new GiveUp();
            }
        }
    }

    private sealed class GiveUp : Exception;
}
