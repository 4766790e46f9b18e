using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>Rollback on Azurite: any recorded run's site back byte for byte from history, and kept until the content changes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollbackTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    public void Dispose() => _content.Dispose();

    private static async Task<SortedDictionary<string, (string Sha, string ContentType, string ETag)>> SnapshotAsync(TestStorage storage) =>
        new((await storage.ReadSiteAsync()).ToDictionary(
            f => f.Key,
            f => (LondonTories.Publishing.Content.Hashing.Sha256Hex(f.Value.Bytes), f.Value.Properties.ContentType, f.Value.Properties.ETag.ToString())), StringComparer.Ordinal);

    private static SortedDictionary<string, (string Sha, string ContentType)> Bytes(SortedDictionary<string, (string Sha, string ContentType, string ETag)> snapshot) =>
        new(snapshot.ToDictionary(s => s.Key, s => (s.Value.Sha, s.Value.ContentType)), StringComparer.Ordinal);

    [Fact]
    public async Task Rollback_to_a_run_three_runs_back_restores_its_files_byte_for_byte_and_the_next_no_op_publish_writes_nothing()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        var firstSite = Bytes(await SnapshotAsync(storage));
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, rewritten\n---\nA wrong page for {{ constituency.name }}.\n");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(2));
        _content.Write("pages/new-page.md", "---\ntitle: A page that should not exist\n---\nOops.\n");
        var last = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(3));
        var lastSite = await SnapshotAsync(storage);
        Assert.Contains("web/battersea/new-page/index.html", lastSite.Keys);

        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, first.RunId, new FolderContentSource(_content.Root), "editor@example.org", CancellationToken.None);

        Assert.Equal(PublishRun.Published, rollback.Outcome);
        Assert.Equal(SiteRollback.Trigger, rollback.Trigger);
        var restored = await SnapshotAsync(storage);
        Assert.Equal(firstSite, Bytes(restored));
        Assert.Equal(rollback.Written + rollback.Unchanged, firstSite.Count);
        // The page that should not exist, and its fragment, for each of the three seats.
        Assert.Equal(6, lastSite.Keys.Except(firstSite.Keys).Count());
        Assert.Equal(6, rollback.Deleted);

        storage.Log.Clear();
        var noOp = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(10));

        Assert.Equal(PublishRun.Published, noOp.Outcome);
        Assert.Equal((0, 0), (noOp.Written, noOp.Deleted));
        Assert.StartsWith($"The site stays as rolled back to run {first.RunId} until the content changes", noOp.Summary);
        Assert.Empty(storage.Log.BlobPuts(SiteStorage.WebContainer));
        Assert.Equal(restored, await SnapshotAsync(storage));

        var runs = await storage.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None);
        Assert.Equal(
            [(rollback.RunId, "rollback", "editor@example.org", true), (last.RunId, "test", null, true)],
            runs.Take(2).Select(r => (r.RunId, r.Trigger, r.RequestedBy, r.HasManifest)));

        // The next content change publishes as usual, over the rolled-back site.
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, fixed\n---\nThe right page for {{ constituency.name }}.\n");
        var fixedRun = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(11));
        Assert.True(fixedRun.Written > 0);
        var site = await storage.ReadSiteAsync();
        Assert.Contains("Topic three, fixed", System.Text.Encoding.UTF8.GetString(site["web/battersea/topic-3/index.html"].Bytes));
        Assert.Contains("web/battersea/new-page/index.html", site.Keys);
        Assert.Null(await storage.Storage.Ledger.ReadRollbackAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_page_that_expires_while_the_site_is_held_is_told_of_naming_the_page_its_seats_and_the_way_out()
    {
        await using var storage = new TestStorage(azurite);
        _content.Write("pages/offer.md", "---\ntitle: Offer\nexpire_at: 2026-11-30T12:30:00Z\n---\nUntil half past twelve in {{ constituency.name }}.\n");
        var first = await storage.PublishAsync(_content);
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, wrong\n---\nWrong words.\n");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, first.RunId, new FolderContentSource(_content.Root), "editor@example.org", CancellationToken.None);
        var before = await SnapshotAsync(storage);

        var held = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(31));
        var again = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(32));

        Assert.Equal(before, await SnapshotAsync(storage));
        Assert.Equal((0, 0), (held.Written, held.Deleted));
        var warning = Assert.Single(held.Diagnostics, d => d.Contains("[expired-while-held]", StringComparison.Ordinal));
        Assert.Equal(
            $"{_content.Root.Replace('\\', '/')}/pages/offer.md:1:1: warning: the page expired at 2026-11-30 12:30 (Europe/London), but the site is held as rolled back to run {first.RunId}, so it stays published. (for battersea, bethnal-green, bromley) " +
            "Publish the content once it is fixed, which ends the hold and takes the page down, or roll back to a run after its expiry. [expired-while-held]",
            warning.Replace('\\', '/'));
        Assert.Contains("until the content changes", held.Summary, StringComparison.Ordinal);
        // Told by every run while it lasts, not only the first after the expiry.
        Assert.Contains(again.Diagnostics, d => d.Contains("[expired-while-held]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_to_a_run_that_recorded_nothing_changes_nothing()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var before = await SnapshotAsync(storage);

        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, "20260101T000000Z-nosuchrun", new FolderContentSource(_content.Root), null, CancellationToken.None);

        Assert.Equal(PublishRun.NotFound, rollback.Outcome);
        Assert.Equal("No run '20260101T000000Z-nosuchrun' recorded its files, so the site cannot be rolled back to it; 'runs' lists the runs that did.", rollback.Summary);
        Assert.Equal(before, await SnapshotAsync(storage));
    }

    [Fact]
    public async Task After_a_rollback_the_ledger_and_the_changes_tell_what_is_published_and_a_no_op_writes_nothing_anywhere()
    {
        await using var storage = new TestStorage(azurite);
        var secret = $"rollback-hook-{Random.Shared.Next(100_000, 1_000_000)}";
        Environment.SetEnvironmentVariable(LondonTories.Publishing.Social.EnvironmentSecretStore.VariableFor(secret), "whsec_" + Convert.ToBase64String(new byte[32]));
        _content.Write("constituencies.yaml", File.ReadAllText(Path.Combine(_content.Root, "constituencies.yaml"))
            .Replace("    tags: [outer-london]\n", $"    tags: [outer-london]\n    association: {{ name: Bromley Conservatives, webhook: {{ url: \"https://hooks.example.org/bromley\", secret: {secret} }} }}\n", StringComparison.Ordinal).TrimEnd('\n'));
        var first = await storage.PublishAsync(_content);
        Assert.True(first.Succeeded, string.Join('\n', first.Diagnostics));
        var firstSite = await storage.ReadSiteAsync();
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        _content.Write("pages/new-page.md", "---\ntitle: A page that should not exist\n---\nOops.\n");
        _content.Delete("pages/topic-4.md");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1), force: true);
        var before = (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).ToDictionary(r => r.RowKey);
        Assert.NotNull(before["topic-4.en"].Removed);

        ((TestClock)storage.Clock).Shift += TimeSpan.FromMinutes(5);
        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, first.RunId, new FolderContentSource(_content.Root), "editor@example.org", CancellationToken.None);
        var at = (await storage.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].Ended;

        var records = (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).ToDictionary(r => r.RowKey);
        var restored = records["topic-2.en"];
        Assert.Equal(Hashing.Sha256Hex(firstSite["web/bromley/topic-2/index.html"].Bytes), restored.Sha256);
        Assert.Equal(Hashing.Sha256Hex(firstSite["web/bromley/topic-2/fragment.html"].Bytes), restored.ContentSha256);
        Assert.Equal(rollback.RunId, restored.RunId);
        Assert.True(records["new-page.en"].Removed > before["new-page.en"].FirstPublished);
        Assert.Null(records["topic-4.en"].Removed);
        Assert.Equal(before["topic-1.en"].LastPublished, records["topic-1.en"].LastPublished);

        // What associations read: the rollback itself is the change, at its own moment.
        var changes = PageChanges.Between(records.Values, before.Values.Max(r => r.Removed ?? r.LastPublished));
        Assert.Equal(
            [(PageChange.Removed, "new-page"), (PageChange.Added, "topic-4"), (PageChange.Updated, "topic-2")],
            changes.Select(c => (c.Type, c.Slug)).OrderBy(c => c.Slug == "new-page" ? 0 : c.Slug == "topic-4" ? 1 : 2));
        Assert.Single(changes.Select(c => c.At).Distinct());
        Assert.True(rollback.LedgerChanges > 0);
        var hook = Assert.Single(await storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None), w => w.RowKey == $"msg_{rollback.RunId}_bromley");
        Assert.Contains("\"type\":\"removed\",\"slug\":\"new-page\"", hook.Payload, StringComparison.Ordinal);

        storage.Log.Clear();
        var noOp = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(10));

        Assert.Equal((PublishRun.Published, 0, 0, 0), (noOp.Outcome, noOp.Written, noOp.Deleted, noOp.LedgerChanges));
        // Only the fingerprint on $web's own metadata, which lets the next run stop early.
        Assert.DoesNotContain(storage.Log.Writes, w => !(w.Uri.AbsolutePath.EndsWith("/$web", StringComparison.Ordinal) && w.Uri.Query.Contains("comp=metadata", StringComparison.Ordinal)));
        Assert.Equal(records.Values.Select(r => (r.RowKey, r.Sha256, r.ContentSha256, r.LastPublished, r.Removed)),
            (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).Select(r => (r.RowKey, r.Sha256, r.ContentSha256, r.LastPublished, r.Removed)));
        Assert.Equal(rollback.RunId, (await storage.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].RunId);
    }
}
