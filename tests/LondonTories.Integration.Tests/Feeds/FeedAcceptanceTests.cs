using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using LondonTories.Cli;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Feeds;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>
/// What an association's feed reader sees, published through the CLI to a local folder and to
/// storage alike: every page at t0, one edited at t1, another expired at t2, then a publish that
/// changes nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeedAcceptanceTests(AzuriteFixture azurite) : IDisposable
{
    private const string Imprint = "Promoted by A Promoter, 1 Test Street, London SW1A 1AA.";
    private static readonly DateTimeOffset T0 = TestContent.Now;
    private static readonly DateTimeOffset T1 = T0.AddHours(1);
    private static readonly DateTimeOffset T2 = T0.AddHours(2);
    private static readonly string[] SeatFeeds = ["battersea/feed.atom", "bromley/feed.atom", "bethnal-green/feed.atom", "bethnal-green/bn/feed.atom"];

    private readonly TestContent _content = new();
    private readonly string _out = Directory.CreateTempSubdirectory("londontories-feeds-").FullName;
    private readonly RequestLog _log = new();
    private string? _connection;

    public void Dispose()
    {
        _content.Dispose();
        Directory.Delete(_out, recursive: true);
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("storage")]
    public async Task An_association_reader_sees_true_dates_stable_ids_expiry_and_each_London_wide_page_once(string target)
    {
        _connection = target == "storage" ? azurite.NewAccount() : null;
        _content.Write("pages/winter.md", $"---\ntitle: Winter fuel\nexpire_at: {T2:yyyy-MM-dd'T'HH:mm:ss'Z'}\n---\nKeep warm this winter.");

        await PublishAsync(T0);
        var first = await ReadAsync("bromley/feed.atom");
        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nsummary: What we do about topic 3.\nweight: 3\n---\nTopic 3 has new words now.");
        await PublishAsync(T1);
        await PublishAsync(T2);

        foreach (var path in SeatFeeds)
        {
            var feed = await ReadAsync(path);
            Assert.NotEmpty(feed.Items);
            Assert.All(feed.Items, item =>
            {
                Assert.Contains(Imprint, Html(item), StringComparison.Ordinal);
                Assert.Equal(T0, item.PublishDate);
                Assert.Equal(Slug(item) == "topic-3" ? T1 : T0, item.LastUpdatedTime);
                Assert.NotEqual("winter", Slug(item));
            });
        }

        var bromley = await ReadAsync("bromley/feed.atom");
        var before = first.Items.Single(i => Slug(i) == "topic-3");
        var after = bromley.Items.Single(i => Slug(i) == "topic-3");
        Assert.Equal((before.Id, T0, T0), (after.Id, before.PublishDate, before.LastUpdatedTime));
        Assert.Equal((T0, T1), (after.PublishDate, after.LastUpdatedTime));
        Assert.Contains("Topic 3 has new words now.", Html(after), StringComparison.Ordinal);
        Assert.Contains(first.Items, i => Slug(i) == "winter");
        Assert.Equal(["topic-1", "topic-2", "topic-3", "topic-4"], bromley.Items.Select(Slug).Order(StringComparer.Ordinal));

        var london = await ReadAsync("feed.atom");
        Assert.Equal(["topic-1", "topic-2", "topic-3", "topic-4"], london.Items.Select(Slug).Order(StringComparer.Ordinal));
        Assert.Equal(london.Items.Count(), london.Items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(london.Items, i => Assert.Contains(Imprint, Html(i), StringComparison.Ordinal));

        var feedsBefore = await FeedBytesAsync();
        _log.Clear();
        var noOpStarted = DateTime.UtcNow;
        await PublishAsync(T2.AddMinutes(30));

        Assert.Equal(feedsBefore, await FeedBytesAsync());
        if (_connection is null)
        {
            Assert.All(Directory.EnumerateFiles(Path.Combine(_out, "web"), "feed.*", SearchOption.AllDirectories),
                f => Assert.True(File.GetLastWriteTimeUtc(f) < noOpStarted, $"{f} was written again"));
        }
        else
        {
            Assert.DoesNotContain(_log.BlobPuts(SiteStorage.WebContainer), p => p.EndsWith("feed.atom", StringComparison.Ordinal) || p.EndsWith("feed.json", StringComparison.Ordinal));
        }
    }

    private static string Slug(SyndicationItem item) => item.Id.Split('/')[^1];

    private static string Html(SyndicationItem item) => ((TextSyndicationContent)item.Content).Text;

    private async Task PublishAsync(DateTimeOffset at)
    {
        var now = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string[] args = _connection is null
            ? ["publish", "--content", _content.Root, "--out", _out, "--now", now]
            : ["publish", "--content", _content.Root, "--storage", _connection, "--now", now];
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, configure: services =>
        {
            // The clock stands at the moment published, so storage does not take it for one ahead of time.
            services.AddSingleton<TimeProvider>(new TestClock(at));
            var options = new StorageOptions();
            options.Policies.Add((_log, Azure.Core.HttpPipelinePosition.PerRetry));
            services.AddSingleton(options);
        });
        Assert.True(code == ExitCodes.Success, stderr.ToString());
    }

    private async Task<SyndicationFeed> ReadAsync(string path) => AtomReader.Read(await TextAsync(path));

    private async Task<string> TextAsync(string path)
    {
        if (_connection is null)
        {
            return await File.ReadAllTextAsync(Path.Combine(_out, "web", path));
        }

        var storage = new SiteStorage(StorageConnection.Parse(_connection), new StorageOptions());
        var download = await storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobClient(path).DownloadContentAsync();
        return Encoding.UTF8.GetString(download.Value.Content.ToArray());
    }

    private async Task<SortedDictionary<string, string>> FeedBytesAsync()
    {
        var feeds = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in SeatFeeds.Append("feed.atom"))
        {
            feeds[path] = await TextAsync(path);
            feeds[path[..^"atom".Length] + "json"] = await TextAsync(path[..^"atom".Length] + "json");
        }

        return feeds;
    }
}
