using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Bluesky;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>Bluesky end to end against the reference Personal Data Server: a real account, a real post, read back.</summary>
[Collection(PdsCollection.Name)]
public sealed class BlueskyPdsTests(PdsFixture pds) : IDisposable
{
    private readonly PlatformStub _platforms = new();

    public void Dispose() => _platforms.Dispose();

    [Fact]
    public async Task A_post_goes_out_once_with_its_facet_and_languages_and_can_be_retracted()
    {
        var (did, appPassword) = await pds.Server.CreateAccountAsync("battersea.test");
        var client = _platforms.Client<BlueskyClient>();
        var delivery = PlatformStub.Delivery("bluesky", pds.Server.Url, new Dictionary<string, string> { ["handle"] = "battersea.test" });
        var rkey = BlueskyClient.RecordKey(delivery.Key);
        var uri = $"at://{did}/app.bsky.feed.post/{rkey}";

        var sent = await client.SendAsync(delivery, appPassword, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, uri, $"https://bsky.app/profile/battersea.test/post/{rkey}"), sent);
        var stored = (await pds.Server.QueryAsync($"com.atproto.repo.getRecord?repo={did}&collection=app.bsky.feed.post&rkey={rkey}"))!.Value;
        Assert.Equal(uri, stored.GetProperty("uri").GetString());
        var record = stored.GetProperty("value");
        Assert.Equal(delivery.Message, record.GetProperty("text").GetString());
        Assert.Equal(["en"], record.GetProperty("langs").EnumerateArray().Select(l => l.GetString()));
        var facet = Assert.Single(record.GetProperty("facets").EnumerateArray());
        Assert.Equal(57, facet.GetProperty("index").GetProperty("byteStart").GetInt32());
        Assert.Equal(106, facet.GetProperty("index").GetProperty("byteEnd").GetInt32());
        Assert.Equal("https://londontories.example/battersea/topic-one/", Assert.Single(facet.GetProperty("features").EnumerateArray()).GetProperty("uri").GetString());

        // A repeat of the same delivery, as after a lost answer, names the same record: the server refuses it and the post stands alone.
        var again = await client.SendAsync(delivery, appPassword, CancellationToken.None);
        Assert.Equal(sent, again);
        var posts = (await pds.Server.QueryAsync($"com.atproto.repo.listRecords?repo={did}&collection=app.bsky.feed.post"))!.Value;
        Assert.Equal([uri], posts.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("uri").GetString()));
        Assert.Equal(sent, await client.FindAsync(delivery, appPassword, CancellationToken.None));

        var retracted = await client.RetractAsync(delivery, sent.RemoteId!, appPassword, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Sent, retracted.Outcome);
        Assert.Null(await pds.Server.QueryAsync($"com.atproto.repo.getRecord?repo={did}&collection=app.bsky.feed.post&rkey={rkey}"));
        Assert.Equal(DeliveryOutcome.NotSent, (await client.FindAsync(delivery, appPassword, CancellationToken.None))!.Outcome);
        _platforms.AssertNoSecret(sent);
        Assert.All(_platforms.Logs, line => Assert.DoesNotContain(appPassword, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_app_password_is_refused_and_never_quoted()
    {
        await pds.Server.CreateAccountAsync("bromley.test");
        var delivery = PlatformStub.Delivery("bluesky", pds.Server.Url, new Dictionary<string, string> { ["handle"] = "bromley.test" });

        var result = await _platforms.Client<BlueskyClient>().SendAsync(delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.StartsWith("Bluesky refused the app password for bromley.test (401:", result.Error, StringComparison.Ordinal);
        _platforms.AssertNoSecret(result);
    }
}
