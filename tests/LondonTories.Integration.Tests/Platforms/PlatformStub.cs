using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LondonTories.Publishing.Platforms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>
/// A platform played by a WireMock.Net server on loopback, and the platform clients wired as the
/// app wires them, with short timeouts so that a lost answer costs a test seconds, not minutes.
/// Every log line the clients write is kept, to prove no secret reaches one.
/// </summary>
public sealed class PlatformStub : IDisposable
{
    public const string Secret = "s3cret-token-5b1e0c9d7a2f4e68";

    public const int MaxRetries = 3;

    private readonly ServiceProvider _services;
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly LogCapture _logs = new();

    /// <param name="attemptTimeout">Short only where a test means the platform to stall, so that a slow machine never looks like a stalled platform.</param>
    public PlatformStub(TimeSpan? attemptTimeout = null)
    {
        var timings = new PlatformHttpOptions
        {
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
            LongestRateLimitWait = TimeSpan.FromSeconds(5),
            MaxRetries = MaxRetries,
            Backoff = TimeSpan.FromMilliseconds(20),
        };
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton(timings)
            .AddLondonToriesPlatforms()
            .BuildServiceProvider();
    }

    public WireMockServer Server { get; } = WireMockServer.Start();

    public Uri Url => new(Server.Url! + "/");

    public IReadOnlyList<string> Logs => [.. _logs.Lines];

    public T Client<T>()
        where T : IPlatformClient => _services.GetServices<IPlatformClient>().OfType<T>().Single();

    /// <summary>Every request the stub received, oldest first.</summary>
    public IReadOnlyList<ILogEntry> Requests => [.. Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime)];

    public IReadOnlyList<ILogEntry> RequestsTo(string path) => [.. Requests.Where(e => e.RequestMessage.Path == path)];

    public static Delivery Delivery(string platform, Uri apiUrl, IReadOnlyDictionary<string, string>? account = null, string? link = "https://londontories.example/battersea/topic-one/", string language = "en") =>
        new(
            Key: $"topic-one-battersea-{language}-{platform}-main",
            ChannelId: $"{platform}-main",
            Platform: platform,
            ApiUrl: apiUrl,
            Account: account ?? new Dictionary<string, string>(),
            Message: link is null
                ? "Read about topic one in Battersea.\n\nPromoted by A. Agent on behalf of London Tories, 1 Example Street, London SW1A 1AA."
                : $"Read about topic one in Battersea — “café” 🌳.\n\n{link}\n\nPromoted by A. Agent on behalf of London Tories, 1 Example Street, London SW1A 1AA.",
            Link: link,
            Language: language,
            MediaUrl: null,
            Ad: null,
            Document: "{}"u8.ToArray());

    /// <summary>
    /// Takes every <paramref name="method"/> request to <paramref name="path"/> and holds it far past
    /// the clients' timeout before answering <paramref name="status"/>, as a platform does that applies
    /// a post and then stalls. Counted on arrival, since the server logs a request only once answered.
    /// </summary>
    public void Hang(string method, string path, int status = 200, string body = "{}")
    {
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(Response.Create().WithCallback(async request =>
        {
            _held.AddOrUpdate(path, 1, (_, n) => n + 1);
            await Task.Delay(TimeSpan.FromSeconds(10));
            return new ResponseMessage { StatusCode = status, BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String } };
        }));
    }

    /// <summary>How many requests a <see cref="Hang"/> took.</summary>
    public int Held(string path) => _held.GetValueOrDefault(path);

    /// <summary>An address on loopback where nothing listens, so a connection is refused before anything is sent.</summary>
    public static Uri Unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public static JsonElement Json(ILogEntry entry) => JsonDocument.Parse(entry.RequestMessage.Body!).RootElement.Clone();

    public static string Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.Single(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    /// <summary>Nothing the client said, in its result or its logs, holds the secret.</summary>
    public void AssertNoSecret(DeliveryResult? result)
    {
        Assert.DoesNotContain(Secret, result?.Error ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result?.RemoteId ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result?.RemoteUrl ?? "", StringComparison.Ordinal);
        Assert.All(Logs, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        _services.Dispose();
    }

    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
