using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// Fails a share of storage requests with 503 Server Busy. Half of the failures never reach the
/// server; the other half are carried out and then lose their answer, as when a connection drops,
/// so a retry repeats work that was already done. It sits where the network does, so the clients'
/// own retry policy sees the failures as it would see real ones.
/// </summary>
public sealed class FaultyTransport(double share, int seed) : HttpPipelineTransport
{
    private readonly HttpClientTransport _network = new();
    private readonly Random _random = new(seed);
    private int _failed;

    public int Failed => _failed;

    public override Request CreateRequest() => _network.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        if (roll < share / 2)
        {
            Interlocked.Increment(ref _failed);
            message.Response = new ServerBusyResponse(message.Request.ClientRequestId);
            return;
        }

        await _network.ProcessAsync(message).ConfigureAwait(false);
        if (roll < share)
        {
            Interlocked.Increment(ref _failed);
            message.Response.Dispose();
            message.Response = new ServerBusyResponse(message.Request.ClientRequestId);
        }
    }

    private sealed class ServerBusyResponse(string clientRequestId) : Response
    {
        private static readonly byte[] Body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Injected fault.</Message></Error>"u8.ToArray();

        public override int Status => 503;

        public override string ReasonPhrase => "Server Busy";

        public override Stream? ContentStream { get; set; } = new MemoryStream(Body);

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => name.Equals("x-ms-error-code", StringComparison.OrdinalIgnoreCase);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [new HttpHeader("x-ms-error-code", "ServerBusy")];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = ContainsHeader(name) ? "ServerBusy" : null;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = ContainsHeader(name) ? ["ServerBusy"] : null;
            return values is not null;
        }
    }
}
