using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>Every line a class logs, with its exception, as whoever reads the app's log would see it.</summary>
public sealed class LogCapture<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{formatter(state, exception)} {exception}");
}
