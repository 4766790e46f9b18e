using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;
using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Runs editors' templates with limits on loops, recursion, output and time, over plain script
/// objects only: a runaway template is an error for its page, never a hang, and no .NET object is
/// reachable from a template.
/// </summary>
public sealed partial class TemplateSandbox
{
    private readonly ScriptObject _builtins;

    public TemplateSandbox(TimeSpan? timeLimit = null)
    {
        TimeLimit = timeLimit ?? TimeSpan.FromSeconds(2);
        var builtins = new BuiltinFunctions();
        // The wall clock would make output differ from run to run; pages are rendered for a given 'now'.
        if (builtins["date"] is ScriptObject date)
        {
            date.Remove("now");
        }

        Freeze(builtins);
        _builtins = builtins;
    }

    public TimeSpan TimeLimit { get; }

    /// <summary>The engine's functions as templates here see them: the date's 'now' taken out, all read-only.</summary>
    internal ScriptObject Builtins => _builtins;

    public const int LoopLimit = 1_000;

    public const int OutputLimit = 512 * 1024;

    /// <summary>
    /// Renders <paramref name="template"/> with <paramref name="model"/> as its globals (a fresh object per
    /// render, since templates may assign to it); on failure reports where and returns null.
    /// <paramref name="items"/> is how many things the model lists: loops and output may grow with it, so
    /// a layout listing a big seat's pages is not stopped by limits meant for runaway templates.
    /// <paramref name="reportAt"/>, when given, is where a failure is reported instead of inside the template.
    /// </summary>
    public string? Render(TextTemplate template, ScriptObject model, DiagnosticBag diagnostics, string forWhom, LayoutSet? includes = null,
        int items = 0, SourceLocation? reportAt = null)
    {
        if (template.Compiled is null)
        {
            return template.Source;
        }

        if (includes is null && template.ShapeFor(this) is { } shape && shape.ValuesFrom(model) is { } values
            && shape.Fill(values) is { Length: <= OutputLimit } filled)
        {
            return filled;
        }

        // A layout runs as a program where it can, a fifth of a publish's time in the engine; the
        // program leaves to the engine whatever it does not run exactly as the engine would.
        var scale = 1 + (items / LoopLimit);
        var output = includes?.ProgramFor(template) is { } program && program.Render(model, Builtins, LoopLimit * scale, OutputLimit * scale) is { } html
            ? html
            : RenderByEngine(template, model, diagnostics, forWhom, includes, items, reportAt);

        // Only a template that runs can write a character its file and its values do not hold, through a
        // string's escape ("\x07"); no page or feed may carry one.
        if (output is not null && ContentText.IndexOfForbidden(output) is var at and >= 0)
        {
            diagnostics.ErrorFor(forWhom, reportAt ?? template.Origin, "control-character",
                $"the text renders {ContentText.Describe(output[at])}, which is not allowed in content; an escape in a template's string writes it.",
                "Remove the escape (a backslash and what follows it, such as \\x07 or \\u0001) from the string between {{ and }}.");
            return null;
        }

        return output;
    }

    /// <summary>Runs the template in the engine, as <see cref="Render"/> does for any template that does more than print values by name.</summary>
    internal string? RenderByEngine(TextTemplate template, ScriptObject model, DiagnosticBag diagnostics, string forWhom, LayoutSet? includes = null,
        int items = 0, SourceLocation? reportAt = null)
    {
        if (template.Compiled is null)
        {
            return template.Source;
        }

        if (_timedOut.TryGetValue(diagnostics, out var timedOut) && timedOut.ContainsKey(template))
        {
            return null;
        }

        // A context and its timer are reused by the next render on this thread: building them costs
        // more than rendering most templates. After any failure both are dropped, since a failed
        // render can leave output or loop state behind.
        ref var slot = ref includes is null ? ref _threadLease : ref _threadLayoutLease;
        var lease = Lease(ref slot, includes);
        lease.Timeout.CancelAfter(TimeLimit);
        lease.Context.CancellationToken = lease.Timeout.Token;
        var scale = 1 + (items / LoopLimit);
        lease.Context.LoopLimit = LoopLimit * scale;
        lease.Context.LoopLimitQueryable = LoopLimit * scale;
        lease.Context.OutputLimit = OutputLimit * scale;
        lease.Context.LimitToString = OutputLimit * scale;
        lease.Context.PushGlobal(model);
        var succeeded = false;
        try
        {
            var output = template.Compiled.Render(lease.Context);
            succeeded = true;
            return output;
        }
        catch (ScriptRuntimeException exception)
        {
            var message = exception.OriginalMessage;
            var span = exception.Span;
            var sameFile = span.FileName is not { Length: > 0 } || span.FileName == template.Origin.Path;
            // A built-in layout's failure is reported at what it was showing, but one in an editor's
            // file that it includes (a footer of their own) is the editor's, at its line.
            var included = sameFile ? null : includes?.ByPath(span.FileName);
            var inEditorsInclude = included is not null && !included.Origin.Path.StartsWith(LayoutSet.BuiltInPrefix, StringComparison.Ordinal);
            var location = (inEditorsInclude ? null : reportAt) ?? (!sameFile
                ? new SourceLocation(span.FileName, span.Start.Line + 1, span.Start.Column + 1)
                : TextTemplate.MapPosition(template.Origin, span.Start));
            var source = sameFile ? template.Source : included?.Source;
            if (exception.InnerException is RegexMatchTimeoutException timeout)
            {
                GiveUp(template, diagnostics);
                diagnostics.ErrorFor(forWhom, location, "template-timeout",
                    string.Create(CultureInfo.InvariantCulture,
                        $"template error: a regular expression took longer than {timeout.MatchTimeout.TotalSeconds:0.0#} s on its text and was stopped; the template is not run again in this publish."),
                    "Simplify the pattern: a repeat inside a repeat, such as (a+)+, can take very long on text that nearly matches it. To test for a word, string.contains is enough.");
                return null;
            }

            // Text rendered without layouts has no loader, and Scriban's complaint about that names its internals.
            if (includes is null && message.StartsWith("Unable to include", StringComparison.Ordinal))
            {
                diagnostics.ErrorFor(forWhom, location, "template-include", "a page's or post's text cannot include files.",
                    "Includes work in layouts/ only: write the text here, or put it in a layout such as layouts/page.html.");
                return null;
            }

            if (NotAFunction().Match(message) is { Success: true } call)
            {
                var (text, hint) = CalledValue(call.Groups[1].Value, source, span.Start.Offset);
                diagnostics.ErrorFor(forWhom, location, "template-runtime", $"template error: {text}", hint);
                return null;
            }

            if (message == DividesByZero)
            {
                diagnostics.ErrorFor(forWhom, location, "template-runtime", "template error: this calculation divides by zero, so it has no number to show.",
                    "What it divides by is zero here: test it first, as in {{ if total != 0 }}...{{ end }}, or divide by something that is never zero.");
                return null;
            }

            if (Limit(message) is var (limitText, limitHint))
            {
                // The whole output passes the limit wherever each seat's words make it long enough: one
                // error at the start of the text, naming every seat, rather than one per line reached.
                var at = message.Contains("OutputLimit", StringComparison.Ordinal) ? reportAt ?? template.Origin : location;
                diagnostics.ErrorFor(forWhom, at, "template-runtime", limitText, limitHint);
                return null;
            }

            diagnostics.ErrorFor(forWhom, location, "template-runtime", $"template error: {message}",
                Suggest(message, source, span.Start.Offset, model) ?? Hint(message));
            return null;
        }
        catch (OperationCanceledException)
        {
            GiveUp(template, diagnostics);
            diagnostics.ErrorFor(forWhom, reportAt ?? template.Origin, "template-timeout",
                string.Create(CultureInfo.InvariantCulture, $"the template took longer than {TimeLimit.TotalSeconds:0.#} s and was stopped."),
                "Look for a loop that never ends.");
            return null;
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.ErrorFor(forWhom, reportAt ?? template.Origin, "template-limit", $"template stopped: {exception.Message}");
            return null;
        }
        finally
        {
            lease.Context.PopGlobal();
            if (!succeeded || !lease.Timeout.TryReset())
            {
                lease.Timeout.Dispose();
                slot = null;
            }
        }
    }

    // A template that ran out of time for one seat or page of a run would take as long again for the
    // next (a layout runs for every page): the run has failed on it already, so it is not run again.
    // Kept by the run's diagnostics, so the next run, or the preview's next request, tries again.
    private readonly ConditionalWeakTable<DiagnosticBag, ConcurrentDictionary<TextTemplate, bool>> _timedOut = new();

    private void GiveUp(TextTemplate template, DiagnosticBag diagnostics) =>
        _timedOut.GetOrCreateValue(diagnostics).TryAdd(template, true);

    // Two per thread, since a page renders its body and then its layout: one context for bodies,
    // titles and summaries (no includes), one for layouts, so neither is rebuilt for every page.
    [ThreadStatic]
    private static ContextLease? _threadLease;

    [ThreadStatic]
    private static ContextLease? _threadLayoutLease;

    private ContextLease Lease(ref ContextLease? slot, LayoutSet? includes)
    {
        if (slot is { } lease && ReferenceEquals(lease.Owner, this) && ReferenceEquals(lease.Includes, includes))
        {
            return lease;
        }

        slot?.Timeout.Dispose();
        var context = new SandboxContext(_builtins)
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = LoopLimit,
            LoopLimitQueryable = LoopLimit,
            RecursiveLimit = 32,
            ObjectRecursionLimit = 32,
            LimitToString = OutputLimit,
            OutputLimit = OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            OnStringLimit = ScriptLimitBehavior.Throw,
            RegexTimeOut = TimeSpan.FromMilliseconds(200),
            TemplateLoader = includes,
            NewLine = "\n",
        };
        includes?.Preload(context);
        return slot = new ContextLease(this, includes, context, new CancellationTokenSource());
    }

    private sealed record ContextLease(TemplateSandbox Owner, LayoutSet? Includes, TemplateContext Context, CancellationTokenSource Timeout);

    /// <summary>
    /// The engine turns a division by zero into a number that is not one, and would print it as
    /// "Infinity" or "NaN" on the page; here it is an error at the calculation, as it already is for
    /// whole numbers (<c>//</c> and <c>%</c>).
    /// </summary>
    private sealed class SandboxContext(ScriptObject builtins) : TemplateContext(builtins)
    {
        public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturnedFunction)
        {
            var value = base.Evaluate(scriptNode, aliasReturnedFunction);
            if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
            {
                throw new ScriptRuntimeException(scriptNode?.Span ?? CurrentSpan, DividesByZero);
            }

            return value;
        }
    }

    private const string DividesByZero = "Attempted to divide by zero.";

    /// <summary>
    /// A did-you-mean for a misspelt name: a variable is matched against the model's and the built-in
    /// names, a member against the names of the object it was looked up on (found by reading the
    /// dotted path written before it, never by running the template again).
    /// </summary>
    private string? Suggest(string message, string? source, int offset, ScriptObject model)
    {
        IEnumerable<string>? names = null;
        string? name = null;
        var variable = MissingVariable().Match(message);
        if (variable.Success)
        {
            name = variable.Groups[1].Value;
            names = model.GetMembers().Concat(_builtins.GetMembers());
        }
        else if (MissingMember().Match(message) is { Success: true } member && source is not null && offset >= 0 && offset <= source.Length)
        {
            name = member.Groups[1].Value;
            var path = PathBefore().Match(source[..offset]);
            object? target = model;
            foreach (var segment in path.Success ? path.Groups[1].Value.Split('.') : [])
            {
                // A name the model lacks is one of the engine's own, as the engine reads it: string.upcas is a member of string.
                target = target is IScriptObject scope && scope.TryGetValue(segment, out var value) ? value
                    : ReferenceEquals(target, model) && _builtins.TryGetValue(segment, out var builtin) ? builtin
                    : null;
            }

            names = path.Success && target is IScriptObject found ? found.GetMembers() : null;
        }

        if (name is null || names is null)
        {
            return null;
        }

        // A filter as Liquid writes it (| upcase, | size) is a function of one of the engine's own objects
        // here: named exactly, it is meant before any name merely near it (size is not site).
        var qualified = variable.Success ? QualifiedBuiltins(name) : [];
        if (qualified.Count > 0)
        {
            return qualified.Count == 1 ? DidYouMean.Hint(qualified[0]) : $"Functions of that name: {string.Join(", ", qualified)}.";
        }

        var known = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return DidYouMean.Suggest(name, known) is { } suggestion
            ? DidYouMean.Hint(suggestion)
            : known.Count is > 0 and <= 20 ? $"The names here are: {string.Join(", ", known)}." : null;
    }

    /// <summary>The engine's own functions called <paramref name="name"/>, each with the object it belongs to (string.upcase).</summary>
    private List<string> QualifiedBuiltins(string name) =>
        [.. _builtins.GetMembers()
            .Where(owner => _builtins.TryGetValue(owner, out var value) && value is IScriptObject functions && functions.Contains(name))
            .Order(StringComparer.Ordinal)
            .Select(owner => $"{owner}.{name}")];

    /// <summary>
    /// Words written after a value, as Liquid's <c>contains</c> or a filter name without its pipe, make
    /// the engine call the value as a function; its complaint names the value's .NET type, or the
    /// value itself, which differs from seat to seat. Said instead in the template's own terms, once.
    /// </summary>
    private static (string Message, string Hint) CalledValue(string kind, string? source, int offset)
    {
        var written = source is not null && offset >= 0 && offset < source.Length && DottedName().Match(source, offset) is { Success: true } name && name.Index == offset
            ? name.Value
            : null;
        var value = written is null ? "the value" : $"'{written}'";
        var example = written ?? "value";
        var (what, hint) = kind switch
        {
            "array" => ("a list", $"To ask whether a list holds a value, write {{{{ if array.contains {example} \"value\" }}}}; to work on a value, pipe it into a function: {{{{ {example} | array.size }}}}."),
            "string" => ("text", $"To work on a value, pipe it into a function: {{{{ {example} | string.upcase }}}}; to test it, use == or string.contains."),
            "int" or "long" or "double" or "float" or "decimal" or "number" => ("a number", $"To work on a value, pipe it into a function: {{{{ {example} | math.format \"N0\" }}}}; to compare, use ==, <, >."),
            "bool" or "boolean" => ("true or false", $"To test it, write {{{{ if {example} }}}}."),
            _ => ("a value", $"To work on a value, pipe it into a function: {{{{ {example} | ... }}}}."),
        };
        return ($"{value} is {what}, not a function, but words follow it as if it were called.", hint);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Invalid target function `.*` \((\w+)\)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex NotAFunction();

    [System.Text.RegularExpressions.GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")]
    private static partial System.Text.RegularExpressions.Regex DottedName();

    [System.Text.RegularExpressions.GeneratedRegex("^The variable or function `([^`]+)` was not found")]
    private static partial System.Text.RegularExpressions.Regex MissingVariable();

    [System.Text.RegularExpressions.GeneratedRegex("^Cannot get member with name ([^ .]+)")]
    private static partial System.Text.RegularExpressions.Regex MissingMember();

    /// <summary>The dotted path that ends just before a member's name, e.g. <c>constituency.association</c> in <c>constituency.association.emial</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\.\s*$")]
    private static partial System.Text.RegularExpressions.Regex PathBefore();

    /// <summary>The engine's own words for a limit reached (its setting names), said as an editor would understand it.</summary>
    private static (string Text, string Hint)? Limit(string message)
    {
        // The limit is the last number: a padding's complaint names the width asked for before it.
        var number = LimitNumber().Matches(message) is { Count: > 0 } matches && long.TryParse(matches[^1].Groups[1].Value, out var n) ? n : (long?)null;
        // LimitToString stops one value's text, OutputLimit the whole output (a layout that shows a long title several times).
        if (message.Contains("LimitToString", StringComparison.Ordinal) || message.Contains("OutputLimit", StringComparison.Ordinal))
        {
            var size = number is { } bytes ? (bytes / 1024).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " KiB" : "the limit";
            return ($"the text renders to more than {size}, the limit for one page.",
                "Split it into pages of their own; if a loop repeats the text, make it repeat less.");
        }

        if (message.Contains("LoopLimit", StringComparison.Ordinal) || message.Contains("iteration limit", StringComparison.Ordinal))
        {
            var times = number is { } count ? count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " times" : "more times than it may";
            return ($"a loop repeats more than {times}, the limit for one page.",
                "Loop over fewer items, e.g. {{ for p in pages limit:20 }}, or split the page.");
        }

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("`([0-9]+)`")]
    private static partial System.Text.RegularExpressions.Regex LimitNumber();

    private static string? Hint(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase)
            ? "Templates can use constituency.*, site.*, page.* and language; see the content guide."
            : null;

    private static void Freeze(ScriptObject scriptObject)
    {
        foreach (var value in scriptObject.Values)
        {
            if (value is ScriptObject child && !ReferenceEquals(child, scriptObject))
            {
                Freeze(child);
            }
        }

        scriptObject.IsReadOnly = true;
    }
}
