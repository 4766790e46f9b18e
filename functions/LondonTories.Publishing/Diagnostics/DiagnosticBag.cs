using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace LondonTories.Publishing.Diagnostics;

/// <summary>Collects diagnostics from parallel work; reads back in a stable order.</summary>
public sealed class DiagnosticBag
{
    private readonly ConcurrentQueue<Diagnostic> _items = new();

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Enqueue(diagnostic);

    public void Error(SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint));

    /// <summary>An error that arises for one seat; the same error for several seats is reported once, naming them.</summary>
    public void ErrorFor(string subject, SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint) { Subjects = [subject] });

    public void Warning(SourceLocation location, string code, string message, string? hint = null) =>
        Add(new Diagnostic(location, code, message, hint, DiagnosticSeverity.Warning));

    public ImmutableArray<Diagnostic> ToImmutableSorted() =>
        [.. _items
            .GroupBy(d => (d.Location, d.Code, d.Message, d.Hint, d.Severity))
            .Select(g => g.First() with { Subjects = [.. g.SelectMany(d => d.Subjects).Distinct().Order(StringComparer.Ordinal)] })
            .OrderBy(d => d.Location.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Message, StringComparer.Ordinal)];
}
