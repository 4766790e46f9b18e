using LondonTories.Publishing.Diagnostics;
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
public sealed class TemplateSandbox
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

        // A context and its timer are reused by the next render on this thread: building them costs
        // more than rendering most templates. After any failure both are dropped, since a failed
        // render can leave output or loop state behind.
        var lease = Lease(includes);
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
            var location = reportAt ?? (span.FileName is { Length: > 0 } file && file != template.Origin.Path
                ? new SourceLocation(file, span.Start.Line + 1, span.Start.Column + 1)
                : TextTemplate.MapPosition(template.Origin, span.Start));
            diagnostics.ErrorFor(forWhom, location, "template-runtime", $"template error: {message}", Hint(message));
            return null;
        }
        catch (OperationCanceledException)
        {
            diagnostics.ErrorFor(forWhom, reportAt ?? template.Origin, "template-timeout",
                $"the template took longer than {TimeLimit.TotalSeconds:0.#} s and was stopped.",
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
                _threadLease = null;
            }
        }
    }

    [ThreadStatic]
    private static ContextLease? _threadLease;

    private ContextLease Lease(LayoutSet? includes)
    {
        if (_threadLease is { } lease && ReferenceEquals(lease.Owner, this) && ReferenceEquals(lease.Includes, includes))
        {
            return lease;
        }

        _threadLease?.Timeout.Dispose();
        var context = new TemplateContext(_builtins)
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
        return _threadLease = new ContextLease(this, includes, context, new CancellationTokenSource());
    }

    private sealed record ContextLease(TemplateSandbox Owner, LayoutSet? Includes, TemplateContext Context, CancellationTokenSource Timeout);

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
