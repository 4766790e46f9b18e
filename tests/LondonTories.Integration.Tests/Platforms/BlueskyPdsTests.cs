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

    // A one-pixel PNG in the party's blue, whole and valid, as a server that looks at a picture's bytes takes it.
    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x68, 0xBF, 0x03,
        0x00, 0x01, 0xEE, 0x01, 0x64, 0xC6, 0xE7, 0xB4, 0x67, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    [Fact]
    public async Task A_post_with_a_picture_carries_it_as_an_image_with_its_words_and_its_link_as_a_facet()
    {
        var (did, appPassword) = await pds.Server.CreateAccountAsync("tooting.test");
        var delivery = PlatformStub.Delivery("bluesky", pds.Server.Url, new Dictionary<string, string> { ["handle"] = "tooting.test" }) with
        {
            MediaUrl = new Uri("https://londontories.example/social/stall.png"),
            MediaBytes = Png,
            MediaAlt = "Volunteers at the Tooting street stall",
        };

        var sent = await _platforms.Client<BlueskyClient>().SendAsync(delivery, appPassword, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        var record = (await pds.Server.QueryAsync($"com.atproto.repo.getRecord?repo={did}&collection=app.bsky.feed.post&rkey={BlueskyClient.RecordKey(delivery.Key)}"))!.Value.GetProperty("value");
        var embed = record.GetProperty("embed");
        Assert.Equal("app.bsky.embed.images", embed.GetProperty("$type").GetString());
        var image = Assert.Single(embed.GetProperty("images").EnumerateArray());
        Assert.Equal("Volunteers at the Tooting street stall", image.GetProperty("alt").GetString());
        Assert.Equal("image/png", image.GetProperty("image").GetProperty("mimeType").GetString());
        Assert.Equal(Png.Length, image.GetProperty("image").GetProperty("size").GetInt32());
        Assert.Equal("https://londontories.example/battersea/topic-one/", Assert.Single(Assert.Single(record.GetProperty("facets").EnumerateArray()).GetProperty("features").EnumerateArray()).GetProperty("uri").GetString());

        // The picture the post shows is the one the content holds, byte for byte.
        var cid = image.GetProperty("image").GetProperty("ref").GetProperty("$link").GetString();
        using var http = new HttpClient { BaseAddress = pds.Server.Url };
        Assert.Equal(Png, await http.GetByteArrayAsync($"xrpc/com.atproto.sync.getBlob?did={did}&cid={cid}"));
    }

    [Fact]
    public async Task Links_and_hashtags_in_the_text_are_facets_over_their_utf8_bytes_after_bengali_and_emoji()
    {
        var (did, appPassword) = await pds.Server.CreateAccountAsync("bethnal-green.test");
        const string Link = "https://londontories.example/bethnal-green/topic-one/";
        var message = "শীতে সাহায্য 👨‍👩‍👧 দেখুন (https://www.gov.uk/council-tax-reduction). #শীত #CostOfLiving, and https://www.example.org/advice?day=mon#times.\n\n" +
                      Link + "\n\nPromoted by A. Agent on behalf of London Tories, 1 Example Street, London SW1A 1AA.";
        var delivery = PlatformStub.Delivery("bluesky", pds.Server.Url, new Dictionary<string, string> { ["handle"] = "bethnal-green.test" }, Link, "bn") with { Message = message };

        var sent = await _platforms.Client<BlueskyClient>().SendAsync(delivery, appPassword, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        var record = (await pds.Server.QueryAsync($"com.atproto.repo.getRecord?repo={did}&collection=app.bsky.feed.post&rkey={BlueskyClient.RecordKey(delivery.Key)}"))!.Value.GetProperty("value");
        var text = System.Text.Encoding.UTF8.GetBytes(record.GetProperty("text").GetString()!);
        var facets = record.GetProperty("facets").EnumerateArray().Select(f =>
        {
            var (start, end) = (f.GetProperty("index").GetProperty("byteStart").GetInt32(), f.GetProperty("index").GetProperty("byteEnd").GetInt32());
            var feature = Assert.Single(f.GetProperty("features").EnumerateArray());
            var value = feature.TryGetProperty("uri", out var uri) ? uri.GetString() : "#" + feature.GetProperty("tag").GetString();
            return (Covered: System.Text.Encoding.UTF8.GetString(text[start..end]), Type: feature.GetProperty("$type").GetString(), Value: value);
        }).ToList();

        // Each facet covers exactly the bytes of what it names: no bracket or full stop after a link, no comma after a tag.
        Assert.Equal<(string, string?, string?)>(
        [
            ("https://www.gov.uk/council-tax-reduction", "app.bsky.richtext.facet#link", "https://www.gov.uk/council-tax-reduction"),
            ("#শীত", "app.bsky.richtext.facet#tag", "#শীত"),
            ("#CostOfLiving", "app.bsky.richtext.facet#tag", "#CostOfLiving"),
            ("https://www.example.org/advice?day=mon#times", "app.bsky.richtext.facet#link", "https://www.example.org/advice?day=mon#times"),
            (Link, "app.bsky.richtext.facet#link", Link),
        ], facets);
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
