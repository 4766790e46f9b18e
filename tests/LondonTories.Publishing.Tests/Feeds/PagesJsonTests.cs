using System.Text.Json;
using System.Xml.Linq;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Feeds;

/// <summary>What associations pull besides feeds: a richer pages.json, fragments beside pages, sitemap dates and social tags.</summary>
public sealed class PagesJsonTests : IDisposable
{
    private static readonly DateTimeOffset Later = TestSite.Now.AddDays(2);
    private readonly TestSite _site = new();

    public PagesJsonTests()
    {
        _site.Page("pages/register.md", "title: Register\nsummary: Five minutes.\nweight: 1\nexpire_at: 2027-05-07T22:00\nimage: /assets/register.png", "Register now.\n")
            .Page("pages/housing.md", "title: Housing\nweight: 2", "Homes.\n\n![A new estate](https://cdn.example.org.uk/estate.jpg)\n")
            .Page("pages/transport.md", "title: Transport\nweight: 3", "Buses.\n")
            .Write("static/assets/register.png", "(a picture)");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Pages_json_gives_each_pages_dates_expiry_weight_summary_image_fragment_and_etag()
    {
        await _site.PublishAsync();
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");
        await _site.PublishAsync(Later);

        using var json = JsonDocument.Parse(_site.Output("web/battersea/pages.json"));
        var pages = json.RootElement.GetProperty("pages").EnumerateArray().ToDictionary(p => p.GetProperty("slug").GetString()!);
        var register = pages["register"];
        var transport = pages["transport"];

        Assert.Equal("2026-11-30T12:00:00Z", register.GetProperty("published").GetString());
        Assert.Equal("2026-11-30T12:00:00Z", register.GetProperty("updated").GetString());
        Assert.Equal("2027-05-07T21:00:00Z", register.GetProperty("expires").GetString());
        Assert.Equal(1, register.GetProperty("weight").GetInt32());
        Assert.Equal("Five minutes.", register.GetProperty("summary").GetString());
        Assert.Equal("https://www.example.org.uk/assets/register.png", register.GetProperty("image").GetString());
        Assert.Equal("https://www.example.org.uk/battersea/register/fragment.html", register.GetProperty("fragment").GetString());
        Assert.Equal($"\"{register.GetProperty("sha256").GetString()}\"", register.GetProperty("etag").GetString());
        Assert.Equal("2026-11-30T12:00:00Z", transport.GetProperty("published").GetString());
        Assert.Equal("2026-12-02T12:00:00Z", transport.GetProperty("updated").GetString());
        Assert.Equal(JsonValueKind.Null, transport.GetProperty("expires").ValueKind);
        Assert.Equal(JsonValueKind.Null, transport.GetProperty("image").ValueKind);
        Assert.Equal("https://cdn.example.org.uk/estate.jpg", pages["housing"].GetProperty("image").GetString());
        // What the picture shows, for an association's own page listing it: the body's picture's words, else none.
        Assert.Equal("A new estate", pages["housing"].GetProperty("image_alt").GetString());
        Assert.Equal(JsonValueKind.Null, register.GetProperty("image_alt").ValueKind);
        Assert.Equal(JsonValueKind.Null, transport.GetProperty("image_alt").ValueKind);
        var feed = Assert.Single(json.RootElement.GetProperty("constituency").GetProperty("feeds").EnumerateArray());
        Assert.Equal("https://www.example.org.uk/battersea/feed.atom", feed.GetProperty("atom").GetString());
        Assert.Equal("https://www.example.org.uk/battersea/feed.json", feed.GetProperty("json").GetString());
    }

    /// <summary>
    /// A page's etag is its digest in quotes, and the digest of a page left as the target holds it is
    /// the target's own word: one that is not a digest (a damaged state) is still written as a JSON
    /// string, escaped, never spliced into the index as it stands.
    /// </summary>
    [Fact]
    public void A_pages_etag_is_its_quoted_digest_and_a_held_digest_that_is_not_one_stays_inside_its_string()
    {
        var content = _site.Load();
        var diagnostics = new DiagnosticBag();
        var plan = TestSite.Services.GetRequiredService<Planner>().Plan(content, TestSite.Now, diagnostics);
        var builder = TestSite.Services.GetRequiredService<SiteBuilder>();
        var first = builder.Build(plan, new Dictionary<string, TargetEntry>());
        Assert.False(first.HasErrors, string.Join("\n", first.Diagnostics));
        const string housing = "web/battersea/housing/index.html";
        Assert.Equal($"\"{first.AllFiles[housing]}\"", EtagOf(first.Changed, "housing"));

        // The target says it holds every file as built, but names the page by a "digest" with a quote and a brace in it.
        const string damaged = "0\"},\"injected\":{\"x\":\"1";
        var held = first.Changed.ToDictionary(f => f.Path, f => new TargetEntry(f.Path == housing ? damaged : f.Sha256, f.InputKey), StringComparer.Ordinal);
        var second = builder.Build(plan, held);

        Assert.False(second.HasErrors, string.Join("\n", second.Diagnostics));
        Assert.Equal($"\"{damaged}\"", EtagOf(second.Changed, "housing"));
    }

    private static string? EtagOf(IEnumerable<OutputFile> files, string slug)
    {
        var index = files.Single(f => f.Path == "web/battersea/pages.json");
        using var json = JsonDocument.Parse(index.Bytes);
        var page = json.RootElement.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == slug);
        Assert.Equal(["slug", "aliases", "language", "title", "summary", "url", "path", "sha256", "published", "updated", "expires", "weight", "image", "image_alt", "fragment", "etag"],
            page.EnumerateObject().Select(p => p.Name));
        return page.GetProperty("etag").GetString();
    }

    [Fact]
    public async Task A_page_edited_by_a_run_dated_before_its_publication_is_never_updated_before_it_was_published_nor_before_its_last_update()
    {
        await _site.PublishAsync(Later);
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");
        _site.Page("pages/housing.md", "title: Housing\nweight: 2", "More homes.\n");
        await _site.PublishAsync(Later.AddDays(1));
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses, trains and trams.\n");
        _site.Page("pages/housing.md", "title: Housing\nweight: 2", "Many more homes.\n");
        await _site.PublishAsync(TestSite.Now);

        using var json = JsonDocument.Parse(_site.Output("web/battersea/pages.json"));
        var pages = json.RootElement.GetProperty("pages").EnumerateArray().ToDictionary(p => p.GetProperty("slug").GetString()!);
        var atom = XDocument.Parse(_site.Output("web/battersea/feed.atom"));
        XNamespace a = "http://www.w3.org/2005/Atom";

        Assert.All(pages.Values, page => Assert.True(
            string.CompareOrdinal(page.GetProperty("updated").GetString(), page.GetProperty("published").GetString()) >= 0, page.ToString()));
        Assert.Equal("2026-12-03T12:00:00Z", pages["transport"].GetProperty("updated").GetString());
        Assert.Equal("2026-12-02T12:00:00Z", pages["transport"].GetProperty("published").GetString());
        Assert.All(atom.Root!.Elements(a + "entry"), entry => Assert.True(
            string.CompareOrdinal(entry.Element(a + "updated")!.Value, entry.Element(a + "published")!.Value) >= 0, entry.ToString()));
    }

    [Fact]
    public async Task Each_page_has_its_fragment_beside_it_with_the_imprint()
    {
        await _site.PublishAsync();

        var fragment = _site.Output("web/battersea/housing/fragment.html");

        Assert.StartsWith("<article class=\"page-fragment\" lang=\"en\" dir=\"ltr\">\n<h1>Housing</h1>\n<p>Homes.</p>", fragment);
        Assert.EndsWith("<p class=\"imprint\">Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.</p>\n</article>\n", fragment);
        Assert.DoesNotContain("<html", fragment);
    }

    [Fact]
    public async Task The_sitemap_dates_each_page_by_its_last_change_and_each_home_by_its_newest_page()
    {
        await _site.PublishAsync();
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");
        await _site.PublishAsync(Later);

        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var urls = XDocument.Parse(_site.Output("web/sitemap.xml")).Root!.Elements(ns + "url")
            .ToDictionary(u => u.Element(ns + "loc")!.Value, u => u.Element(ns + "lastmod")?.Value);

        Assert.Equal("2026-11-30T12:00:00Z", urls["https://www.example.org.uk/battersea/register/"]);
        Assert.Equal("2026-12-02T12:00:00Z", urls["https://www.example.org.uk/battersea/transport/"]);
        Assert.Equal("2026-12-02T12:00:00Z", urls["https://www.example.org.uk/battersea/"]);
        Assert.Equal("2026-12-02T12:00:00Z", urls["https://www.example.org.uk/"]);
    }

    [Fact]
    public async Task Pages_carry_their_image_card_and_first_publication_for_social_sites()
    {
        await _site.PublishAsync();
        _site.Page("pages/register.md", "title: Register\nsummary: Five minutes, now online.\nweight: 1\nimage: /assets/register.png", "Register now.\n");
        await _site.PublishAsync(Later);

        var register = _site.Output("web/battersea/register/index.html");
        var transport = _site.Output("web/battersea/transport/index.html");

        Assert.Contains("<meta property=\"og:image\" content=\"https://www.example.org.uk/assets/register.png\">", register);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary_large_image\">", register);
        Assert.Contains("<meta property=\"article:published_time\" content=\"2026-11-30T12:00:00Z\">", register);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary\">", transport);
        Assert.DoesNotContain("og:image", transport);
        Assert.DoesNotContain("article:published_time", _site.Output("web/battersea/index.html"));
    }

    [Fact]
    public async Task Pages_json_names_the_old_slugs_a_page_answers_to()
    {
        // An association that kept a page's old slug finds the page it became.
        _site.Page("pages/register.md", "title: Register\nweight: 1\naliases: [register-now, how-to-register]", "Register now.\n");

        await _site.PublishAsync();

        using var json = JsonDocument.Parse(_site.Output("web/battersea/pages.json"));
        var pages = json.RootElement.GetProperty("pages").EnumerateArray().ToDictionary(p => p.GetProperty("slug").GetString()!);
        Assert.Equal(["register-now", "how-to-register"], pages["register"].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Empty(pages["transport"].GetProperty("aliases").EnumerateArray());
    }

    [Fact]
    public async Task A_pages_card_picture_carries_its_words_for_screen_readers()
    {
        // Shared on a social site, the card's picture is announced by these words, or as an unnamed image.
        _site.Page("pages/register.md", "title: Register\nweight: 1\nimage: /assets/register.png\nimage_alt: A hand posting a voter registration form", "Register now.\n")
            .Page("pages/register.bn.md", "title: নিবন্ধন\nimage_alt: ভোটার নিবন্ধন ফর্ম পোস্ট করছে একটি হাত", "এখনই নিবন্ধন করুন।\n")
            .Page("pages/transport.md", "title: Transport\nweight: 2\nimage: /assets/register.png\nimage_alt: \"Tom & Jerry's <bus> stop\"", "Buses.\n");

        await _site.PublishAsync();

        var register = _site.Output("web/battersea/register/index.html");
        Assert.Contains("<meta property=\"og:image:alt\" content=\"A hand posting a voter registration form\">", register);
        Assert.Contains("<meta name=\"twitter:image:alt\" content=\"A hand posting a voter registration form\">", register);
        Assert.Contains("<meta property=\"og:image:alt\" content=\"ভোটার নিবন্ধন ফর্ম পোস্ট করছে একটি হাত\">", _site.Output("web/bethnal-green-and-stepney/bn/register/index.html"));
        Assert.Contains("<meta property=\"og:image:alt\" content=\"Tom &amp; Jerry&#39;s &lt;bus&gt; stop\">", _site.Output("web/battersea/transport/index.html"));
    }

    [Theory]
    [InlineData("![Volunteers & friends at the stall](https://cdn.example.org.uk/a.jpg)", "Volunteers &amp; friends at the stall")]
    [InlineData("<img src=\"https://cdn.example.org.uk/a.jpg\" alt=\"Tom &amp; Jerry\">", "Tom &amp; Jerry")]
    [InlineData("<img alt='The stall' src=\"https://cdn.example.org.uk/a.jpg\">", "The stall")]
    [InlineData("![](https://cdn.example.org.uk/a.jpg)", null)]
    [InlineData("![A stall in {{ constituency.name }}](https://cdn.example.org.uk/a.jpg)", null)]
    public async Task A_pages_first_picture_lends_its_card_the_words_it_has(string picture, string? alt)
    {
        _site.Page("pages/pictured.md", "title: Pictured", $"Text.\n\n{picture}\n");

        await _site.PublishAsync();

        var page = _site.Output("web/battersea/pictured/index.html");
        Assert.Contains("<meta property=\"og:image\" content=\"https://cdn.example.org.uk/a.jpg\">", page);
        if (alt is null)
        {
            Assert.DoesNotContain("image:alt", page);
            return;
        }

        Assert.Contains($"<meta property=\"og:image:alt\" content=\"{alt}\">", page);
        Assert.Contains($"<meta name=\"twitter:image:alt\" content=\"{alt}\">", page);
    }

    [Theory]
    [InlineData("![pic](javascript:alert(1))")]
    [InlineData("![pic](//elsewhere.example/a.jpg)")]
    [InlineData("![pic](http://elsewhere.example/a.jpg)")]
    [InlineData("<img src=\"data:image/png;base64,AAAA\" alt=\"pic\">")]
    public async Task A_first_picture_no_page_may_name_as_its_image_gives_the_page_no_card_picture(string picture)
    {
        // With no image: of its own, a page's card takes the first picture of its body, read from the
        // source: it read https://www.example.org.uk/javascript:alert(1 in og:image, the feeds and pages.json.
        _site.Page("pages/pictured.md", "title: Pictured", $"Text.\n\n{picture}\n");

        await _site.PublishAsync();

        var page = _site.Output("web/battersea/pictured/index.html");
        Assert.DoesNotContain("og:image", page);
        Assert.DoesNotContain("elsewhere.example", _site.Output("web/battersea/pages.json"));
        Assert.DoesNotContain("javascript", _site.Output("web/battersea/pages.json"));
    }

    [Fact]
    public async Task A_first_picture_under_static_or_at_an_https_address_is_the_pages_card_picture()
    {
        _site.Page("pages/pictured.md", "title: Pictured", "Text.\n\n![pic](https://cdn.example.org.uk/a.jpg)\n");

        await _site.PublishAsync();

        Assert.Contains("<meta property=\"og:image\" content=\"https://cdn.example.org.uk/a.jpg\">", _site.Output("web/battersea/pictured/index.html"));
    }
}
