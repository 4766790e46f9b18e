using System.IO.Compression;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs.Models;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>
/// History on Azurite: a publish keeps its new files in a few packs from the bytes it wrote, never
/// reading <c>$web</c> back; each manifest names where every one of its files' bytes are; histories
/// kept file by file still roll back; and no manifest ever names bytes that are not kept.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SiteHistoryTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    public void Dispose() => _content.Dispose();

    private static bool DownloadsFromSite((string Method, Uri Uri) request) =>
        request.Method == "GET" && Uri.UnescapeDataString(request.Uri.AbsolutePath).TrimStart('/').Split('/', 3) is [_, SiteStorage.WebContainer, { Length: > 0 }];

    private static async Task<SortedDictionary<string, string>> SiteDigestsAsync(TestStorage storage) =>
        new((await storage.ReadSiteAsync()).ToDictionary(f => f.Key, f => Hashing.Sha256Hex(f.Value.Bytes)), StringComparer.Ordinal);

    private static async Task<List<string>> HistoryBlobsAsync(TestStorage storage, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Storage.History.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>Reads every file a manifest names from where it says, independently of the code under test, and checks it against its digest.</summary>
    private static async Task AssertKeptAsync(TestStorage storage, RunManifest manifest)
    {
        var packs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, sha) in manifest.Files)
        {
            Assert.True(manifest.Kept.TryGetValue(sha, out var kept), $"{path}'s digest has no place in history");
            Assert.StartsWith(SiteHistory.PacksPrefix, kept.Blob, StringComparison.Ordinal);
            Assert.Contains(kept.Blob, manifest.Packs.Keys);
            if (!packs.TryGetValue(kept.Blob, out var pack))
            {
                pack = packs[kept.Blob] = (await storage.Storage.History.Container.GetBlobClient(kept.Blob).DownloadContentAsync()).Value.Content.ToArray();
            }

            Assert.Equal(KeptPack.Deflate, manifest.Packs[kept.Blob].Encoding);
            using var inflated = new MemoryStream();
            using (var deflate = new DeflateStream(new MemoryStream(pack, (int)kept.Offset, (int)kept.Length!.Value), CompressionMode.Decompress))
            {
                deflate.CopyTo(inflated);
            }

            Assert.True(Hashing.Sha256Hex(inflated.ToArray()) == sha, $"{path} is not kept at {kept.Blob}@{kept.Offset}+{kept.Length}");
        }
    }

    [Fact]
    public async Task A_publish_packs_its_new_files_from_the_bytes_it_wrote_and_the_next_packs_only_what_is_new()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);

        Assert.True(first.Succeeded, string.Join('\n', first.Diagnostics));
        Assert.DoesNotContain(storage.Log.Requests, DownloadsFromSite);
        Assert.Empty(await HistoryBlobsAsync(storage, SiteHistory.FilesPrefix));
        Assert.Equal([$"{SiteHistory.PacksPrefix}{first.RunId}-0.pack"], await HistoryBlobsAsync(storage, SiteHistory.PacksPrefix));
        var firstManifest = (await storage.Storage.History.ReadManifestAsync(first.RunId, CancellationToken.None))!;
        Assert.Equal(await SiteDigestsAsync(storage), firstManifest.Files);
        await AssertKeptAsync(storage, firstManifest);
        var stored = await storage.Storage.History.Container.GetBlobClient($"{SiteHistory.RunsPrefix}{first.RunId}.json").DownloadContentAsync();
        Assert.Equal(("application/json", "gzip"), (stored.Value.Details.ContentType, stored.Value.Details.ContentEncoding));
        using (var json = JsonDocument.Parse(new GZipStream(stored.Value.Content.ToStream(), CompressionMode.Decompress)))
        {
            Assert.Equal(first.RunId, json.RootElement.GetProperty("run_id").GetString());
            Assert.Equal(firstManifest.Files.Count, json.RootElement.GetProperty("files").EnumerateObject().Count());
        }

        var firstPack = (await storage.Storage.History.Container.GetBlobClient($"{SiteHistory.PacksPrefix}{first.RunId}-0.pack").GetPropertiesAsync()).Value.ContentLength;
        Assert.Equal(firstManifest.Kept.Values.Sum(k => k.Length!.Value), firstPack);

        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        storage.Log.Clear();
        var second = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));

        Assert.DoesNotContain(storage.Log.Requests, DownloadsFromSite);
        var secondManifest = (await storage.Storage.History.ReadManifestAsync(second.RunId, CancellationToken.None))!;
        Assert.Equal(await SiteDigestsAsync(storage), secondManifest.Files);
        await AssertKeptAsync(storage, secondManifest);
        // Digests the first run kept stay where it kept them; the second pack holds exactly the new ones.
        var fresh = secondManifest.Files.Values.Where(sha => !firstManifest.Kept.ContainsKey(sha)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(fresh);
        Assert.All(secondManifest.Kept, k => Assert.Equal(fresh.Contains(k.Key) ? $"{SiteHistory.PacksPrefix}{second.RunId}-0.pack" : firstManifest.Kept[k.Key].Blob, k.Value.Blob));
        var secondPack = (await storage.Storage.History.Container.GetBlobClient($"{SiteHistory.PacksPrefix}{second.RunId}-0.pack").GetPropertiesAsync()).Value.ContentLength;
        Assert.Equal(fresh.Sum(sha => secondManifest.Kept[sha].Length!.Value), secondPack);
    }

    [Fact]
    public async Task Files_across_many_blocks_and_packs_are_kept_where_the_manifest_says_and_a_rollback_restores_them_byte_for_byte()
    {
        await using var storage = new TestStorage(azurite, options => (options.HistoryBlockSize, options.HistoryPackSize) = (300, 2000));
        var first = await storage.PublishAsync(_content);
        var firstSite = await SiteDigestsAsync(storage);

        var manifest = (await storage.Storage.History.ReadManifestAsync(first.RunId, CancellationToken.None))!;
        Assert.Equal(firstSite, manifest.Files);
        await AssertKeptAsync(storage, manifest);
        Assert.True(manifest.Packs.Count > 10, $"{manifest.Packs.Count} packs");
        foreach (var pack in manifest.Kept.Values.GroupBy(k => k.Blob))
        {
            var length = (await storage.Storage.History.Container.GetBlobClient(pack.Key).GetPropertiesAsync()).Value.ContentLength;
            Assert.Equal(pack.Sum(k => k.Length!.Value), length);
            Assert.True(length <= 2000 || pack.Count() == 1, $"{pack.Key} holds {pack.Count()} files in {length} bytes");
        }

        // Every page changes, so the rollback reads nearly every file back from the packs.
        _content.Write("site.yaml", File.ReadAllText(Path.Combine(_content.Root, "site.yaml")).Replace("Test Conservatives", "Renamed Conservatives", StringComparison.Ordinal));
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, first.RunId, new FolderContentSource(_content.Root), null, CancellationToken.None);

        Assert.Equal(PublishRun.Published, rollback.Outcome);
        Assert.True(rollback.Written > firstSite.Count / 2, rollback.Summary);
        Assert.Equal(firstSite, await SiteDigestsAsync(storage));
    }

    [Fact]
    public async Task Rollback_restores_a_run_whose_history_was_kept_file_by_file()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var firstSite = await SiteDigestsAsync(storage);
        var legacyRun = await KeepFileByFileAsync(storage, firstSite);

        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        _content.Write("pages/new-page.md", "---\ntitle: A page that should not exist\n---\nOops.\n");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        Assert.NotEqual(firstSite, await SiteDigestsAsync(storage));
        // Only the files of the old layout can bring that run back.
        foreach (var pack in await HistoryBlobsAsync(storage, SiteHistory.PacksPrefix))
        {
            await storage.Storage.History.Container.DeleteBlobAsync(pack);
        }

        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, legacyRun, new FolderContentSource(_content.Root), null, CancellationToken.None);

        Assert.Equal(PublishRun.Published, rollback.Outcome);
        Assert.Equal(firstSite, await SiteDigestsAsync(storage));
        Assert.Equal(firstSite, (await storage.Storage.History.ReadManifestAsync(rollback.RunId, CancellationToken.None))!.Files);
    }

    [Fact]
    public async Task A_rollback_checks_every_file_against_its_digest_before_it_changes_anything()
    {
        await using var storage = new TestStorage(azurite);
        var packed = await storage.PublishAsync(_content);
        var legacyRun = await KeepFileByFileAsync(storage, await SiteDigestsAsync(storage));
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, rewritten\n---\nOther words for {{ constituency.name }}.\n");
        var changed = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(2));
        Assert.True(changed.Written >= 6);
        var before = await storage.ReadSiteAsync();

        // A page each rollback would restore, damaged: a file of the old layout, and a range of a pack.
        var legacyManifest = (await storage.Storage.History.ReadManifestAsync(legacyRun, CancellationToken.None))!;
        var legacyDamaged = legacyManifest.Files["web/bromley/topic-3/index.html"];
        await storage.Storage.History.Container.GetBlobClient(SiteHistory.FilesPrefix + legacyDamaged).UploadAsync(BinaryData.FromString("not the page"), overwrite: true);
        var manifest = (await storage.Storage.History.ReadManifestAsync(packed.RunId, CancellationToken.None))!;
        var kept = manifest.Kept[manifest.Files["web/bromley/topic-3/index.html"]];
        var pack = storage.Storage.History.Container.GetBlobClient(kept.Blob);
        var bytes = (await pack.DownloadContentAsync()).Value.Content.ToArray();
        bytes[kept.Offset + 10] ^= 0x20;
        await pack.UploadAsync(new BinaryData(bytes), overwrite: true);

        storage.Log.Clear();
        var rollbacks = storage.Services.GetRequiredService<SiteRollback>();
        var toLegacy = await rollbacks.RollbackAsync(storage.Storage, legacyRun, new FolderContentSource(_content.Root), null, CancellationToken.None);
        var toPacked = await rollbacks.RollbackAsync(storage.Storage, packed.RunId, new FolderContentSource(_content.Root), null, CancellationToken.None);

        Assert.Equal(
            [(PublishRun.Refused, $"History's copy of web/bromley/topic-3/index.html does not match its digest {legacyDamaged}, so run {legacyRun} cannot be restored byte for byte. Nothing was changed; roll back to another run."),
             (PublishRun.Refused, $"History's copy of web/bromley/topic-3/index.html does not match its digest {manifest.Files["web/bromley/topic-3/index.html"]}, so run {packed.RunId} cannot be restored byte for byte. Nothing was changed; roll back to another run.")],
            [(toLegacy.Outcome, toLegacy.Summary), (toPacked.Outcome, toPacked.Summary)]);
        Assert.Empty(storage.Log.BlobPuts(SiteStorage.WebContainer));
        var after = await storage.ReadSiteAsync();
        Assert.Equal(before.ToDictionary(f => f.Key, f => f.Value.Properties.ETag), after.ToDictionary(f => f.Key, f => f.Value.Properties.ETag));
    }

    [Fact]
    public async Task A_rollback_to_a_run_whose_pack_aged_out_refuses_before_it_changes_anything()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        var firstManifest = (await storage.Storage.History.ReadManifestAsync(first.RunId, CancellationToken.None))!;
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        var before = await storage.ReadSiteAsync();
        await storage.Storage.History.Container.DeleteBlobAsync($"{SiteHistory.PacksPrefix}{first.RunId}-0.pack");

        storage.Log.Clear();
        var rollback = await storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(storage.Storage, first.RunId, new FolderContentSource(_content.Root), null, CancellationToken.None);

        // What it needs: the files that differ now, and every seat's pages.json, which tells the ledger what the site holds.
        var needed = firstManifest.Files.Where(f => Hashing.Sha256Hex(before[f.Key].Bytes) != f.Value || f.Key.EndsWith("/pages.json", StringComparison.Ordinal) && f.Key.Count(c => c == '/') == 2)
            .Select(f => f.Value).ToHashSet();
        var lost = firstManifest.Files.Where(f => needed.Contains(f.Value)).Select(f => f.Key).ToList();
        Assert.Equal(
            (PublishRun.Refused, $"History no longer holds {lost.Count} of the files of run {first.RunId} (e.g. {lost[0]}); they aged out. Nothing was changed; roll back to a more recent run."),
            (rollback.Outcome, rollback.Summary));
        Assert.Empty(storage.Log.Writes);
        Assert.Equal(before.ToDictionary(f => f.Key, f => f.Value.Properties.ETag), (await storage.ReadSiteAsync()).ToDictionary(f => f.Key, f => f.Value.Properties.ETag));
    }

    [Fact]
    public async Task A_run_that_fails_before_its_packs_are_committed_records_no_manifest_and_the_next_run_keeps_what_it_left()
    {
        var failCommits = new FailingRequests(r => r.Uri.Query.Contains("comp=blocklist", StringComparison.Ordinal));
        await using var storage = new TestStorage(azurite, options => options.Policies.Add((failCommits, HttpPipelinePosition.PerCall)));
        var first = await storage.PublishAsync(_content);
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        failCommits.Armed = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1)));

        failCommits.Armed = false;
        Assert.Equal([$"{SiteHistory.PacksPrefix}{first.RunId}-0.pack"], await HistoryBlobsAsync(storage, SiteHistory.PacksPrefix));
        var failed = (await storage.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None)).Single();
        Assert.Equal(first.RunId, failed.RunId);
        Assert.Equal(first.RunId, (await storage.Storage.History.ReadLatestAsync(CancellationToken.None))!.RunId);

        // What the failed run wrote is on the site; the next change keeps what it does not rewrite itself, read back from $web.
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, rewritten\n---\nOther words for {{ constituency.name }}.\n");
        storage.Log.Clear();
        var next = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(2));

        var readBack = storage.Log.Requests.Where(DownloadsFromSite).Select(r => Uri.UnescapeDataString(r.Uri.AbsolutePath).TrimStart('/').Split('/', 3)[2]).ToHashSet();
        var manifest = (await storage.Storage.History.ReadManifestAsync(next.RunId, CancellationToken.None))!;
        Assert.Equal(await SiteDigestsAsync(storage), manifest.Files);
        await AssertKeptAsync(storage, manifest);
        // Exactly the articles of topic 2 it wrote: every page changed again with topic 3's title in the navigation.
        Assert.Equal(["battersea/topic-2/fragment.html", "bethnal-green/topic-2/fragment.html", "bromley/topic-2/fragment.html"], readBack.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Files_kept_longer_ago_than_the_repack_age_are_packed_again_so_the_site_never_ages_out_of_history()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        var later = TestContent.Now + storage.Storage.Options.RepackHistoryAfter + TimeSpan.FromDays(1);
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");

        storage.Log.Clear();
        var second = await storage.PublishAsync(_content, now: later);

        // Read from the old pack, not from the site file by file.
        Assert.DoesNotContain(storage.Log.Requests, DownloadsFromSite);
        var manifest = (await storage.Storage.History.ReadManifestAsync(second.RunId, CancellationToken.None))!;
        Assert.Equal([$"{SiteHistory.PacksPrefix}{second.RunId}-0.pack"], manifest.Packs.Keys);
        Assert.True(manifest.Packs.Values.Single().Written >= later);
        Assert.Equal(await SiteDigestsAsync(storage), manifest.Files);
        await AssertKeptAsync(storage, manifest);
        Assert.Contains(first.RunId, (await HistoryBlobsAsync(storage, SiteHistory.PacksPrefix)).Single(p => p != manifest.Packs.Keys.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_whose_pack_is_gone_are_read_back_from_the_site_and_packed_again()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        await storage.Storage.History.Container.DeleteBlobAsync($"{SiteHistory.PacksPrefix}{first.RunId}-0.pack");
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");

        storage.Log.Clear();
        var second = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));

        var readBack = storage.Log.Requests.Count(DownloadsFromSite);
        var manifest = (await storage.Storage.History.ReadManifestAsync(second.RunId, CancellationToken.None))!;
        Assert.Equal(await SiteDigestsAsync(storage), manifest.Files);
        Assert.Equal(manifest.Files.Count - second.Written, readBack);
        Assert.Equal([$"{SiteHistory.PacksPrefix}{second.RunId}-0.pack"], manifest.Packs.Keys);
        await AssertKeptAsync(storage, manifest);
    }

    /// <summary>Keeps <paramref name="site"/> as history did before packs: each file whole as <c>files/&lt;sha256&gt;</c>, and a manifest of paths and digests alone.</summary>
    private static async Task<string> KeepFileByFileAsync(TestStorage storage, SortedDictionary<string, string> site)
    {
        var web = await storage.ReadSiteAsync();
        foreach (var (path, sha) in site)
        {
            await storage.Storage.History.Container.GetBlobClient(SiteHistory.FilesPrefix + sha).UploadAsync(new BinaryData(web[path].Bytes), overwrite: true);
        }

        var runId = "20261130T115900Z-0ldlay0u";
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new { run_id = runId, recorded = TestContent.Now.AddMinutes(-1), files = site }, new JsonSerializerOptions { WriteIndented = true });
        await storage.Storage.History.Container.GetBlobClient($"{SiteHistory.RunsPrefix}{runId}.json").UploadAsync(new BinaryData(manifest), overwrite: true);
        return runId;
    }

    /// <summary>Fails the requests it matches while armed, before they reach the wire, with an error no retry repeats.</summary>
    private sealed class FailingRequests(Func<(string Method, Uri Uri), bool> matches) : HttpPipelinePolicy
    {
        public volatile bool Armed;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Check(HttpMessage message)
        {
            if (Armed && matches((message.Request.Method.ToString(), message.Request.Uri.ToUri())))
            {
                throw new InvalidOperationException("The storage account refused the request.");
            }
        }
    }
}
