using System.Net;
using System.Text.Json;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Bluesky;
using LondonTories.Publishing.Platforms.LinkedIn;

namespace LondonTories.Publishing.Tests.Platforms;

/// <summary>What the platform clients make of a delivery before any request: record keys, facets, escaped text, error wording.</summary>
public sealed class PlatformTextTests
{
    private const string Link = "https://londontories.example/bethnal-green/topic-one/";

    private static Delivery Delivery(string message, string? link = Link, string key = "topic-one-bethnal-green-bn-bluesky-main") =>
        new(key, "bluesky-main", "bluesky", new Uri("https://bsky.social/"), new Dictionary<string, string> { ["handle"] = "x.bsky.social" },
            message, link, "bn", null, null, ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void A_record_key_is_a_tid_that_only_its_delivery_key_decides()
    {
        // SHA-256 of the key, top bit cleared, in base32-sortable: computed independently of this code.
        Assert.Equal("45g746ogb7sdk", BlueskyClient.RecordKey("topic-one-battersea-en-bluesky-main"));
        var keys = Enumerable.Range(0, 500).Select(i => BlueskyClient.RecordKey($"post-{i}-seat-en-bluesky-main")).ToList();
        Assert.All(keys, k => Assert.Matches("^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$", k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Each_place_the_link_appears_is_a_facet_in_utf8_bytes()
    {
        var message = $"বেথনাল গ্রিনে বিষয় ১ পড়ুন: {Link}\n\n{Link}\n\nPromoted by A. Agent.";

        var record = JsonSerializer.SerializeToElement(BlueskyClient.Record(Delivery(message), new DateTimeOffset(2026, 11, 30, 9, 0, 0, 123, TimeSpan.Zero)));

        Assert.Equal("2026-11-30T09:00:00.123Z", record.GetProperty("createdAt").GetString());
        Assert.Equal(["bn"], record.GetProperty("langs").EnumerateArray().Select(l => l.GetString()));
        // The Bengali before the link is 29 characters but 75 bytes; the link is 53 bytes.
        Assert.Equal([(75, 128), (130, 183)], record.GetProperty("facets").EnumerateArray()
            .Select(f => (f.GetProperty("index").GetProperty("byteStart").GetInt32(), f.GetProperty("index").GetProperty("byteEnd").GetInt32())));
    }

    [Fact]
    public void An_address_in_the_text_that_goes_further_than_the_link_is_a_facet_to_itself_whole()
    {
        // The text names a part of the linked page: its facet must lead there, not stop at the link.
        var deeper = Link + "#apply";
        var message = $"Apply: {deeper}\n\n{Link}";

        var facets = JsonSerializer.SerializeToElement(BlueskyClient.Record(Delivery(message), DateTimeOffset.UnixEpoch)).GetProperty("facets").EnumerateArray()
            .Select(f => (f.GetProperty("index").GetProperty("byteStart").GetInt32(), f.GetProperty("index").GetProperty("byteEnd").GetInt32(),
                f.GetProperty("features")[0].GetProperty("uri").GetString()))
            .ToList();

        Assert.Equal([(7, 7 + deeper.Length, deeper), (9 + deeper.Length, 9 + deeper.Length + Link.Length, Link)], facets);
    }

    [Fact]
    public void A_post_without_a_link_has_no_facets()
    {
        var record = JsonSerializer.SerializeToElement(BlueskyClient.Record(Delivery("No link here.", link: null), DateTimeOffset.UnixEpoch));

        Assert.False(record.TryGetProperty("facets", out _));
        Assert.Equal("No link here.", record.GetProperty("text").GetString());
    }

    [Fact]
    public void LinkedIn_commentary_escapes_what_little_text_reserves_and_nothing_else()
    {
        Assert.Equal(@"Vote \#1 \(today\) \@ 9am \<now\> \[x\] \{y\} a\|b \*c\* \_d\_ \~e \\f — café 🌳", LinkedInClient.Escape(@"Vote #1 (today) @ 9am <now> [x] {y} a|b *c* _d_ ~e \f — café 🌳"));
    }

    [Theory]
    [InlineData("""{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""", "401: Unauthorized")]
    [InlineData("""{"error":"ExpiredToken","message":"Token has expired"}""", "401: ExpiredToken: Token has expired")]
    [InlineData("""{"error":"The access token is invalid"}""", "401: The access token is invalid")]
    [InlineData("""{"serviceErrorCode":65601,"message":"The token used in the request has been revoked by the user","status":401}""", "401: The token used in the request has been revoked by the user")]
    [InlineData("""{"errors":[{"code":88,"message":"Rate limit exceeded"}]}""", "401: Rate limit exceeded")]
    [InlineData("<html>Bad token tok-EN-123456</html>", "401: <html>Bad token [secret]</html>")]
    [InlineData("", "401: Unauthorized")]
    public void A_platform_error_is_quoted_in_its_own_words_without_the_secret(string body, string expected)
    {
        var reply = new PlatformReply(Delivered.Answered, HttpStatusCode.Unauthorized, null, body, null);

        Assert.Equal(expected, reply.Problem("tok-EN-123456"));
    }
}
