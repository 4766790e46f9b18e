using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Tests.Social;

/// <summary>Where a channel's secret may go: its platform's own API, this machine, or a host the app's setting lists; never where content alone points.</summary>
public sealed class ChannelHostsTests
{
    private static Channel On(string platform, string apiUrl, string secret = "x-london") =>
        new("borrowed", platform, AudienceRule.Everyone, new Uri(apiUrl), System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, secret, Channel.DefaultAdRadiusKm, new SourceLocation("channels.yaml", 1, 1));

    [Theory]
    [InlineData("facebook", "https://graph.facebook.com/")]
    [InlineData("instagram", "https://GRAPH.facebook.com./v21.0/")]
    [InlineData("threads", "https://graph.threads.net/")]
    [InlineData("x", "https://api.x.com/")]
    [InlineData("linkedin", "https://api.linkedin.com/")]
    [InlineData("bluesky", "https://bsky.social/")]
    [InlineData("mastodon", "http://localhost:8080/")]
    [InlineData("x", "http://127.0.0.1:9/")]
    [InlineData("bluesky", "http://[::1]:2583/")]
    [InlineData("webhook", "https://receiver.example/hook")]
    public void A_platforms_own_API_this_machine_and_a_webhook_whose_secret_only_signs_need_no_listing(string platform, string apiUrl) =>
        Assert.Null(ChannelHosts.None.Refusal(On(platform, apiUrl)));

    [Theory]
    [InlineData("facebook", "https://graph.facebook.com.exfil.example/", "graph.facebook.com.exfil.example")]
    [InlineData("x", "https://graph.facebook.com/", "graph.facebook.com")]
    [InlineData("mastodon", "https://mastodon.social/", "mastodon.social")]
    [InlineData("bluesky", "https://pds.exfil.example/", "pds.exfil.example")]
    public void Any_other_host_is_refused_naming_the_host_the_secret_and_the_setting(string platform, string apiUrl, string host) =>
        Assert.Equal(
            $"channel 'borrowed': its api_url names {host}, which is neither {platform}'s own API nor a host listed in LONDONTORIES_CHANNEL_HOSTS, so its secret 'x-london' is not sent there; " +
            $"if {host} is the account's server, add it to LONDONTORIES_CHANNEL_HOSTS",
            ChannelHosts.None.Refusal(On(platform, apiUrl)));

    [Fact]
    public void The_setting_lists_hosts_as_names_or_addresses_whatever_their_case_and_nothing_under_them()
    {
        var hosts = ChannelHosts.Parse(" Mastodon.Social, https://pds.party.example/xrpc ;toot.example.\n");

        Assert.Equal(["mastodon.social", "pds.party.example", "toot.example"], hosts.Listed.Order(StringComparer.Ordinal));
        Assert.Null(hosts.Refusal(On("mastodon", "https://mastodon.social/")));
        Assert.Null(hosts.Refusal(On("bluesky", "https://PDS.party.example/")));
        Assert.NotNull(hosts.Refusal(On("mastodon", "https://evil.mastodon.social/")));
        Assert.NotNull(hosts.Refusal(On("mastodon", "https://mastodon.social.evil.example/")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ;")]
    public void No_setting_lists_nothing(string? text) => Assert.Empty(ChannelHosts.Parse(text).Listed);
}
