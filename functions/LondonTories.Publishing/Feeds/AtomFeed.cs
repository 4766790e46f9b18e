using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Feeds;

/// <summary>Writes a feed as Atom (RFC 4287): every element the RFC requires, the article whole as <c>content type="html"</c>.</summary>
public static class AtomFeed
{
    public const string Namespace = "http://www.w3.org/2005/Atom";

    public static byte[] Write(Feed feed)
    {
        // Sized once for the escaped articles, so a feed of full articles is not copied as its buffer doubles.
        using var memory = new MemoryStream(feed.EstimatedSize);
        using (var writer = XmlWriter.Create(memory, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("feed", Namespace);
            writer.WriteAttributeString("xml", "lang", null, feed.Language);
            writer.WriteElementString("id", Namespace, feed.Id);
            WriteText(writer, "title", feed.Title);
            writer.WriteElementString("updated", Namespace, Rfc3339.Format(feed.Updated));
            writer.WriteStartElement("author", Namespace);
            writer.WriteElementString("name", Namespace, feed.Author);
            writer.WriteEndElement();
            WriteLink(writer, "self", "application/atom+xml", feed.Paths.AtomUrl);
            WriteLink(writer, "alternate", "text/html", feed.HomeUrl);
            WriteLink(writer, "alternate", "application/feed+json", feed.Paths.JsonUrl);
            foreach (var entry in feed.Entries)
            {
                writer.WriteStartElement("entry", Namespace);
                writer.WriteAttributeString("xml", "lang", null, entry.Language);
                writer.WriteElementString("id", Namespace, entry.Id);
                WriteText(writer, "title", entry.Title);
                writer.WriteElementString("published", Namespace, Rfc3339.Format(entry.Published));
                writer.WriteElementString("updated", Namespace, Rfc3339.Format(entry.Updated));
                WriteLink(writer, "alternate", "text/html", entry.Url);
                if (entry.Image is { } image)
                {
                    WriteLink(writer, "enclosure", entry.ImageType, image, entry.ImageLength);
                }

                if (!string.IsNullOrEmpty(entry.Summary))
                {
                    WriteText(writer, "summary", entry.Summary);
                }

                writer.WriteStartElement("content", Namespace);
                writer.WriteAttributeString("type", "html");
                WriteHtml(writer, memory, entry.ContentHtml);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return memory.ToArray();
    }

    private static readonly SearchValues<byte> Markup = SearchValues.Create("<>&"u8);

    // What the writer checks or turns into something else in text, beyond markup: control characters
    // but tab and line feed, surrogates, the characters XML forbids, next-line and line-separator.
    private static readonly SearchValues<char> Checked = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c).Where(c => c is not ('\t' or '\n')), '\u0085', '\u2028', '\uFFFE', '\uFFFF',
            .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

    /// <summary>
    /// An article as escaped text, byte for byte what <see cref="XmlWriter.WriteString(string)"/>
    /// writes: its character loop was a twentieth of a first publish's CPU for the feeds' 60 MB of
    /// articles. Only markup is escaped here; text with anything else the writer treats specially goes through it.
    /// </summary>
    // Optimised at once, as PageScan.Scan is: it runs for every article in a short-lived process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteHtml(XmlWriter writer, MemoryStream memory, string html)
    {
        if (html.AsSpan().ContainsAny(Checked))
        {
            writer.WriteString(html);
            return;
        }

        // Ends the start tag and marks the element as holding text, as WriteString does, before the bytes go in after it.
        writer.WriteRaw(string.Empty);
        writer.Flush();
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(html.Length));
        var rest = rented.AsSpan(0, Encoding.UTF8.GetBytes(html, rented));
        while (true)
        {
            var at = rest.IndexOfAny(Markup);
            if (at < 0)
            {
                memory.Write(rest);
                break;
            }

            memory.Write(rest[..at]);
            memory.Write(rest[at] switch
            {
                (byte)'<' => "&lt;"u8,
                (byte)'>' => "&gt;"u8,
                _ => "&amp;"u8,
            });
            rest = rest[(at + 1)..];
        }

        ArrayPool<byte>.Shared.Return(rented);
    }

    private static void WriteText(XmlWriter writer, string name, string text)
    {
        writer.WriteStartElement(name, Namespace);
        writer.WriteAttributeString("type", "text");
        writer.WriteString(text);
        writer.WriteEndElement();
    }

    private static void WriteLink(XmlWriter writer, string rel, string? type, string href, long? length = null)
    {
        writer.WriteStartElement("link", Namespace);
        writer.WriteAttributeString("rel", rel);
        if (type is not null)
        {
            writer.WriteAttributeString("type", type);
        }

        if (length is { } bytes)
        {
            writer.WriteAttributeString("length", bytes.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteAttributeString("href", href);
        writer.WriteEndElement();
    }
}
