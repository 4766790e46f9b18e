using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace LondonTories.Publishing.Diagnostics;

/// <summary>Collects diagnostics from parallel work; reads back in a stable order.</summary>
/// <remarks>
/// The same problem found for many seats is kept once, with the seats it arose for, as it is added:
/// a page with thousands of broken links, checked for each of 75 seats, would otherwise hold every
/// copy until the end of the run.
/// </remarks>
public sealed class DiagnosticBag
{
    private readonly ConcurrentDictionary<(SourceLocation, string, string, string?, DiagnosticSeverity), Found> _items = new();
    private volatile bool _hasErrors;

    public bool HasErrors => _hasErrors;

    public void Add(Diagnostic diagnostic)
    {
        var found = _items.GetOrAdd((diagnostic.Location, diagnostic.Code, diagnostic.Message, diagnostic.Hint, diagnostic.Severity), static (_, first) => new Found(first), diagnostic);
        found.Take(diagnostic.Subjects);
        if (diagnostic.IsError)
        {
            _hasErrors = true;
        }
    }

    public void Error(SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint));

    /// <summary>An error that arises for one seat; the same error for several seats is reported once, naming them.</summary>
    public void ErrorFor(string subject, SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint) { Subjects = [subject] });

    public void Warning(SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint, DiagnosticSeverity.Warning));

    public ImmutableArray<Diagnostic> ToImmutableSorted() =>
        [.. _items.Values
            .Select(f => f.ToDiagnostic())
            .OrderBy(d => d.Location.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)];

    /// <summary>One problem and every seat it was found for so far.</summary>
    private sealed class Found(Diagnostic first)
    {
        private readonly HashSet<string> _subjects = new(StringComparer.Ordinal);

        public void Take(ImmutableArray<string> subjects)
        {
            if (subjects.IsDefaultOrEmpty)
            {
                return;
            }

            lock (_subjects)
            {
                _subjects.UnionWith(subjects);
            }
        }

        public Diagnostic ToDiagnostic()
        {
            lock (_subjects)
            {
                return first with { Subjects = [.. _subjects.Order(StringComparer.Ordinal)] };
            }
        }
    }
}
