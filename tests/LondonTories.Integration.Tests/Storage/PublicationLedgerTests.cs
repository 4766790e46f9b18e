using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>
/// A run reads every page's entity of the ledger to date its pages, and reconciles the ledger with
/// what it published at its end: against the entities it read, unless a ledger write finished in between.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublicationLedgerTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    public void Dispose() => _content.Dispose();

    private static bool QueriesPages((string Method, Uri Uri) request) =>
        request.Method == "GET" && request.Uri.AbsolutePath.Contains($"/{SiteStorage.LedgerTable}()", StringComparison.Ordinal)
        && Uri.UnescapeDataString(request.Uri.Query).Contains("PartitionKey lt '~'", StringComparison.Ordinal);

    [Fact]
    public async Task A_run_that_changes_a_page_reads_the_pages_entities_once()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nweight: 3\n---\nTopic 3 has new words now.\n");

        storage.Log.Clear();
        var run = await storage.PublishAsync(_content);

        Assert.True(run.LedgerChanges > 0);
        Assert.Single(storage.Log.Requests, QueriesPages);
        var record = Assert.Single(await storage.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None), r => r.Page == "topic-3");
        Assert.Equal(run.RunId, record.RunId);
    }

    [Fact]
    public async Task A_ledger_write_finished_after_the_run_read_the_pages_is_reconciled_against_as_it_stands()
    {
        await using var storage = new TestStorage(azurite);
        var published = (await storage.PublishAsync(_content)).Result!.PublishedPages;
        IPublicationHistory run = new PublicationLedger(storage.Storage.Ledger.Table, parallelism: 4);
        await run.ReadAsync(CancellationToken.None);

        // Another writer, after the run read the entities: the page leaves the ledger.
        var leaving = published.First(p => p.Seat == "battersea");
        await storage.Storage.Ledger.RecordPagesAsync([.. published.Where(p => p != leaving)], "other", TestContent.Now.AddMinutes(1), CancellationToken.None);
        Assert.NotNull(Assert.Single(await storage.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None), r => r.Path == leaving.Path).Removed);

        // The run still publishes it: taken from what it read, the entity would look unchanged and stay removed.
        var changes = await run.RecordAsync(published, "run", TestContent.Now.AddMinutes(2), CancellationToken.None);

        Assert.Equal(1, changes);
        var record = Assert.Single(await storage.Storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None), r => r.Path == leaving.Path);
        Assert.Null(record.Removed);
        Assert.Equal("run", record.RunId);
    }
}
