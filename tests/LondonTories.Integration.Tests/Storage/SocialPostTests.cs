using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>Social posts on Blob Storage go out exactly once: racing runs, lost answers, retries and edits.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SocialPostTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = WithPosts(new TestContent());

    public void Dispose() => _content.Dispose();

    private static TestContent WithPosts(TestContent content)
    {
        // Due an hour before the tests' moment, and one due well past the six-hour grace period.
        content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [facebook, x]\nlink: topic-1\n---\nRead about topic one in {{ constituency.name }}.\n");
        content.Write("social/topic-one.bn.md", "{{ constituency.name }}: বিষয় ১ পড়ুন।\n");
        content.Write("social/old-news.md", "---\nschedule: 2026-11-30T04:00:00Z\nplatforms: [facebook]\n---\nYesterday's news.\n");
        return content;
    }

    private static async Task<Dictionary<string, IDictionary<string, string>>> SocialBlobsAsync(TestStorage storage)
    {
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
        var blobs = new Dictionary<string, IDictionary<string, string>>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            blobs["social/" + blob.Name] = blob.Metadata;
        }

        return blobs;
    }

    [Fact]
    public async Task Ten_publishers_racing_send_each_post_exactly_once()
    {
        await using var storage = new TestStorage(azurite);
        var publisher = storage.Services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(new FolderContentSource(_content.Root), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => publisher.PublishAsync(content, storage.Storage.CreateTarget(),
            new PublishOptions { Now = TestContent.Now, RunId = $"racer-{i}" }, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded, string.Join('\n', r.Diagnostics)));
        var blobs = await SocialBlobsAsync(storage);
        Assert.Equal(["social/2026/11/30/topic-one/battersea.json", "social/2026/11/30/topic-one/bethnal-green.json", "social/2026/11/30/topic-one/bromley.json"],
            blobs.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, metadata) in blobs)
        {
            var senders = results.Select((r, i) => (Run: $"racer-{i}", Sent: r.Posts.Single(p => p.Path == path).SentByThisRun)).Where(x => x.Sent).ToList();
            Assert.Equal(metadata[BlobSiteTarget.RunIdMetadata], Assert.Single(senders).Run);
        }

        Assert.All(results, r => Assert.All(r.Posts.Where(p => p.PostId == "old-news"), p => Assert.Equal(PostStatus.Missed, p.Status)));
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_retried_finds_its_own_post_and_counts_it_sent_once()
    {
        var drop = new DropAnswerAfterCreate();
        await using var storage = new TestStorage(azurite, options => options.Policies.Add((drop, HttpPipelinePosition.PerRetry)));

        var run = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, run.Outcome);
        Assert.Equal(1, drop.Dropped);
        Assert.Equal(3, run.Result!.Posts.Count(p => p.SentByThisRun));
        Assert.Equal(3, (await SocialBlobsAsync(storage)).Count);
        var ledger = await storage.Storage.SocialLedger.ReadAllAsync(CancellationToken.None);
        var sent = ledger.Where(e => e.Key.Post == "topic-one").Select(e => e.Value).ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, e => Assert.Equal(("published", 1, run.RunId), (e.Status, e.Attempts, e.RunId)));
        Assert.All(ledger.Where(e => e.Key.Post == "old-news"), e => Assert.Equal(("missed", 0), (e.Value.Status, e.Value.Attempts)));

        var again = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(5));
        Assert.DoesNotContain(again.Result!.Posts, p => p.SentByThisRun);
        Assert.Equal(0, again.LedgerChanges);
    }

    [Fact]
    public async Task A_send_that_fails_outright_is_recorded_failed_and_the_next_run_finds_it_went_out_without_resending()
    {
        var drop = new DropAnswerAfterCreate();
        await using (var failing = new TestStorage(azurite, options =>
                     {
                         options.Policies.Add((drop, HttpPipelinePosition.PerRetry));
                         options.MaxRetries = 0;
                     }))
        {
            var run = await failing.PublishAsync(_content);
            var failed = Assert.Single(run.Result!.Posts, p => p.Status == PostStatus.Failed);
            Assert.Contains("connection dropped", failed.Error);
            var entity = (await failing.Storage.SocialLedger.ReadAllAsync(CancellationToken.None))[(failed.PostId, failed.Seat)];
            Assert.Equal(("failed", 1), (entity.Status, entity.Attempts));

            await using var storage = new TestStorage(azurite, connectionString: failing.ConnectionString);
            var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
            var before = (await container.GetBlobClient(failed.Path["social/".Length..]).GetPropertiesAsync()).Value.ETag;

            var next = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(5));

            var outcome = Assert.Single(next.Result!.Posts, p => p.Path == failed.Path);
            Assert.Equal(PostStatus.Published, outcome.Status);
            Assert.False(outcome.SentByThisRun);
            Assert.Equal(before, (await container.GetBlobClient(failed.Path["social/".Length..]).GetPropertiesAsync()).Value.ETag);
            var recorded = (await storage.Storage.SocialLedger.ReadAllAsync(CancellationToken.None))[(failed.PostId, failed.Seat)];
            Assert.Equal(("published", 1), (recorded.Status, recorded.Attempts));
        }
    }

    [Fact]
    public async Task Editing_a_post_after_it_went_out_is_recorded_and_not_sent()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
        var blob = container.GetBlobClient("2026/11/30/topic-one/battersea.json");
        var sent = (await blob.DownloadContentAsync()).Value.Content.ToString();

        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [facebook, x]\nlink: topic-1\n---\nA corrected text for {{ constituency.name }}.\n");
        var run = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(5));

        Assert.DoesNotContain(run.Result!.Posts, p => p.SentByThisRun);
        Assert.Equal(sent, (await blob.DownloadContentAsync()).Value.Content.ToString());
        var entity = (await storage.Storage.SocialLedger.ReadAllAsync(CancellationToken.None))[("topic-one", "battersea")];
        Assert.True(entity.ChangedAfterPublish);
        Assert.NotEqual(entity.SentSha256, entity.CurrentSha256);
        Assert.Equal("published", entity.Status);
    }

    /// <summary>Lets the first conditional create of a post reach the service, then loses its answer, as a dropped connection does.</summary>
    private sealed class DropAnswerAfterCreate : HttpPipelinePolicy
    {
        private int _dropped;

        public int Dropped => _dropped;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            if (message.Request.Method == RequestMethod.Put && message.Request.Uri.Path.Contains("/social/", StringComparison.Ordinal) &&
                message.Request.Headers.TryGetValue("If-None-Match", out _) && message.Response.Status == 201 && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
            {
                throw new IOException("The connection dropped before the answer arrived.");
            }
        }
    }
}
