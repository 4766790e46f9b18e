using System.Text.Json;
using LondonTories.Publishing.Feeds;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Tests.Feeds;

/// <summary>A feed as its writers write it is cut into one part per entry, which join back into the same bytes.</summary>
public sealed class FeedPartsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // Text that looks like the writers' own layout, once escaped or not.
    private static readonly string[] Awkward =
    [
        "<p>Plain.</p>",
        "<p>A line\n    }\n  ]\n}\n    {</p>",
        "\"items\": [ {\"id\": 1} ]",
        "<pre>\n  <entry>\n</feed>\n</pre>",
        "বাংলা, اردو and ‘quotes’ & <b>bold</b>",
        "",
    ];

    private static Feed FeedOf(int count, int seed)
    {
        var random = new Random(seed);
        var entries = Enumerable.Range(0, count).Select(i => new FeedEntry(
            $"tag:example.org,2026:seat/en/page-{i}",
            Awkward[random.Next(Awkward.Length)] + $" {i}",
            random.Next(3) == 0 ? null : Awkward[random.Next(Awkward.Length)],
            $"https://example.org/seat/page-{i}/",
            random.Next(2) == 0 ? "en" : "bn",
            At.AddDays(-i),
            At,
            string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Awkward[random.Next(Awkward.Length)])),
            random.Next(2) == 0 ? null : $"https://example.org/images/{i}.jpg"));
        return new Feed("tag:example.org,2026:seat/en", "Seat \"items\": [", "en", "https://example.org/seat/",
            new FeedPaths("web/seat/feed.atom", "https://example.org/seat/feed.atom", "web/seat/feed.json", "https://example.org/seat/feed.json"),
            "London \n    {", At, [.. entries]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(60)]
    public void A_JSON_feed_is_cut_into_its_items_and_joins_back_whole(int count)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var bytes = JsonFeed.Write(FeedOf(count, seed));

            var parts = FeedParts.Json(bytes);

            Assert.NotNull(parts);
            Assert.Equal(count, parts.Entries.Count);
            Assert.Equal(bytes, parts.Join(parts.Entries, separator: (byte)','));
            for (var i = 0; i < count; i++)
            {
                using var item = JsonDocument.Parse(parts.Entries[i]);
                Assert.Equal($"tag:example.org,2026:seat/en/page-{i}", item.RootElement.GetProperty("id").GetString());
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(60)]
    public void An_Atom_feed_is_cut_into_its_entries_and_joins_back_whole(int count)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var bytes = AtomFeed.Write(FeedOf(count, seed));

            var parts = FeedParts.Atom(bytes);

            Assert.NotNull(parts);
            Assert.Equal(count, parts.Entries.Count);
            Assert.Equal(bytes, parts.Join(parts.Entries, separator: null));
            Assert.All(parts.Entries.Select((entry, i) => (Text: System.Text.Encoding.UTF8.GetString(entry.Span), i)),
                e => Assert.Contains($"<id>tag:example.org,2026:seat/en/page-{e.i}</id>", e.Text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Bytes_the_writer_did_not_write_are_not_cut()
    {
        var bytes = JsonFeed.Write(FeedOf(3, 1));
        var compact = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(bytes).RootElement);
        var empty = JsonFeed.Write(FeedOf(0, 1));

        Assert.Null(FeedParts.Json(compact));
        Assert.Null(FeedParts.Json(bytes[..^1]));
        Assert.Null(FeedParts.Json(empty));
        Assert.Null(FeedParts.Json([]));
    }
}
