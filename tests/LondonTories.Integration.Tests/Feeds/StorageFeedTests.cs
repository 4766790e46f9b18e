using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using LondonTories.Cli;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Feeds;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>
/// Feeds and pages.json on Blob Storage, published by the Functions app's own classes and by the CLI:
/// dated from the <c>publications</c> ledger, so an association's reader sees true times.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageFeedTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Imprint = "Promoted by A Promoter, 1 Test Street, London SW1A 1AA.";
    private static readonly string[] Seats = ["battersea", "bromley", "bethnal-green"];

    private readonly TestContent _content = new();
    private readonly TestClock _clock = new(TestContent.Now);
    private FunctionsApp _app = null!;
    private string _connectionString = string.Empty;

    public Task InitializeAsync()
    {
        _connectionString = azurite.NewAccount();
        _app = new FunctionsApp(_connectionString, _clock);
        _content.Write("pages/winter.md", "---\ntitle: Winter fuel\nexpire_at: 2026-11-30T15:00:00Z\n---\nKeep warm.");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    [Fact]
    public async Task Every_seats_feed_parses_as_Atom_with_the_imprint_and_the_ledgers_first_publication()
    {
        await PublishAsync();

        foreach (var seat in Seats)
        {
            var (feed, contentType) = await ReadFeedAsync($"{seat}/feed.atom");
            var ledger = (await _app.Storage.Ledger.ReadSeatAsync(seat, CancellationToken.None)).Where(p => p.Language == "en").ToDictionary(p => p.Url);

            Assert.Equal("application/atom+xml; charset=utf-8", contentType);
            Assert.Equal(ledger.Keys.Order(StringComparer.Ordinal), feed.Items.Select(Link).Order(StringComparer.Ordinal));
            Assert.All(feed.Items, item =>
            {
                Assert.Contains(Imprint, Html(item), StringComparison.Ordinal);
                Assert.Equal(Seconds(ledger[Link(item)].FirstPublished), item.PublishDate);
                Assert.Equal(Seconds(ledger[Link(item)].LastPublished), item.LastUpdatedTime);
            });
        }

        var (bengali, _) = await ReadFeedAsync("bethnal-green/bn/feed.atom");
        Assert.Equal("বিষয় ১", Assert.Single(bengali.Items).Title.Text);
    }

    [Fact]
    public async Task An_edited_page_keeps_its_id_and_first_publication_and_gets_a_later_updated_an_expired_one_leaves()
    {
        await PublishAsync();
        var before = (await ReadFeedAsync("bromley/feed.atom")).Feed.Items.Single(i => i.Title.Text == "Topic 3 in Bromley and Biggin Hill");
        Assert.Contains((await ReadFeedAsync("bromley/feed.atom")).Feed.Items, i => i.Title.Text == "Winter fuel");

        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nsummary: What we do about topic 3.\nweight: 3\n---\nTopic 3 has new words now.");
        _clock.Shift = TimeSpan.FromHours(4);
        await PublishAsync();
        var (feed, _) = await ReadFeedAsync("bromley/feed.atom");
        var after = feed.Items.Single(i => i.Title.Text == "Topic 3 in Bromley and Biggin Hill");
        var record = (await _app.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).Single(p => p.RowKey == "topic-3.en");

        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.PublishDate, after.PublishDate);
        Assert.True(after.LastUpdatedTime >= before.PublishDate + TimeSpan.FromHours(4));
        Assert.Equal(Seconds(record.LastPublished), after.LastUpdatedTime);
        Assert.Contains("Topic 3 has new words now.", Html(after), StringComparison.Ordinal);
        Assert.Equal(before.LastUpdatedTime, feed.Items.Single(i => i.Title.Text == "Topic 1 in Bromley and Biggin Hill").LastUpdatedTime);
        Assert.DoesNotContain(feed.Items, i => i.Title.Text == "Winter fuel");
        Assert.DoesNotContain((await ReadFeedAsync("feed.atom")).Feed.Items, i => i.Title.Text == "Winter fuel");
    }

    [Fact]
    public async Task The_London_feed_lists_each_London_wide_page_once()
    {
        await PublishAsync();

        var (feed, _) = await ReadFeedAsync("feed.atom");

        Assert.Equal(["topic-1", "topic-2", "topic-3", "topic-4", "winter"], feed.Items.Select(i => i.Id.Split('/')[^1]).Order(StringComparer.Ordinal));
        Assert.All(feed.Items, i => Assert.Contains(Imprint, Html(i), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_publish_with_nothing_changed_rewrites_no_feed()
    {
        await PublishAsync();
        _clock.Shift = TimeSpan.FromMinutes(30);

        _app.Log.Clear();
        var run = await PublishAsync();

        Assert.Equal(0, run.Written);
        Assert.Empty(_app.Log.BlobPuts(SiteStorage.WebContainer));
    }

    [Fact]
    public async Task A_CLI_publish_to_storage_writes_the_feeds_and_pages_json_with_the_ledgers_dates()
    {
        var code = await CliApp.RunAsync(["publish", "--content", _content.Root, "--storage", _connectionString], new StringWriter(), new StringWriter());

        Assert.Equal(0, code);
        var (feed, _) = await ReadFeedAsync("battersea/feed.atom");
        Assert.NotEmpty(feed.Items);
        var pagesJson = await _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobClient("battersea/pages.json").DownloadContentAsync();
        using var json = JsonDocument.Parse(pagesJson.Value.Content.ToArray());
        var page = json.RootElement.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "topic-1");
        var record = (await _app.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).Single(p => p.RowKey == "topic-1.en");
        Assert.Equal(Seconds(record.FirstPublished), DateTimeOffset.Parse(page.GetProperty("published").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("https://test.example.org/battersea/topic-1/fragment.html", page.GetProperty("fragment").GetString());
        var fragment = await _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobClient("battersea/topic-1/fragment.html").DownloadContentAsync();
        Assert.Contains(Imprint, fragment.Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_edited_by_a_run_dated_before_its_publication_is_not_updated_before_it_was_published()
    {
        var published = TestContent.Now.AddHours(2);
        Assert.Equal(0, await CliApp.RunAsync(["publish", "--content", _content.Root, "--storage", _connectionString, "--now", "2026-11-30T14:00:00Z"], new StringWriter(), new StringWriter()));
        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nweight: 3\n---\nTopic 3 has new words now.");

        // A run as of an earlier moment, as the CLI allows on storage.
        Assert.Equal(0, await CliApp.RunAsync(["publish", "--content", _content.Root, "--storage", _connectionString, "--now", "2026-11-30T12:00:00Z"], new StringWriter(), new StringWriter()));

        var record = (await _app.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).Single(p => p.RowKey == "topic-3.en");
        var item = (await ReadFeedAsync("battersea/feed.atom")).Feed.Items.Single(i => i.Title.Text == "Topic 3 in Battersea");
        var pagesJson = await _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobClient("battersea/pages.json").DownloadContentAsync();
        using var json = JsonDocument.Parse(pagesJson.Value.Content.ToArray());
        var page = json.RootElement.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "topic-3");

        Assert.Contains("Topic 3 has new words now.", Html(item), StringComparison.Ordinal);
        Assert.Equal(published, record.FirstPublished);
        Assert.Equal(published, record.LastPublished);
        Assert.Equal(published, item.PublishDate);
        Assert.Equal(published, item.LastUpdatedTime);
        Assert.Equal("2026-11-30T14:00:00Z", page.GetProperty("published").GetString());
        Assert.Equal("2026-11-30T14:00:00Z", page.GetProperty("updated").GetString());
    }

    private static string Link(SyndicationItem item) => item.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString();

    private static string Html(SyndicationItem item) => ((TextSyndicationContent)item.Content).Text;

    private static DateTimeOffset Seconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private async Task<PublishRun> PublishAsync()
    {
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        var request = _app.Request("POST", "/api/publish");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Publish>().Run(request, CancellationToken.None));
        Assert.Equal(200, response.Status);
        var run = JsonSerializer.Deserialize<JsonElement>(response.Body);
        return new PublishRun(run.GetProperty("runId").GetString()!, "http", run.GetProperty("outcome").GetString()!, default, default, 0, 0,
            run.GetProperty("written").GetInt32(), 0, 0, 0, string.Empty, []);
    }

    private async Task<(SyndicationFeed Feed, string ContentType)> ReadFeedAsync(string name)
    {
        var download = await _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobClient(name).DownloadContentAsync();
        return (AtomReader.Read(Encoding.UTF8.GetString(download.Value.Content.ToArray())), download.Value.Details.ContentType);
    }
}
