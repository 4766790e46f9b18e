using LondonTories.Publishing.Social;
using Microsoft.Extensions.Logging;

namespace LondonTories.Cli;

/// <summary>
/// The delivery run's warnings about channel secrets, said on stderr as the CLI says its other
/// warnings: a token due for renewal used as it is, an authorisation about to end. No delivery report
/// carries them, and the Functions app raises an alert for them; without this a CLI run would keep
/// them to itself. Every other log event is left to the reports the commands print.
/// </summary>
internal sealed class SecretWarnings(TextWriter stderr) : ILoggerProvider
{
    // A run delivers in parallel, and a warning is one line whichever thread writes it.
    private readonly TextWriter _stderr = TextWriter.Synchronized(stderr);

    public ILogger CreateLogger(string categoryName) => new Writer(_stderr);

    public void Dispose()
    {
    }

    private sealed class Writer(TextWriter stderr) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && eventId.Name is DeliveryRunner.SecretNotRenewedEvent or DeliveryRunner.AuthorisationEndingEvent)
            {
                stderr.WriteLine($"warning: {formatter(state, exception)}");
            }
        }
    }
}
