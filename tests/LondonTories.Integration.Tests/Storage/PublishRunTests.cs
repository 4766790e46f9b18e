using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>Runs that meet each other, faults and crashes: the site and the ledger stay whole.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishRunTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Two_runs_started_together_both_end_and_leave_one_whole_site_and_a_matching_ledger()
    {
        await using var first = new TestStorage(azurite);
        await using var second = new TestStorage(azurite, connectionString: first.ConnectionString);
        using var other = new TestContent();
        other.Write("pages/topic-2.md", "---\ntitle: Topic two rewritten\n---\nA different version.\n");
        other.Delete("pages/topic-4.md");

        var runs = await Task.WhenAll(first.PublishAsync(_content), second.PublishAsync(other));

        Assert.All(runs, run => Assert.Equal(PublishRun.Published, run.Outcome));
        var site = await first.ReadSiteAsync();
        var candidates = new[] { await TestStorage.ExpectedSiteAsync(_content), await TestStorage.ExpectedSiteAsync(other) };
        var matching = candidates.Where(expected =>
            expected.Keys.Order(StringComparer.Ordinal).SequenceEqual(site.Keys.Order(StringComparer.Ordinal)) &&
            expected.All(e => e.Value.AsSpan().SequenceEqual(site[e.Key].Bytes))).ToList();
        Assert.Single(matching);
        await AssertLedgerMatchesSiteAsync(first, site);
        Assert.Equal(2, (await first.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_run_that_cannot_get_the_lease_in_time_ends_cleanly_and_writes_nothing()
    {
        await using var storage = new TestStorage(azurite, options => options.LeaseWait = TimeSpan.FromSeconds(1));
        await storage.PublishAsync(_content);
        var held = new Azure.Storage.Blobs.Specialized.BlobLeaseClient(storage.Web);
        await held.AcquireAsync(TimeSpan.FromSeconds(15));
        _content.Write("pages/topic-1.md", "---\ntitle: Changed while locked\n---\nChanged.\n");

        storage.Log.Clear();
        var busy = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Busy, busy.Outcome);
        Assert.Empty(storage.Log.Writes);
        await held.ReleaseAsync();
        Assert.Equal(PublishRun.Published, (await storage.PublishAsync(_content)).Outcome);
    }

    [Fact]
    public async Task Storage_requests_failing_with_503_are_retried_and_the_site_ends_complete_without_duplicates()
    {
        var faults = new FaultyTransport(share: 0.2, seed: 20261130);
        await using var storage = new TestStorage(azurite, options =>
        {
            options.Transport = faults;
            options.MaxRetries = 12;
            options.RetryDelay = TimeSpan.FromMilliseconds(5);
        });

        var run = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, run.Outcome);
        Assert.True(faults.Failed > 10, $"only {faults.Failed} requests failed");
        var site = await storage.ReadSiteAsync();
        var expected = await TestStorage.ExpectedSiteAsync(_content);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), site.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, site[e.Key].Bytes));
        await AssertLedgerMatchesSiteAsync(storage, site);
        Assert.Single(await storage.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None));

        var again = await storage.PublishAsync(_content);
        Assert.Equal(0, again.Written + again.Deleted + again.LedgerChanges);
    }

    [Fact]
    public async Task A_run_that_dies_halfway_leaves_the_old_manifest_naming_only_blobs_that_exist_and_the_next_run_finishes()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var oldManifest = (await storage.ReadSiteAsync())["web/manifest.json"].Bytes;
        _content.Write("pages/topic-3.md", "---\ntitle: Topic 3 again\n---\nNew text for topic 3.\n");
        _content.Write("pages/topic-5.md", "---\ntitle: Topic 5\n---\nA new page.\n");
        _content.Delete("pages/topic-4.md");

        await using (var crashing = new TestStorage(azurite, options => options.Policies.Add((new CrashAfter(uploads: 4), HttpPipelinePosition.PerRetry)),
                         connectionString: storage.ConnectionString))
        {
            await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.PublishAsync(_content));
        }

        var halfway = await storage.ReadSiteAsync();
        Assert.Equal(oldManifest, halfway["web/manifest.json"].Bytes);
        foreach (var path in ManifestPaths(oldManifest))
        {
            Assert.True(halfway.ContainsKey("web/" + path), $"the manifest names {path}, which is missing");
        }

        var finished = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, finished.Outcome);
        var site = await storage.ReadSiteAsync();
        var expected = await TestStorage.ExpectedSiteAsync(_content);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), site.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, site[e.Key].Bytes));
        await AssertLedgerMatchesSiteAsync(storage, site);
    }

    [Fact]
    public async Task A_run_that_dies_before_recording_the_ledger_is_made_good_by_the_next_run()
    {
        await using var storage = new TestStorage(azurite);
        await using (var crashing = new TestStorage(azurite, options => options.Policies.Add((new CrashOnLedgerWrites(), HttpPipelinePosition.PerRetry)),
                         connectionString: storage.ConnectionString))
        {
            await Assert.ThrowsAsync<SimulatedCrash>(() => crashing.PublishAsync(_content));
        }

        var next = await storage.PublishAsync(_content);

        Assert.Equal(0, next.Written);
        Assert.Equal(13, next.LedgerChanges);
        await AssertLedgerMatchesSiteAsync(storage, await storage.ReadSiteAsync());
        Assert.Equal(0, (await storage.PublishAsync(_content)).LedgerChanges);
    }

    [Fact]
    public async Task The_ledger_keeps_one_entity_per_seat_page_and_language_with_first_and_last_published_and_a_record_per_run()
    {
        var clock = new TestClock(TestContent.Now);
        await using var storage = new TestStorage(azurite, clock: clock);
        var first = await storage.PublishAsync(_content);
        clock.Shift = TimeSpan.FromHours(1);
        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nsummary: What we do about topic 3.\nweight: 3\n---\nNew text for topic 3.\n");
        var second = await storage.PublishAsync(_content, now: clock.GetUtcNow());

        var battersea = (await storage.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).ToDictionary(p => p.RowKey);
        var unchanged = battersea["topic-1.en"];
        Assert.Equal(first.RunId, unchanged.RunId);
        Assert.Equal(unchanged.FirstPublished, unchanged.LastPublished);
        Assert.Equal("https://test.example.org/battersea/topic-1/", unchanged.Url);
        Assert.Equal("web/battersea/topic-1/index.html", unchanged.Path);
        var edited = battersea["topic-3.en"];
        Assert.Equal(second.RunId, edited.RunId);
        Assert.Equal(unchanged.FirstPublished, edited.FirstPublished);
        Assert.True(edited.LastPublished >= edited.FirstPublished + TimeSpan.FromHours(1));
        Assert.Null(edited.Removed);
        var bengali = (await storage.Storage.Ledger.ReadSeatAsync("bethnal-green", CancellationToken.None)).Single(p => p.RowKey == "topic-1.bn");
        Assert.Equal("bn", bengali.Language);

        _content.Delete("pages/topic-4.md");
        var third = await storage.PublishAsync(_content, now: clock.GetUtcNow());
        var removed = (await storage.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).Single(p => p.RowKey == "topic-4.en");
        Assert.NotNull(removed.Removed);
        Assert.Equal(third.RunId, removed.RunId);

        var runs = await storage.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None);
        Assert.Equal([third.RunId, second.RunId, first.RunId], runs.Select(r => r.RunId));
        Assert.Equal("test", runs[1].Trigger);
        Assert.Equal(second.Written, runs[1].Written);
        Assert.Equal(6, runs[0].Deleted);
        Assert.True(runs[0].Ended >= runs[0].Started);
    }

    public void Dispose() => _content.Dispose();

    private static IEnumerable<string> ManifestPaths(byte[] manifest, bool pagesOnly = false)
    {
        using var document = JsonDocument.Parse(manifest);
        var pages = document.RootElement.GetProperty("constituencies").EnumerateArray()
            .SelectMany(c => c.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("path").GetString()!));
        var others = document.RootElement.GetProperty("other_files").EnumerateObject().Select(p => p.Name);
        return pagesOnly ? [.. pages] : [.. pages.Concat(others)];
    }

    private static async Task AssertLedgerMatchesSiteAsync(TestStorage storage, Dictionary<string, (byte[] Bytes, Azure.Storage.Blobs.Models.BlobProperties Properties, IDictionary<string, string> Metadata)> site)
    {
        var records = new List<PageRecord>();
        foreach (var seat in new[] { "battersea", "bromley", "bethnal-green" })
        {
            records.AddRange((await storage.Storage.Ledger.ReadSeatAsync(seat, CancellationToken.None)).Where(r => r.Removed is null));
        }

        var pages = ManifestPaths(site["web/manifest.json"].Bytes, pagesOnly: true).Select(p => "web/" + p).ToList();
        Assert.Equal(pages.Order(StringComparer.Ordinal), records.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal(Hashing.Sha256Hex(site[r.Path].Bytes), r.Sha256));
    }

    private sealed class SimulatedCrash() : Exception("The process died.");

    /// <summary>Dies at the first write to the ledger's table, after the site is complete.</summary>
    private sealed class CrashOnLedgerWrites : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) ? throw new SimulatedCrash() : ProcessNextAsync(message, pipeline);
    }

    /// <summary>Lets a number of page uploads through, then fails every request like a process that died.</summary>
    private sealed class CrashAfter(int uploads) : HttpPipelinePolicy
    {
        private int _seen;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Put && message.Request.Uri.Path.Contains("/$web/", StringComparison.Ordinal) &&
                Interlocked.Increment(ref _seen) > uploads)
            {
                throw new SimulatedCrash();
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }
}
