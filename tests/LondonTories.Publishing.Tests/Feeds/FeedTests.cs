using System.ServiceModel.Syndication;
using System.Text.Json;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Feeds;

/// <summary>Atom and JSON feeds per seat and language and for London, dated from the publication history.</summary>
public sealed class FeedTests : IDisposable
{
    private const string Imprint = "Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.";
    private static readonly DateTimeOffset First = TestSite.Now;
    private static readonly DateTimeOffset Later = TestSite.Now.AddHours(6);
    private static readonly DateTimeOffset AfterWinter = TestSite.Now.AddDays(3);
    private static readonly string[] Seats = ["battersea", "tooting", "bromley-and-biggin-hill", "beckenham-and-penge", "bethnal-green-and-stepney"];

    private readonly TestSite _site = new();

    public FeedTests()
    {
        _site.Page("pages/register.md", "title: Register to vote in {{ constituency.name }}\nsummary: Five minutes.\nweight: 1", "Register with {{ constituency.data.council }}.\n")
            .Page("pages/housing.md", "title: Housing\nweight: 2", "Homes for London.\n")
            .Page("pages/housing-battersea.md", "title: Housing in Battersea\nslug: housing\nweight: 2\naudience: [battersea]", "Nine Elms homes for local people.\n")
            .Page("pages/housing.ur.md", "title: رہائش", "لندن کے لیے گھر۔\n")
            .Page("pages/winter.md", "title: Winter\nexpire_at: 2026-12-01T00:00", "Keep warm.\n");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Every_seats_feed_parses_as_Atom_and_each_entry_carries_its_imprint_and_first_publication()
    {
        await _site.PublishAsync(First);

        foreach (var seat in Seats)
        {
            var feed = AtomReader.Read(_site.Output($"web/{seat}/feed.atom"));
            using var pages = JsonDocument.Parse(_site.Output($"web/{seat}/pages.json"));
            var english = pages.RootElement.GetProperty("pages").EnumerateArray().Where(p => p.GetProperty("language").GetString() == "en").ToList();

            Assert.Equal("en", feed.Language);
            Assert.Equal(english.Select(p => p.GetProperty("url").GetString()).Order(), feed.Items.Select(i => i.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString()).Order());
            Assert.All(feed.Items, item =>
            {
                Assert.Contains(Imprint, ((TextSyndicationContent)item.Content).Text);
                Assert.Equal(First, item.PublishDate);
                Assert.Equal(First, item.LastUpdatedTime);
                Assert.StartsWith($"tag:www.example.org.uk,2026:{seat}/en/", item.Id);
            });
        }

        var urdu = AtomReader.Read(_site.Output("web/tooting/ur/feed.atom"));
        var entry = Assert.Single(urdu.Items);
        Assert.Equal("رہائش", entry.Title.Text);
        Assert.Contains(Imprint, ((TextSyndicationContent)entry.Content).Text);
        Assert.Contains("<feed xml:lang=\"ur\"", _site.Output("web/tooting/ur/feed.atom"));
    }

    [Fact]
    public async Task An_entry_is_the_pages_sanitised_article_with_its_summary()
    {
        _site.Page("pages/register.md", "title: Register\nsummary: Five minutes.\nweight: 1", "Register now.\n\n<script>alert(1)</script>\n<p onclick=\"x()\">Hi</p>\n");
        await _site.PublishAsync(First);

        var feed = AtomReader.Read(_site.Output("web/battersea/feed.atom"));
        var item = feed.Items.Single(i => i.Title.Text == "Register");
        var html = ((TextSyndicationContent)item.Content).Text;

        Assert.Equal("html", ((TextSyndicationContent)item.Content).Type);
        Assert.Equal("Five minutes.", item.Summary.Text);
        Assert.StartsWith("<article class=\"page-fragment\" lang=\"en\" dir=\"ltr\">\n<h1>Register</h1>\n<p class=\"summary\">Five minutes.</p>\n<p>Register now.</p>", html);
        Assert.EndsWith($"<p class=\"imprint\">{Imprint}</p>\n</article>\n", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("onclick", html);
        Assert.Equal(html, _site.Output("web/battersea/register/fragment.html"));
    }

    [Fact]
    public async Task An_articles_links_are_absolute_so_they_work_in_a_feed_reader_and_on_another_site()
    {
        // Relative links resolved against the feed's address, or the association's site, and led nowhere.
        _site.Page("pages/register.md", "title: Register\nweight: 1",
            "See [housing](../housing/), [home](/battersea/), [a section](#how) and [the law](https://www.gov.uk/register-to-vote).\n\n![Polling station](/images/polling.jpg \"A & B\")\n");
        await _site.PublishAsync(First);

        var fragment = _site.Output("web/battersea/register/fragment.html");
        Assert.Contains("<a href=\"https://www.example.org.uk/battersea/housing/\">housing</a>", fragment);
        Assert.Contains("<a href=\"https://www.example.org.uk/battersea/\">home</a>", fragment);
        Assert.Contains("<a href=\"#how\">a section</a>", fragment);
        Assert.Contains("<a href=\"https://www.gov.uk/register-to-vote\">the law</a>", fragment);
        Assert.Contains("src=\"https://www.example.org.uk/images/polling.jpg\"", fragment);
        var entry = AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items.Single(i => i.Title.Text == "Register");
        Assert.Equal(fragment, ((TextSyndicationContent)entry.Content).Text);

        // The page itself, on the site, keeps the links as written.
        Assert.Contains("<a href=\"../housing/\">housing</a>", _site.Output("web/battersea/register/index.html"));
    }

    [Fact]
    public async Task An_edited_page_keeps_its_entry_id_and_first_publication_and_gets_a_later_updated()
    {
        await _site.PublishAsync(First);
        var before = AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items.Single(i => i.Title.Text == "Register to vote in Battersea");

        _site.Page("pages/register.md", "title: Register to vote in {{ constituency.name }}\nsummary: Five minutes.\nweight: 1", "Register online with {{ constituency.data.council }}.\n");
        await _site.PublishAsync(Later);
        var feed = AtomReader.Read(_site.Output("web/battersea/feed.atom"));
        var after = feed.Items.Single(i => i.Title.Text == "Register to vote in Battersea");

        Assert.Equal(before.Id, after.Id);
        Assert.Equal(First, after.PublishDate);
        Assert.Equal(Later, after.LastUpdatedTime);
        Assert.Contains("Register online", ((TextSyndicationContent)after.Content).Text);
        Assert.Equal(Later, feed.LastUpdatedTime);
        Assert.Equal(after.Id, feed.Items.First().Id);
        Assert.Equal(First, feed.Items.Single(i => i.Title.Text == "Housing in Battersea").LastUpdatedTime);
    }

    [Fact]
    public async Task A_new_page_in_the_seats_navigation_does_not_make_the_others_updated()
    {
        await _site.PublishAsync(First);

        _site.Page("pages/transport.md", "title: Transport\nweight: 0", "Buses.\n");
        var result = await _site.PublishAsync(Later);
        var feed = AtomReader.Read(_site.Output("web/battersea/feed.atom"));

        Assert.Contains("web/battersea/housing/index.html", result.WrittenPaths);
        Assert.DoesNotContain("web/battersea/housing/fragment.html", result.WrittenPaths);
        Assert.Equal(Later, feed.Items.Single(i => i.Title.Text == "Transport").PublishDate);
        Assert.All(feed.Items.Where(i => i.Title.Text != "Transport"), i => Assert.Equal(First, i.LastUpdatedTime));
    }

    [Fact]
    public async Task An_expired_page_leaves_every_feed()
    {
        await _site.PublishAsync(First);
        Assert.Contains(AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items, i => i.Title.Text == "Winter");

        var result = await _site.PublishAsync(AfterWinter);

        Assert.Contains("web/battersea/feed.atom", result.WrittenPaths);
        Assert.DoesNotContain(AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items, i => i.Title.Text == "Winter");
        Assert.DoesNotContain(AtomReader.Read(_site.Output("web/feed.atom")).Items, i => i.Title.Text == "Winter");
        Assert.DoesNotContain("Winter", _site.Output("web/battersea/feed.json"));
    }

    [Fact]
    public async Task A_feed_carries_the_pages_updated_last_up_to_feed_entries_and_pages_json_lists_them_all()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + "\nfeed_entries: 2\n");
        await _site.PublishAsync(First);

        _site.Page("pages/housing.md", "title: Housing\nweight: 2", "More homes for London.\n");
        await _site.PublishAsync(Later);

        foreach (var path in new[] { "web/tooting/feed.atom", "web/feed.atom" })
        {
            var feed = AtomReader.Read(_site.Output(path));
            Assert.Equal(2, feed.Items.Count());
            Assert.Equal("Housing", feed.Items.First().Title.Text);
            Assert.Equal(Later, feed.Items.First().LastUpdatedTime);
        }

        using var json = JsonDocument.Parse(_site.Output("web/tooting/feed.json"));
        Assert.Equal(2, json.RootElement.GetProperty("items").GetArrayLength());
        using var pages = JsonDocument.Parse(_site.Output("web/tooting/pages.json"));
        Assert.Equal(4, pages.RootElement.GetProperty("pages").GetArrayLength());
    }

    [Fact]
    public async Task Without_feed_entries_a_feed_carries_the_fifty_pages_updated_last()
    {
        for (var i = 0; i < 52; i++)
        {
            _site.Page($"pages/notice-{i:00}.md", $"title: Notice {i}\nweight: {10 + i}", "A notice.\n");
        }

        await _site.PublishAsync(First);

        Assert.Equal(50, AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items.Count());
        Assert.Equal(50, AtomReader.Read(_site.Output("web/feed.atom")).Items.Count());
    }

    [Fact]
    public async Task The_London_feed_lists_each_London_wide_page_once()
    {
        await _site.PublishAsync(First);

        var feed = AtomReader.Read(_site.Output("web/feed.atom"));

        Assert.Equal(["housing", "register", "winter"], feed.Items.Select(i => i.Id.Split('/')[^1]).Order());
        Assert.Equal(feed.Items.Select(i => i.Id).Distinct().Count(), feed.Items.Count());
        var housing = feed.Items.Single(i => i.Id.EndsWith("/housing", StringComparison.Ordinal));
        Assert.Equal("tag:www.example.org.uk,2026:london/housing", housing.Id);
        Assert.Contains("Homes for London.", ((TextSyndicationContent)housing.Content).Text);
        Assert.Contains(Imprint, ((TextSyndicationContent)housing.Content).Text);
        Assert.Equal(First, housing.PublishDate);
    }

    [Fact]
    public async Task A_no_op_publish_rewrites_no_feed_even_at_a_later_moment()
    {
        var first = await _site.PublishAsync(First);
        var feeds = Directory.EnumerateFiles(_site.OutDir, "feed.*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var times = feeds.Keys.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await _site.PublishAsync(Later);

        Assert.Equal(14, feeds.Count);
        Assert.Contains("web/feed.atom", first.WrittenPaths);
        Assert.Contains("web/tooting/ur/feed.json", first.WrittenPaths);
        Assert.Empty(second.WrittenPaths);
        Assert.All(feeds, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.All(times, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(t.Key)));
    }

    [Fact]
    public async Task The_same_history_gives_the_same_feeds_byte_for_byte()
    {
        await _site.PublishAsync(First);
        _site.Page("pages/register.md", "title: Register\nweight: 1", "Register now.\n");
        await _site.PublishAsync(Later);
        var one = WebFiles();
        var history = File.ReadAllBytes(Path.Combine(_site.OutDir, ".publications.json"));
        Directory.Delete(_site.OutDir, recursive: true);
        Directory.CreateDirectory(_site.OutDir);
        File.WriteAllBytes(Path.Combine(_site.OutDir, ".publications.json"), history);

        await _site.PublishAsync(Later);

        Assert.Equal(one, WebFiles());
        Assert.Contains("<published>2026-11-30T12:00:00Z</published>", _site.Output("web/battersea/feed.atom"));

        SortedDictionary<string, byte[]> WebFiles() => new(_site.Snapshot().Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_feed_with_no_entries_is_dated_the_same_whenever_it_is_written()
    {
        // Only Battersea gets a page, so the other seats' feeds and London's list nothing.
        foreach (var page in new[] { "register", "housing", "housing.ur", "winter" })
        {
            _site.Delete($"pages/{page}.md");
        }

        await _site.PublishAsync(First);
        var again = await _site.PublishAfreshAsync(Later);

        foreach (var path in new[] { "web/tooting/feed.atom", "web/feed.atom" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_site.OutDir, path)), again[path]);
            var feed = AtomReader.Read(_site.Output(path));
            Assert.Empty(feed.Items);
            Assert.Equal(DateTimeOffset.UnixEpoch, feed.LastUpdatedTime);
        }

        Assert.Equal(First, AtomReader.Read(_site.Output("web/battersea/feed.atom")).LastUpdatedTime);
    }

    /// <summary>
    /// A feed rewritten after a change keeps its unchanged entries' bytes and writes the others; after
    /// each change it must equal the feed written whole from the same history.
    /// </summary>
    [Fact]
    public async Task A_feed_kept_in_part_is_byte_for_byte_the_feed_written_whole()
    {
        (DateTimeOffset At, Action Change)[] steps =
        [
            (First, () => { }),
            (First.AddHours(1), () => _site.Page("pages/housing.md", "title: Housing\nweight: 2", "Homes for London, and more of them.\n")),
            (First.AddHours(2), () => _site.Page("pages/transport.md", "title: Transport & buses\nsummary: Step-free <stations>.\nweight: 3", "Buses for {{ constituency.name }}.\n")),
            (First.AddHours(3), () => _site.Page("pages/register.md", "title: Register now in {{ constituency.name }}\nsummary: Five minutes.\nweight: 1", "Register with {{ constituency.data.council }}.\n")),
            (First.AddHours(4), () => _site.Delete("pages/transport.md")),
            // A new picture changes the older page's entry, not its article or its date.
            (First.AddHours(5), () => _site.Page("pages/housing.md", "title: Housing\nweight: 2\nimage: https://www.example.org.uk/housing.jpg", "Homes for London, and more of them.\n")),
            (AfterWinter, () => _site.Page("pages/housing.md", "title: Housing\nweight: 2", "Homes for London.\n")),
        ];
        var compared = 0;
        foreach (var (at, change) in steps)
        {
            change();
            var result = await _site.PublishAsync(at);
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            var kept = Feeds(_site.Snapshot());
            var written = Feeds(await _site.PublishAfreshAsync(at));

            Assert.Equal(written.Keys, kept.Keys);
            foreach (var (path, bytes) in written)
            {
                Assert.True(bytes.SequenceEqual(kept[path]), $"{path} after the change at {at:O}");
                compared++;
            }
        }

        Assert.True(compared >= steps.Length * 12);

        static SortedDictionary<string, byte[]> Feeds(SortedDictionary<string, byte[]> files) =>
            new(files.Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal) && Path.GetFileName(f.Key).StartsWith("feed.", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_new_picture_rewrites_a_feed_too_long_for_its_key_to_name_each_entry()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + "\nfeed_entries: 400\n");
        for (var i = 0; i <= SiteFeeds.MaxKeyedEntries; i++)
        {
            _site.Page($"pages/notice-{i:000}.md", $"title: Notice {i}\nweight: {10 + i}\naudience: [battersea]", "A notice.\n");
        }

        await _site.PublishAsync(First);
        _site.Page("pages/notice-007.md", "title: Notice 7\nweight: 17\naudience: [battersea]\nimage: https://www.example.org.uk/notice.jpg", "A notice.\n");
        var result = await _site.PublishAsync(Later);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var feed = AtomReader.Read(_site.Output("web/battersea/feed.atom"));
        Assert.True(feed.Items.Count() > SiteFeeds.MaxKeyedEntries);
        var enclosure = Assert.Single(feed.Items.Single(i => i.Id.EndsWith("/notice-007", StringComparison.Ordinal)).Links, l => l.RelationshipType == "enclosure");
        Assert.Equal("https://www.example.org.uk/notice.jpg", enclosure.Uri.ToString());
        Assert.Contains("\"image\": \"https://www.example.org.uk/notice.jpg\"", _site.Output("web/battersea/feed.json"));
    }

    [Fact]
    public async Task The_JSON_feed_lists_the_same_entries_as_the_Atom_feed()
    {
        await _site.PublishAsync(First);

        var atom = AtomReader.Read(_site.Output("web/tooting/feed.atom"));
        using var json = JsonDocument.Parse(_site.Output("web/tooting/feed.json"));
        var root = json.RootElement;
        var items = root.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal("https://jsonfeed.org/version/1.1", root.GetProperty("version").GetString());
        Assert.Equal("https://www.example.org.uk/tooting/feed.json", root.GetProperty("feed_url").GetString());
        Assert.Equal(atom.Items.Select(i => i.Id), items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i =>
        {
            Assert.Contains(Imprint, i.GetProperty("content_html").GetString());
            Assert.Equal("2026-11-30T12:00:00Z", i.GetProperty("date_published").GetString());
        });
    }

    [Fact]
    public async Task An_entrys_image_is_an_enclosure_with_its_type_and_when_the_site_holds_it_its_length_in_bytes()
    {
        var picture = Enumerable.Range(0, 1234).Select(i => (byte)i).ToArray();
        Directory.CreateDirectory(Path.Combine(_site.ContentDir, "static/assets"));
        await File.WriteAllBytesAsync(Path.Combine(_site.ContentDir, "static/assets/register.png"), picture);
        _site.Page("pages/register.md", "title: Register\nimage: /assets/register.png", "Register.\n")
            .Page("pages/transport.md", "title: Transport", "Buses.\n\n![A bus](https://cdn.example.org.uk/bus.JPG)\n");
        await _site.PublishAsync(First);

        var feed = AtomReader.Read(_site.Output("web/battersea/feed.atom"));
        SyndicationLink Enclosure(string slug) => feed.Items.Single(i => i.Id.EndsWith("/" + slug, StringComparison.Ordinal)).Links.Single(l => l.RelationshipType == "enclosure");
        var register = Enclosure("register");
        var bus = Enclosure("transport");

        Assert.Equal(("https://www.example.org.uk/assets/register.png", "image/png", 1234L), (register.Uri.ToString(), register.MediaType, register.Length));
        Assert.Equal(("https://cdn.example.org.uk/bus.JPG", "image/jpeg"), (bus.Uri.ToString(), bus.MediaType));
        Assert.DoesNotContain(feed.Items, i => i.Links.Any(l => l.RelationshipType == "enclosure" && l.MediaType is null));
    }

    [Theory]
    [InlineData("/assets/team photo #2.png", "/assets/team photo %232.png")]
    [InlineData("/assets/team photo #2.png", "/assets/team%20photo%20%232.png")]
    [InlineData("/assets/100%.png", "/assets/100%25.png")]
    public async Task A_picture_of_the_site_whose_name_a_url_cannot_hold_as_written_is_named_escaped_with_its_length(string file, string image)
    {
        // A space went out as it was written: an address that is no URL in og:image, the Atom feed and pages.json.
        var picture = Enumerable.Range(0, 1234).Select(i => (byte)i).ToArray();
        Directory.CreateDirectory(Path.Combine(_site.ContentDir, "static/assets"));
        await File.WriteAllBytesAsync(Path.Combine(_site.ContentDir, "static" + file), picture);
        _site.Page("pages/register.md", $"title: Register\nimage: \"{image}\"", "Register.\n");
        var url = "https://www.example.org.uk" + file.Replace("%", "%25", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);

        var result = await _site.PublishAsync(First);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var enclosure = AtomReader.Read(_site.Output("web/battersea/feed.atom")).Items.Single(i => i.Id.EndsWith("/register", StringComparison.Ordinal))
            .Links.Single(l => l.RelationshipType == "enclosure");
        Assert.Equal((url, 1234L), (enclosure.Uri.OriginalString, enclosure.Length));
        Assert.Contains($"<meta property=\"og:image\" content=\"{url}\">", _site.Output("web/battersea/register/index.html"));
        Assert.Contains($"\"image\": \"{url}\"", _site.Output("web/battersea/pages.json"));
    }

    [Fact]
    public async Task Pages_and_seat_homes_link_their_feeds_and_the_hub_links_Londons()
    {
        await _site.PublishAsync(First);

        const string Atom = "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"https://www.example.org.uk/tooting/ur/feed.atom\"";
        Assert.Contains(Atom, _site.Output("web/tooting/ur/index.html"));
        Assert.Contains(Atom, _site.Output("web/tooting/ur/housing/index.html"));
        Assert.Contains("<link rel=\"alternate\" type=\"application/feed+json\" href=\"https://www.example.org.uk/battersea/feed.json\"", _site.Output("web/battersea/housing/index.html"));
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"https://www.example.org.uk/feed.atom\"", _site.Output("web/index.html"));
    }

    [Fact]
    public async Task Publish_of_the_sample_content_through_the_CLI_writes_a_readable_feed_for_every_seat_and_a_no_op_rewrites_none()
    {
        var content = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "content");
        var args = new[] { "publish", "--content", content, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z" };

        var first = await _site.RunCliAsync(args);
        var feeds = Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "feed.atom", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var second = await _site.RunCliAsync([.. args[..^1], "2026-11-30T18:00:00Z"]);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(75, Directory.EnumerateDirectories(Path.Combine(_site.OutDir, "web")).Count(d => File.Exists(Path.Combine(d, "feed.atom"))));
        Assert.All(feeds, f => Assert.All(AtomReader.Read(System.Text.Encoding.UTF8.GetString(f.Value)).Items, i => Assert.Contains("<p class=\"imprint\">Promoted by Rachel Denholm", ((TextSyndicationContent)i.Content).Text)));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(" 0 files written", second.Stdout);
        Assert.All(feeds, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }
}
