using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Feeds;

/// <summary>Writes a feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1), for scripts.</summary>
public static class JsonFeed
{
    public const string Version = "https://jsonfeed.org/version/1.1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Write(Feed feed)
    {
        // Sized once for the escaped articles, so a feed of full articles is not copied as its buffer doubles.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(feed.EstimatedSize);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Json.Encoder }))
        {
            JsonSerializer.Serialize(writer, Model(feed), Json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static object Model(Feed feed) => new
    {
        Version,
        feed.Title,
        HomePageUrl = feed.HomeUrl,
        FeedUrl = feed.Paths.JsonUrl,
        feed.Language,
        Authors = new[] { new { Name = feed.Author } },
        Items = feed.Entries.Select(e => new
        {
            e.Id,
            e.Url,
            e.Title,
            e.Summary,
            ContentHtml = e.ContentHtml,
            e.Image,
            DatePublished = Rfc3339.Format(e.Published),
            DateModified = Rfc3339.Format(e.Updated),
            e.Language,
        }),
    };
}
