using System.Text;
using System.Xml;
using LondonTories.Publishing.Feeds;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Tests.Feeds;

/// <summary>An Atom feed's articles are escaped exactly as <see cref="XmlWriter"/> escapes text, whatever they hold.</summary>
public sealed class AtomFeedTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // Markup, line breaks of each kind, controls, surrogates (paired and not), and the characters XML treats apart.
    private static readonly string[] Pieces =
    [
        "<p>", "</p>", "&amp;", "&", ">", "<", "\"", "'", "\t", "\n", "\r\n", "\r", "]]>", "plain words ", "বাংলা", "اردو", "‘’", "é",
        "\u0085", "\u2028", "\u00A0", "😀", "\uD83D", "\uDE00", "\u0001", "\u001F", "\uFFFD", "\uFFFE", "\u007F", "\u0080",
    ];

    [Fact]
    public void An_article_is_written_as_the_XML_writer_writes_its_text()
    {
        var random = new Random(20261130);
        var articles = new List<string> { string.Empty, "<p>Plain.</p>", "Tom & Jerry <b>now</b> > then\n  indented" };
        articles.AddRange(Enumerable.Range(0, 3000).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Pieces[random.Next(Pieces.Length)]))));

        foreach (var article in articles)
        {
            var expected = Reference(article);
            string? actual;
            try
            {
                actual = Content(AtomFeed.Write(FeedWith(article)));
            }
            catch (ArgumentException)
            {
                actual = null;
            }

            Assert.True(expected == actual, $"escaped differently: {Convert.ToHexString(Encoding.Unicode.GetBytes(article))}");
        }

        // Some of the articles must take each way: written here, and left to the writer (which refuses some).
        Assert.Contains(articles, a => a.Contains('<') && !a.Any(c => c < ' ' && c is not ('\t' or '\n') || char.IsSurrogate(c)));
        Assert.Contains(articles, a => Reference(a) is null);
        Assert.Contains(articles, a => a.Contains('\r') && Reference(a) is not null);
    }

    private static Feed FeedWith(string article) =>
        new("tag:example.org,2026:seat/en", "Seat", "en", "https://example.org/seat/",
            new FeedPaths("web/seat/feed.atom", "https://example.org/seat/feed.atom", "web/seat/feed.json", "https://example.org/seat/feed.json"),
            "London", At, [new FeedEntry("tag:example.org,2026:seat/en/page", "Title", null, "https://example.org/seat/page/", "en", At, At, article, null)]);

    /// <summary>The article's text between the content element's tags, or null where it is refused.</summary>
    private static string? Content(byte[] feed)
    {
        var text = Encoding.UTF8.GetString(feed);
        var start = text.IndexOf("<content type=\"html\">", StringComparison.Ordinal) + "<content type=\"html\">".Length;
        var end = text.LastIndexOf("</content>", StringComparison.Ordinal);
        if (end < 0 && text.Contains("<content type=\"html\" />", StringComparison.Ordinal))
        {
            return "<empty>";
        }

        return text[start..end];
    }

    /// <summary>What an XML writer set up as the feed's writes for the article as text, or null where it refuses it.</summary>
    private static string? Reference(string article)
    {
        using var memory = new MemoryStream();
        try
        {
            using (var writer = XmlWriter.Create(memory, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
            {
                writer.WriteStartElement("feed", AtomFeed.Namespace);
                writer.WriteStartElement("content", AtomFeed.Namespace);
                writer.WriteAttributeString("type", "html");
                writer.WriteString(article);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
        }
        catch (ArgumentException)
        {
            return null;
        }

        return Content(memory.ToArray());
    }
}
