using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Feeds;

/// <summary>Writes a feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1), for scripts.</summary>
public static class JsonFeed
{
    public const string Version = "https://jsonfeed.org/version/1.1";

    // Every character outside ASCII's controls and markup as itself, as readers of the feed expect of its text.
    private static readonly JsonWriterOptions Writing = new() { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // Written field by field, in the order and with the names readers have always had, absent fields left
    // out: a run writes a feed per seat and language, and the serialiser over an anonymous model cost a
    // program that publishes once its reflection and code generation on every run.
    public static byte[] Write(Feed feed)
    {
        // Sized once for the escaped articles, so a feed of full articles is not copied as its buffer doubles.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(feed.EstimatedSize);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            writer.WriteString(Names.Version, Version);
            WriteUnlessNull(writer, Names.Title, feed.Title);
            WriteUnlessNull(writer, Names.HomePageUrl, feed.HomeUrl);
            WriteUnlessNull(writer, Names.FeedUrl, feed.Paths.JsonUrl);
            WriteUnlessNull(writer, Names.Language, feed.Language);
            writer.WriteStartArray(Names.Authors);
            writer.WriteStartObject();
            WriteUnlessNull(writer, Names.Name, feed.Author);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartArray(Names.Items);
            foreach (var entry in feed.Entries)
            {
                writer.WriteStartObject();
                WriteUnlessNull(writer, Names.Id, entry.Id);
                WriteUnlessNull(writer, Names.Url, entry.Url);
                WriteUnlessNull(writer, Names.Title, entry.Title);
                WriteUnlessNull(writer, Names.Summary, entry.Summary);
                WriteUnlessNull(writer, Names.ContentHtml, entry.ContentHtml);
                WriteUnlessNull(writer, Names.Image, entry.Image);
                writer.WriteString(Names.DatePublished, Rfc3339.Format(entry.Published));
                writer.WriteString(Names.DateModified, Rfc3339.Format(entry.Updated));
                WriteUnlessNull(writer, Names.Language, entry.Language);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteUnlessNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static class Names
    {
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText HomePageUrl = JsonEncodedText.Encode("home_page_url");
        public static readonly JsonEncodedText FeedUrl = JsonEncodedText.Encode("feed_url");
        public static readonly JsonEncodedText Language = JsonEncodedText.Encode("language");
        public static readonly JsonEncodedText Authors = JsonEncodedText.Encode("authors");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Items = JsonEncodedText.Encode("items");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");
        public static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
        public static readonly JsonEncodedText ContentHtml = JsonEncodedText.Encode("content_html");
        public static readonly JsonEncodedText Image = JsonEncodedText.Encode("image");
        public static readonly JsonEncodedText DatePublished = JsonEncodedText.Encode("date_published");
        public static readonly JsonEncodedText DateModified = JsonEncodedText.Encode("date_modified");
    }
}
