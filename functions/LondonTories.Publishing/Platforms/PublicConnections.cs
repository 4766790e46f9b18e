using System.Net;
using System.Net.Sockets;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Platforms;

/// <summary>
/// Connects an outbound request only to public addresses, checked on the addresses the connection
/// is made to, after the name is resolved: addresses come from content (a receiver's url, a
/// channel's api_url), and a name that resolves, or later starts to resolve, to a private or
/// internal address is refused there, whatever it looked like in content. A server named as this
/// machine itself (localhost, 127.0.0.1), for trying one out, is connected as named.
/// </summary>
internal static class PublicConnections
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
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
            : [.. addresses.Where(a => NetworkAddresses.IsPublic(a) || (NetworkAddresses.NamesThisMachine(host) && IPAddress.IsLoopback(a)))];
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
