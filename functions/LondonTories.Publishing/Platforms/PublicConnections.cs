using System.Net;
using System.Net.Sockets;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Platforms;

/// <summary>
/// Connects an outbound request only to public addresses, checked on the addresses the connection
/// is made to, after the name is resolved: addresses come from content (a receiver's url, a
/// channel's api_url), and a name that resolves, or later starts to resolve, to a private or
/// internal address is refused there, whatever it looked like in content. A server named as this
/// machine itself (localhost, 127.0.0.1), for trying one out, is connected as named, except where the
/// app runs on Azure: there this machine is the platform's, with the managed identity's token endpoint
/// and the Functions host answering on loopback.
/// </summary>
internal static class PublicConnections
{
    // App Service, and so Azure Functions on any plan, sets it for every app it runs.
    private static readonly bool Hosted = Environment.GetEnvironmentVariable("WEBSITE_SITE_NAME") is { Length: > 0 };

    public static ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) => ConnectAsync(context, Hosted, cancellationToken);

    internal static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool hosted, CancellationToken cancellationToken)
    {
        // The endpoint writes an IPv6 address in brackets, the request's IdnHost without them.
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

        // Through a proxy the operator set, the proxy is what is connected to, and it reaches the receiver.
        var throughProxy = !string.Equals(context.InitialRequestMessage.RequestUri?.IdnHost.Trim('[', ']'), host, StringComparison.OrdinalIgnoreCase);
        var allowed = throughProxy
            ? addresses
            : [.. addresses.Where(a => NetworkAddresses.IsPublic(a) || (!hosted && NetworkAddresses.NamesThisMachine(host) && IPAddress.IsLoopback(a)))];
        if (allowed.Length == 0 && hosted && NetworkAddresses.NamesThisMachine(host))
        {
            throw new HttpRequestException(
                $"'{host}' is this machine, where the platform's own services answer (the managed identity's token endpoint, the Functions host), and the app on Azure connects only to public addresses; give the server's public https:// address.");
        }

        if (allowed.Length == 0)
        {
            var shown = string.Join(", ", addresses.Select(a => a.ToString()));
            throw new HttpRequestException(
                $"'{host}' leads to {(addresses.Length == 0 ? "no address" : shown)}, on a private or internal network, and the app connects only to public addresses; give the server's public https:// address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
