using System.Globalization;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Cli;

/// <summary>Where commands speak: results on stdout, problems on stderr, progress only on a terminal.</summary>
public sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out => stdout;

    public TextWriter Error => stderr;

    public bool IsTerminal => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    /// <param name="outcome">What the errors meant for the command, after the count: a publish says nothing went out.</param>
    /// <summary>The outcome of errors that stop any publish, said of one error or of several.</summary>
    public static string UntilFixed(int errors) => errors == 1 ? "nothing can be published until it is fixed" : "nothing can be published until they are fixed";

    public Task ReportAsync(IEnumerable<Diagnostic> diagnostics, string outcome = "nothing was published") => ReportAsync(diagnostics, _ => outcome);

    public async Task ReportAsync(IEnumerable<Diagnostic> diagnostics, Func<int, string> outcome)
    {
        var errors = 0;
        var warnings = 0;
        foreach (var diagnostic in diagnostics)
        {
            await stderr.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            if (diagnostic.IsError)
            {
                errors++;
            }
            else
            {
                warnings++;
            }
        }

        if (errors > 0)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{errors} error{(errors == 1 ? "" : "s")}{(warnings > 0 ? $", {warnings} warning{(warnings == 1 ? "" : "s")}" : "")}: {outcome(errors)}.")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A one-line progress display that rewrites itself, for terminals only. It writes as it is told,
    /// on the reporting thread: a display posted to the thread pool could show counts out of order.
    /// </summary>
    public IProgress<PublishProgress>? Progress() => IsTerminal ? new ProgressLine(stdout) : null;

    public void EndProgress()
    {
        if (IsTerminal)
        {
            stdout.Write("\r" + new string(' ', 40) + "\r");
        }
    }
}

internal sealed class ProgressLine(TextWriter stdout) : IProgress<PublishProgress>
{
    private readonly Lock _lock = new();

    public void Report(PublishProgress value)
    {
        lock (_lock)
        {
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"\r{value.Step,-8} {value.Done,7:N0} / {value.Total:N0}   "));
        }
    }
}
