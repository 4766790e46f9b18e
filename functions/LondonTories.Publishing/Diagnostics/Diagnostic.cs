using System.Globalization;

namespace LondonTories.Publishing.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>A place in a content file, 1-based as editors and compilers count.</summary>
public readonly record struct SourceLocation(string Path, int Line, int Column)
{
    public static SourceLocation StartOf(string path) => new(path, 1, 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path}:{Line}:{Column}");
}

/// <summary>
/// A problem in the content, reported as a value rather than thrown so that an editor sees every
/// problem of a run at once.
/// </summary>
public sealed record Diagnostic(
    SourceLocation Location,
    string Code,
    string Message,
    string? Hint = null,
    DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The constituencies the problem arose for, when it depends on the seat (a template error, say).</summary>
    public System.Collections.Immutable.ImmutableArray<string> Subjects { get; init; } = [];

    /// <summary>Formats as compilers do (<c>path:line:col: error: message</c>) so editors can jump to it.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var hint = Hint is null ? string.Empty : " " + Hint;
        return $"{Location}: {severity}: {Message}{SubjectsText()}{hint} [{Code}]";
    }

    private string SubjectsText() => Subjects.Length switch
    {
        0 => string.Empty,
        1 => $" (for {Subjects[0]})",
        <= 3 => $" (for {string.Join(", ", Subjects)})",
        _ => $" (for {string.Join(", ", Subjects.Take(2))} and {Subjects.Length - 2} more)",
    };
}
