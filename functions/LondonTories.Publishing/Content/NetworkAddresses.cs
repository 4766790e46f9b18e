using System.Net;
using System.Net.Sockets;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Which addresses are on the public internet. A receiver's address is written in content, and the
/// app runs inside a network of its own: a delivery to a private, link-local or other internal
/// address would reach whatever lives there (the platform's metadata service at 169.254.169.254,
/// a storage emulator, an admin port) with the app's signature on it.
/// </summary>
public static class NetworkAddresses
{
    private static readonly (IPAddress Network, int Bits)[] NotPublic4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // shared address space (carrier NAT)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata services
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // protocol assignments
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("224.0.0.0"), 3),      // multicast and reserved, to 255.255.255.255
    ];

    private static readonly (IPAddress Network, int Bits)[] NotPublic6 =
    [
        (IPAddress.Parse("::"), 128),           // unspecified
        (IPAddress.Parse("::1"), 128),          // loopback
        (IPAddress.Parse("fc00::"), 7),         // unique local
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("ff00::"), 8),         // multicast
        (IPAddress.Parse("64:ff9b:1::"), 48),   // NAT64 for a network's own use
        (IPAddress.Parse("100::"), 64),         // discard only
        (IPAddress.Parse("2001::"), 32),        // Teredo: the host inside is hidden, so it cannot be checked
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
    ];

    /// <summary>Whether <paramref name="address"/> is on the public internet, as a delivery's receiver must be.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !NotPublic4.Any(n => Within(address, n.Network, n.Bits));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || NotPublic6.Any(n => Within(address, n.Network, n.Bits)))
        {
            return false;
        }

        // Addresses that carry an IPv4 address inside (NAT64, 6to4, and the IPv4-compatible and
        // IPv4-translated forms) lead wherever that one does.
        var bytes = address.GetAddressBytes();
        if (Within(address, IPAddress.Parse("64:ff9b::"), 96) || Within(address, IPAddress.Parse("::"), 96) || Within(address, IPAddress.Parse("::ffff:0:0:0"), 96))
        {
            return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        }

        return !Within(address, IPAddress.Parse("2002::"), 16) || IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
    }

    /// <summary>Whether a URL's host names this machine itself, as a receiver being tried out does.</summary>
    public static bool NamesThisMachine(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var literal) && IPAddress.IsLoopback(literal));

    private static bool Within(IPAddress address, IPAddress network, int bits)
    {
        var (a, n) = (address.GetAddressBytes(), network.GetAddressBytes());
        if (a.Length != n.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
