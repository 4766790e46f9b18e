using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>
/// A sync job that follows the changes endpoint's cursors hears of every change exactly as the site
/// has it, however its requests fall against the runs that write the ledger.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChangesCursorTests : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private readonly TestClock _clock = new(TestContent.Now);
    private readonly LedgerGate _gate = new();
    private readonly TestStorage _storage;
    private readonly FunctionsApp _app;

    public ChangesCursorTests(AzuriteFixture azurite)
    {
        _storage = new TestStorage(azurite, options => options.Policies.Add((_gate, HttpPipelinePosition.PerCall)), _clock);
        _app = new FunctionsApp(_storage.ConnectionString, _clock);
    }

    public async Task InitializeAsync() => Assert.True((await _storage.PublishAsync(_content)).Succeeded);

    public async Task DisposeAsync()
    {
        _gate.Release();
        await _app.DisposeAsync();
        await _storage.DisposeAsync();
        _content.Dispose();
    }

    [Fact]
    public async Task A_reader_asking_while_a_run_writes_the_ledger_still_hears_of_every_page_of_that_run()
    {
        var cursor = (await GetChangesAsync("battersea", null)).GetProperty("cursor").GetString()!;
        for (var i = 1; i <= 120; i++)
        {
            _content.Write($"pages/local-{i:D3}.md", $"---\ntitle: Local {i}\naudience: [battersea]\n---\nLocal news {i}.");
        }

        _clock.Shift = TimeSpan.FromHours(1);
        _gate.Arm();
        var run = _storage.PublishAsync(_content, now: TestContent.Now.AddHours(1));
        await _gate.FirstBatchWritten.WaitAsync(TimeSpan.FromMinutes(2));
        var during = await GetChangesAsync("battersea", cursor);
        _gate.Release();
        Assert.True((await run).Succeeded);
        var after = await GetChangesAsync("battersea", during.GetProperty("cursor").GetString());

        var heard = Added(during).Concat(Added(after)).ToList();
        Assert.Equal(120, heard.Distinct().Count());
        Assert.Equal(heard.Count, heard.Distinct().Count());
    }

    [Fact]
    public async Task A_run_dated_before_the_last_one_is_still_heard_by_a_reader_past_that_one()
    {
        _content.Write("pages/late.md", "---\ntitle: Late\naudience: [battersea]\n---\nLate news.");
        _clock.Shift = TimeSpan.FromHours(2);
        Assert.True((await _storage.PublishAsync(_content, now: TestContent.Now.AddHours(2))).Succeeded);
        var cursor = (await GetChangesAsync("battersea", null)).GetProperty("cursor").GetString()!;

        // A run as of an earlier moment (a late tick, or the CLI's --now) changes the site after the reader's cursor.
        _content.Write("pages/backdated.md", "---\ntitle: Backdated\naudience: [battersea]\n---\nBackdated news.");
        _content.Delete("pages/late.md");
        Assert.True((await _storage.PublishAsync(_content, now: TestContent.Now.AddHours(1))).Succeeded);
        var changes = await GetChangesAsync("battersea", cursor);

        Assert.Equal(["backdated"], Added(changes));
        Assert.Equal(["late"], [.. changes.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("type").GetString() == "removed").Select(c => c.GetProperty("slug").GetString()!)]);
    }

    [Fact]
    public async Task A_run_that_dies_part_way_through_the_ledger_is_undone_by_the_next_even_when_that_publishes_the_site_as_it_was()
    {
        var before = await LedgerPagesAsync();
        for (var i = 1; i <= 120; i++)
        {
            _content.Write($"pages/local-{i:D3}.md", $"---\ntitle: Local {i}\naudience: [battersea]\n---\nLocal news {i}.");
        }

        // The batch let through is one that records some of the new pages: a run re-records unchanged pages
        // of other seats too, and one of those batches first would leave the ledger looking untouched.
        _gate.Arm(failLater: true, firstWith: "local-");
        await Assert.ThrowsAsync<RequestFailedException>(() => _storage.PublishAsync(_content, now: TestContent.Now));
        _gate.Disarm();
        Assert.NotEqual(before, await LedgerPagesAsync());

        // The editors take the pages out again: the site the next run publishes is the one the ledger last finished.
        for (var i = 1; i <= 120; i++)
        {
            _content.Delete($"pages/local-{i:D3}.md");
        }

        Assert.True((await _storage.PublishAsync(_content, force: true, now: TestContent.Now)).Succeeded);

        Assert.Equal(before, await LedgerPagesAsync());
    }

    /// <summary>Every page the ledger holds as published, with the digest of its bytes, in order.</summary>
    private async Task<List<string>> LedgerPagesAsync()
    {
        var pages = new List<string>();
        await foreach (var record in _storage.Storage.Ledger.Table.QueryAsync<PageRecord>(TableClient.CreateQueryFilter($"PartitionKey lt {"~"}")))
        {
            if (record.Removed is null)
            {
                pages.Add($"{record.PartitionKey}/{record.RowKey} {record.Sha256}");
            }
        }

        return [.. pages.Order(StringComparer.Ordinal)];
    }

    private static string[] Added(JsonElement answer) =>
        [.. answer.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("type").GetString() == "added").Select(c => c.GetProperty("slug").GetString()!)];

    private async Task<JsonElement> GetChangesAsync(string seat, string? since)
    {
        var request = _app.Request("GET", $"/api/constituencies/{seat}/changes{(since is null ? string.Empty : "?since=" + Uri.EscapeDataString(since))}");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Changes>().Run(request, seat, CancellationToken.None));
        Assert.Equal(200, response.Status);
        return JsonSerializer.Deserialize<JsonElement>(response.Body);
    }

    /// <summary>Once armed, lets the first batch of the pages' ledger through and holds (or fails) every later one until released.</summary>
    private sealed class LedgerGate : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _firstWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;
        private int _batches;

        public Task FirstBatchWritten => _firstWritten.Task;

        private volatile bool _failLater;
        private volatile string? _firstWith;

        /// <param name="failLater">Fails every later batch, as a run that dies part way through, instead of holding it.</param>
        /// <param name="firstWith">Lets batches through until one whose body holds this text has gone, rather than only the first.</param>
        public void Arm(bool failLater = false, string? firstWith = null)
        {
            _failLater = failLater;
            _firstWith = firstWith;
            Volatile.Write(ref _armed, 1);
        }

        public void Disarm() => Volatile.Write(ref _armed, 0);

        public void Release() => _released.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var body = Volatile.Read(ref _armed) == 1 && message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) ? BodyOf(message) : null;
            var batch = body is not null && body.Contains($"/{SiteStorage.LedgerTable}(", StringComparison.Ordinal);
            if (batch && _firstWith is { } marker)
            {
                // Until a batch with the marker has gone, every batch goes; that one counts as the first.
                if (Volatile.Read(ref _batches) == 0 && !body!.Contains(marker, StringComparison.Ordinal))
                {
                    await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                    return;
                }
            }

            if (batch && Interlocked.Increment(ref _batches) > 1)
            {
                if (_failLater)
                {
                    // Once the batch let through has landed: a failure now would cancel it in flight.
                    await _firstWritten.Task.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
                    throw new RequestFailedException(503, "The run stopped here.");
                }

                await _released.Task.ConfigureAwait(false);
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            if (batch)
            {
                _firstWritten.TrySetResult();
            }
        }

        // Other tables (history, webhooks) write batches too; only the pages' ledger is gated.
        private static string BodyOf(HttpMessage message)
        {
            using var body = new MemoryStream();
            message.Request.Content?.WriteTo(body, CancellationToken.None);
            return Encoding.UTF8.GetString(body.ToArray());
        }
    }
}
