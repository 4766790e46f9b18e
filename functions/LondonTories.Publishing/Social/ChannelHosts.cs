using System.Collections.Frozen;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>
/// The hosts a channel's secret may be sent to. channels.yaml names both a channel's secret and its
/// <c>api_url</c>, and whoever may write content may not read the vault: were any pairing sent,
/// a channel could carry any secret in the vault to any host. So a secret goes only to its
/// platform's own API, to this machine (a rehearsal; on Azure the connection itself is refused),
/// or to a host the app's operator listed in <see cref="Setting"/>, beside the vault, where content
/// cannot reach: a Mastodon instance, a Bluesky PDS of the party's own.
/// </summary>
public sealed class ChannelHosts
{
    /// <summary>The app setting, and the CLI's environment variable, listing further hosts, separated by commas.</summary>
    public const string Setting = "LONDONTORIES_CHANNEL_HOSTS";

    public static readonly ChannelHosts None = new(FrozenSet<string>.Empty);

    private readonly FrozenSet<string> _listed;

    private ChannelHosts(FrozenSet<string> listed) => _listed = listed;

    public IReadOnlyCollection<string> Listed => _listed;

    /// <summary>The hosts of <see cref="Setting"/>'s value: names, or addresses whose host is taken, separated by commas, semicolons or spaces.</summary>
    public static ChannelHosts Parse(string? text) => new((text ?? string.Empty)
        .Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
        .Select(entry => Uri.TryCreate(entry.Contains("://", StringComparison.Ordinal) ? entry : $"https://{entry}", UriKind.Absolute, out var uri) ? Normal(uri.IdnHost) : null)
        .OfType<string>()
        .ToFrozenSet(StringComparer.Ordinal));

    public static ChannelHosts FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Setting));

    /// <summary>Why the channel's secret is not sent where its <c>api_url</c> points, as a sentence naming the fix; null where it may be.</summary>
    public string? Refusal(Channel channel)
    {
        var platform = SocialPlatforms.IsKnown(channel.Platform) ? SocialPlatforms.Get(channel.Platform) : null;
        if (platform is { SecretSigns: true })
        {
            return null;
        }

        var host = Normal(channel.ApiUrl.IdnHost);
        if (NetworkAddresses.NamesThisMachine(host) || _listed.Contains(host) || (platform?.DefaultApiUrl is { } own && Normal(own.IdnHost) == host))
        {
            return null;
        }

        return $"channel '{channel.Id}': its api_url names {host}, which is neither {channel.Platform}'s own API nor a host listed in {Setting}, " +
            $"so its secret '{channel.Secret}' is not sent there; if {host} is the account's server, add it to {Setting}";
    }

    private static string Normal(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
