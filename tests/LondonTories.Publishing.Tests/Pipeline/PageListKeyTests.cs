using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>
/// A page is rendered and written again only when what its layout read changed: adding a page further
/// down every seat's list touches that page and the indexes that list it, nothing else.
/// </summary>
public sealed class PageListKeyTests : IDisposable
{
    private static readonly string[] Seats = ["battersea", "tooting", "bromley-and-biggin-hill", "beckenham-and-penge", "bethnal-green-and-stepney"];

    private readonly TestSite _site = new();

    public PageListKeyTests()
    {
        // More pages than the built-in layout's "more" list shows (seven), so a page added last is not on it.
        for (var i = 0; i < 9; i++)
        {
            _site.Page($"pages/topic-{i}.md", $"title: Topic {i}\nweight: {i}", $"About topic {i} in {{{{ constituency.name }}}}.\n");
        }
    }

    public void Dispose() => _site.Dispose();

    private static string[] IndexesAndPage(string slug) =>
    [
        .. Seats.Select(s => $"web/{s}/{slug}/index.html"),
        .. Seats.Select(s => $"web/{s}/{slug}/fragment.html"),
        .. Seats.Select(s => $"web/{s}/index.html"),
        .. Seats.Select(s => $"web/{s}/feed.atom"),
        .. Seats.Select(s => $"web/{s}/feed.json"),
        "web/feed.atom",
        "web/feed.json",
        .. Seats.Select(s => $"web/{s}/pages.json"),
        "web/manifest.json",
        "web/sitemap.xml",
    ];

    [Fact]
    public async Task Adding_a_London_wide_page_writes_it_for_each_seat_and_the_indexes_that_list_it_nothing_else()
    {
        await _site.PublishAsync();
        var before = _site.Snapshot();

        _site.Page("pages/notice.md", "title: A notice for all London\nweight: 100", "For everyone.\n");
        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(IndexesAndPage("notice").Order(StringComparer.Ordinal), result.WrittenPaths.Order(StringComparer.Ordinal));
        Assert.Equal(0, result.Deleted);
        var after = _site.Snapshot();
        var changed = after.Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal) && (!before.TryGetValue(f.Key, out var old) || !old.AsSpan().SequenceEqual(f.Value)));
        Assert.Equal(result.WrittenPaths.Order(StringComparer.Ordinal), changed.Select(f => f.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Removing_it_again_deletes_it_and_rewrites_only_the_indexes()
    {
        _site.Page("pages/notice.md", "title: A notice for all London\nweight: 100", "For everyone.\n");
        await _site.PublishAsync();

        _site.Delete("pages/notice.md");
        var result = await _site.PublishAsync(force: true);

        Assert.True(result.Succeeded);
        Assert.Equal(Seats.SelectMany(s => new[] { $"web/{s}/notice/fragment.html", $"web/{s}/notice/index.html" }).Order(StringComparer.Ordinal), result.DeletedPaths.Order(StringComparer.Ordinal));
        Assert.Equal(IndexesAndPage("notice").Where(p => !p.Contains("/notice/", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            result.WrittenPaths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_page_added_where_other_pages_list_it_reaches_every_one_of_them()
    {
        await _site.PublishAsync();

        _site.Page("pages/first.md", "title: Read this first\nweight: -1", "First.\n");
        var result = await _site.PublishAsync();

        Assert.All(Seats, seat => Assert.All(Enumerable.Range(0, 9), i => Assert.Contains($"web/{seat}/topic-{i}/index.html", result.WrittenPaths)));
        Assert.Contains("Read this first", _site.Output("web/battersea/topic-8/index.html"));
    }

    [Fact]
    public async Task A_layout_that_shows_how_many_pages_a_seat_has_is_rendered_again_when_the_count_changes()
    {
        _site.Write("layouts/page.html", """
            <!DOCTYPE html>
            <html><head><title>{{ page.title | html.escape }}</title></head>
            <body><main>{{ content }}<p>One of {{ pages.size }} pages.</p></main>
            <footer>{{ imprint.text | html.escape }}</footer></body></html>
            """);
        await _site.PublishAsync();

        _site.Page("pages/notice.md", "title: A notice for all London\nweight: 100", "For everyone.\n");
        var result = await _site.PublishAsync();

        Assert.Contains("One of 10 pages.", _site.Output("web/battersea/topic-0/index.html"));
        Assert.All(Seats, seat => Assert.Contains($"web/{seat}/topic-0/index.html", result.WrittenPaths));
    }

    [Fact]
    public async Task A_layout_that_reads_the_whole_list_sees_a_changed_title_at_its_end()
    {
        _site.Write("layouts/page.html", """
            <!DOCTYPE html>
            <html><head><title>{{ page.title | html.escape }}</title></head>
            <body><main>{{ content }}<ul>{{ for p in pages }}<li>{{ p.title }}</li>{{ end }}</ul></main>
            <footer>{{ imprint.text | html.escape }}</footer></body></html>
            """);
        await _site.PublishAsync();

        _site.Page("pages/topic-8.md", "title: Topic eight, renamed\nweight: 8", "About topic 8.\n");
        var result = await _site.PublishAsync();

        Assert.Contains("Topic eight, renamed", _site.Output("web/tooting/topic-0/index.html"));
        Assert.Equal(9 * Seats.Length, result.WrittenPaths.Count(p => p.Contains("/topic-", StringComparison.Ordinal) && p.EndsWith("/index.html", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The hub and the not-found page show no page's text: an edit to a page leaves them as the target
    /// holds them, without rendering them again, while what they do show (here how many pages each seat
    /// has) renders them again, to the bytes a fresh publish makes.
    /// </summary>
    [Fact]
    public async Task The_hub_and_the_not_found_page_are_rendered_again_only_when_what_they_show_changed()
    {
        var hub = File.ReadAllText(Path.Combine(TestSite.SampleContentDir, "..", "functions", "LondonTories.Publishing", "Rendering", "DefaultLayouts", "hub.html"));
        _site.Write("layouts/hub.html", hub.Replace("{{ seat.name | html.escape }}</a></li>", "{{ seat.name | html.escape }}</a> ({{ seat.page_count }} pages)</li>", StringComparison.Ordinal));
        string[] indexes = ["web/index.html", "web/404.html"];
        async Task<string?[]> KeysAsync()
        {
            var held = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);
            return [.. indexes.Select(path => held[path].InputKey)];
        }

        var at = TestSite.Now;
        await _site.PublishAsync(at);
        var keys = await KeysAsync();
        Assert.All(keys, key => Assert.False(string.IsNullOrEmpty(key)));
        Assert.Contains("Battersea</a> (9 pages)", _site.Output("web/index.html"), StringComparison.Ordinal);

        _site.Page("pages/topic-3.md", "title: Topic 3\nweight: 3", "About topic 3, revised.\n");
        var edited = await _site.PublishAsync(at = at.AddHours(1));
        Assert.True(edited.Succeeded);
        Assert.Equal(keys, await KeysAsync());
        Assert.DoesNotContain(edited.WrittenPaths, indexes.Contains);

        _site.Page("pages/notice.md", "title: A notice for all London\nweight: 100", "For everyone.\n");
        var added = await _site.PublishAsync(at = at.AddHours(1));
        Assert.True(added.Succeeded);
        Assert.Contains("web/index.html", added.WrittenPaths);
        Assert.DoesNotContain("web/404.html", added.WrittenPaths);
        Assert.Contains("Battersea</a> (10 pages)", _site.Output("web/index.html"), StringComparison.Ordinal);
        var fresh = await _site.PublishAfreshAsync(at);
        Assert.All(indexes, path => Assert.Equal(fresh[path], _site.Snapshot()[path]));
    }

    /// <summary>
    /// After each change an incremental publish leaves exactly the files a fresh publish with the same
    /// history writes; a seat's home is kept without rendering while nothing it shows changed, so a
    /// change to a page's body alone leaves it unwritten.
    /// </summary>
    [Fact]
    public async Task After_each_change_the_folder_is_what_a_fresh_publish_makes_and_a_home_is_rendered_only_when_what_it_shows_changed()
    {
        // Whether Battersea's home changes at each step; every home is compared with a fresh publish's.
        (string Name, Action Change, bool HomesChange)[] steps =
        [
            ("first publish", () => { }, true),
            ("a body edited", () => _site.Page("pages/topic-3.md", "title: Topic 3\nweight: 3", "About topic 3, revised.\n"), false),
            ("a title changed", () => _site.Page("pages/topic-8.md", "title: Topic eight\nweight: 8", "About topic 8.\n"), true),
            // Only Tooting publishes in Urdu: Battersea's home stays as it was.
            ("a translation added", () => _site.Page("pages/topic-1.ur.md", "title: موضوع ایک", "ایک\n"), false),
            ("a seat renamed", () => _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Battersea", "name: Battersea and Nine Elms", StringComparison.Ordinal)), true),
            ("the seat layout changed", () => _site.Write("layouts/seat.html", File.ReadAllText(Path.Combine(TestSite.SampleContentDir, "..", "functions", "LondonTories.Publishing", "Rendering", "DefaultLayouts", "seat.html")).Replace("<main id=\"main\">", "<main id=\"main\" class=\"seat\">", StringComparison.Ordinal)), true),
            // Urdu words are an input of Urdu pages and homes only.
            ("the Urdu words changed", () => _site.Write("strings/ur.yaml", "skip_to_content: مواد پر جائیں\n"), false),
        ];
        var at = TestSite.Now;
        foreach (var (name, change, homesChange) in steps)
        {
            change();
            at = at.AddHours(1);
            var result = await _site.PublishAsync(at);
            Assert.True(result.Succeeded, $"{name}: {string.Join("\n", result.Diagnostics)}");

            // A fresh folder with the same publication history must come out the same, file for file.
            var fresh = await _site.PublishAfreshAsync(at);
            var web = fresh.Keys.ToList();
            var kept = _site.Snapshot();
            Assert.Equal(web, kept.Keys.Where(f => f.StartsWith("web/", StringComparison.Ordinal)));
            Assert.Contains("web/tooting/index.html", web);
            Assert.Equal(name is not ("first publish" or "a body edited" or "a title changed"), web.Contains("web/tooting/ur/index.html"));
            foreach (var (file, bytes) in fresh)
            {
                Assert.True(bytes.SequenceEqual(kept[file]), $"{file} after {name}");
            }

            Assert.Equal(homesChange, result.WrittenPaths.Contains("web/battersea/index.html"));
            if (name == "the Urdu words changed")
            {
                var pages = result.WrittenPaths.Where(p => p.EndsWith(".html", StringComparison.Ordinal)).ToList();
                Assert.NotEmpty(pages);
                Assert.All(pages, p => Assert.StartsWith("web/tooting/ur/", p, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// A language without a strings file of its own reads its parent language's (en-GB reads
    /// strings/en.yaml, as its pages show): a change to that file is a change to its pages too.
    /// </summary>
    [Fact]
    public async Task A_change_to_the_words_a_regional_language_borrows_from_its_parent_rewrites_its_pages()
    {
        _site.Write("site.yaml", File.ReadAllText(Path.Combine(_site.ContentDir, "site.yaml")).Replace("language: en", "language: en-GB", StringComparison.Ordinal));
        _site.Write("strings/en.yaml", "skip_to_content: Skip to the content\n");
        var first = await _site.PublishAsync(TestSite.Now);
        Assert.True(first.Succeeded, string.Join("\n", first.Diagnostics));
        Assert.Contains("Skip to the content", _site.Output("web/battersea/topic-1/index.html"), StringComparison.Ordinal);

        _site.Write("strings/en.yaml", "skip_to_content: Jump to the content\n");
        var at = TestSite.Now.AddHours(1);
        var edited = await _site.PublishAsync(at);

        Assert.True(edited.Succeeded, string.Join("\n", edited.Diagnostics));
        Assert.Contains("Jump to the content", _site.Output("web/battersea/topic-1/index.html"), StringComparison.Ordinal);
        var fresh = await _site.PublishAfreshAsync(at);
        var kept = _site.Snapshot();
        Assert.All(fresh, file => Assert.True(file.Value.SequenceEqual(kept[file.Key]), file.Key));
    }
}
