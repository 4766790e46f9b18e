using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>
/// A run whose inputs are those of the last run, before any scheduled time comes, has nothing to do:
/// it writes nothing and does not list <c>$web</c>. Any change of content or a scheduled time passing
/// publishes again.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NoOpPublishTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    public void Dispose() => _content.Dispose();

    [Fact]
    public async Task A_run_with_nothing_changed_and_nothing_due_neither_writes_nor_lists_the_site()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        Assert.Contains(storage.Log.Requests, RequestLog.ListsSite);

        storage.Log.Clear();
        var second = await storage.PublishAsync(_content, now: TestContent.Now.AddHours(1));

        Assert.Equal(PublishRun.Published, second.Outcome);
        Assert.Equal(0, second.Written);
        Assert.Equal(0, second.Deleted);
        Assert.Equal(first.Written, second.Unchanged);
        Assert.Equal(first.Pages, second.Pages);
        Assert.Empty(storage.Log.Writes);
        Assert.DoesNotContain(storage.Log.Requests, RequestLog.ListsSite);
    }

    [Fact]
    public async Task A_run_of_content_already_loaded_as_the_cli_publishes_stops_at_the_fingerprint_too()
    {
        await using var storage = new TestStorage(azurite);
        var content = await storage.Services.GetRequiredService<Publisher>().LoadAsync(new FolderContentSource(_content.Root), CancellationToken.None);
        var options = new PublishOptions { Now = TestContent.Now, MaxDeleteShare = storage.Storage.Options.MaxDeleteShare };
        var first = await storage.Publisher.PublishAsync(storage.Storage, content, options, "cli", CancellationToken.None);

        storage.Log.Clear();
        var second = await storage.Publisher.PublishAsync(storage.Storage, content, options, "cli", CancellationToken.None);

        Assert.True(first.Written > 0);
        Assert.Equal((PublishRun.Published, 0, first.Written), (second.Outcome, second.Written, second.Unchanged));
        Assert.Empty(storage.Log.Writes);
        Assert.DoesNotContain(storage.Log.Requests, RequestLog.ListsSite);
    }

    [Fact]
    public async Task A_scheduled_time_passing_publishes_what_became_due()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);

        storage.Log.Clear();
        var run = await storage.PublishAsync(_content, now: new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        // The last run's record of the site stands in for a listing (HeldRecordTests).
        Assert.DoesNotContain(storage.Log.Requests, RequestLog.ListsSite);
        Assert.Contains("battersea/embargoed/index.html", storage.Log.BlobPuts(SiteStorage.WebContainer));
        Assert.True(run.Written > 0);
    }

    [Fact]
    public async Task A_changed_file_publishes_again_and_the_next_run_is_a_no_op_again()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        _content.Write("pages/topic-2.md", "---\ntitle: Topic 2 rewritten\nweight: 2\n---\nNew words.\n");

        var edited = await storage.PublishAsync(_content);
        storage.Log.Clear();
        var again = await storage.PublishAsync(_content);

        Assert.Contains("battersea/topic-2/index.html", edited.Result!.WrittenPaths.Select(p => p["web/".Length..]));
        Assert.Equal(0, again.Written);
        Assert.Empty(storage.Log.Writes);
        Assert.DoesNotContain(storage.Log.Requests, RequestLog.ListsSite);
    }

    [Fact]
    public async Task Other_options_publish_again()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);

        storage.Log.Clear();
        await storage.PublishAsync(_content, force: true);

        Assert.Contains(storage.Log.Requests, RequestLog.ListsSite);
    }
}
