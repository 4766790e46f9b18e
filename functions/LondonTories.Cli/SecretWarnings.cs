using Microsoft.Extensions.Logging;

namespace LondonTories.Cli;

/// <summary>
/// The delivery run's warnings about channel secrets, said on stderr as the CLI says its other
/// warnings: a token due for renewal used as it is, an authorisation about to end. No delivery report
/// carries them, and the Functions app raises an alert for them; without this a CLI run would keep
/// them to itself. Every other log event is left to the reports the commands print.
/// </summary>
internal sealed class SecretWarnings(TextWriter stderr) : ILoggerProvider, ILogger
{
    private static readonly HashSet<string> Events = new(StringComparer.Ordinal) { "SecretNotRenewed", "AuthorisationEnding" };

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel) && eventId.Name is { } name && Events.Contains(name))
        {
            lock (stderr)
            {
                stderr.WriteLine($"warning: {formatter(state, exception)}");
            }
        }
    }

    public void Dispose()
    {
    }
}
