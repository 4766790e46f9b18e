using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;

namespace LondonTories.Publishing.Tests.Feeds;

/// <summary>
/// Reads an Atom feed the way a feed reader would (System.ServiceModel.Syndication), after checking it
/// is well-formed XML and has every element RFC 4287 requires.
/// </summary>
public static class AtomReader
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static SyndicationFeed Read(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var document = XDocument.Load(XmlReader.Create(new StringReader(xml), settings));
        CheckRequiredElements(document);
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "not an Atom 1.0 feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    /// <summary>
    /// RFC 4287 4.1.1 and 4.1.2: the feed's and each entry's id, title and updated; an author for each entry; a self link.
    /// The feed is never dated before an entry it lists, as a reader comparing dates would take it for stale.
    /// </summary>
    private static void CheckRequiredElements(XDocument document)
    {
        var feed = document.Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Single(feed.Elements(Atom + "id"));
        Assert.Single(feed.Elements(Atom + "title"));
        Assert.Single(feed.Elements(Atom + "updated"));
        Assert.Single(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        var feedHasAuthor = feed.Elements(Atom + "author").Any(a => a.Element(Atom + "name") is not null);
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            Assert.Single(entry.Elements(Atom + "id"));
            Assert.True(Uri.IsWellFormedUriString(entry.Element(Atom + "id")!.Value, UriKind.Absolute));
            Assert.Single(entry.Elements(Atom + "title"));
            Assert.Single(entry.Elements(Atom + "updated"));
            Assert.True(feedHasAuthor || entry.Elements(Atom + "author").Any());
            Assert.True(entry.Element(Atom + "content") is not null || entry.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") is null or "alternate"));
            Assert.True(DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value) >= DateTimeOffset.Parse(entry.Element(Atom + "published")!.Value));
            Assert.True(DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value) >= DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value));
        }
    }
}
