using Azure.Storage.Blobs;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>
/// A run the site's fingerprint vouches for keeps a record of every blob it left; the next run that has
/// work to do reads that record instead of listing <c>$web</c> with its metadata, and leaves the site
/// exactly as a run that listed it would. A record that is gone or not the one the fingerprint names is
/// not trusted, and a forced run looks at every blob.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HeldRecordTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    public void Dispose() => _content.Dispose();

    private static BlobClient HeldRecord(TestStorage storage) =>
        storage.Storage.Blobs.GetBlobContainerClient(SiteHistory.ContainerName).GetBlobClient(BlobSiteTarget.HeldRecordBlob);

    private void Edit() => _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nweight: 3\n---\nTopic 3 has new words now.\n");

    // Every blob with its bytes and the digest and input key it carries.
    private static async Task<List<(string Path, string Bytes, string? Sha256, string? InputKey)>> SiteOf(TestStorage storage) =>
        [.. (await storage.ReadSiteAsync()).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (
            b.Key,
            Convert.ToHexStringLower(b.Value.Bytes),
            b.Value.Metadata.TryGetValue(BlobSiteTarget.Sha256Metadata, out var sha) ? sha : null,
            b.Value.Metadata.TryGetValue(BlobSiteTarget.InputKeyMetadata, out var key) ? key : null))];

    [Fact]
    public async Task An_edit_reads_the_record_the_last_run_kept_instead_of_listing_and_leaves_the_site_as_a_listing_run_would()
    {
        await using var recorded = new TestStorage(azurite);
        await using var listed = new TestStorage(azurite);
        await recorded.PublishAsync(_content);
        await listed.PublishAsync(_content);
        Assert.True((await HeldRecord(recorded).ExistsAsync()).Value);
        // Gone, as after a history container emptied by hand: this site's next run lists.
        await HeldRecord(listed).DeleteAsync();
        Edit();

        recorded.Log.Clear();
        listed.Log.Clear();
        var fromRecord = await recorded.PublishAsync(_content);
        var fromListing = await listed.PublishAsync(_content);

        Assert.DoesNotContain(recorded.Log.Requests, RequestLog.ListsSite);
        Assert.Contains(listed.Log.Requests, RequestLog.ListsSite);
        Assert.True(fromRecord.Written > 0);
        Assert.Equal(fromListing.Result!.WrittenPaths.ToArray(), fromRecord.Result!.WrittenPaths.ToArray());
        Assert.Equal(recorded.Log.BlobPuts(SiteStorage.WebContainer).Order(StringComparer.Ordinal), listed.Log.BlobPuts(SiteStorage.WebContainer).Order(StringComparer.Ordinal));
        Assert.Equal(await SiteOf(listed), await SiteOf(recorded));

        // Each kept a record of what it left, which the next edit reads.
        _content.Write("pages/topic-1.md", "---\ntitle: Topic 1 again\nweight: 1\n---\nOther words.\n");
        recorded.Log.Clear();
        listed.Log.Clear();
        Assert.Equal((await listed.PublishAsync(_content)).Result!.WrittenPaths.ToArray(), (await recorded.PublishAsync(_content)).Result!.WrittenPaths.ToArray());
        Assert.DoesNotContain(recorded.Log.Requests, RequestLog.ListsSite);
        Assert.DoesNotContain(listed.Log.Requests, RequestLog.ListsSite);
        Assert.Equal(await SiteOf(listed), await SiteOf(recorded));
    }

    [Fact]
    public async Task A_record_other_than_the_one_the_fingerprint_names_is_not_trusted()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        // Another version of the record, as a run stopped before its fingerprint could name it would leave: it claims an empty site.
        await HeldRecord(storage).UploadAsync(new BinaryData(Gzip("{\"format\":2,\"files\":[]}"u8.ToArray())), overwrite: true);
        Edit();

        storage.Log.Clear();
        var run = await storage.PublishAsync(_content);

        Assert.Contains(storage.Log.Requests, RequestLog.ListsSite);
        // Only what the edit changed: an empty record taken at its word would have rewritten every page.
        Assert.Contains("web/battersea/topic-3/index.html", run.Result!.WrittenPaths);
        Assert.DoesNotContain("web/battersea/topic-1/index.html", run.Result.WrittenPaths);
    }

    [Fact]
    public async Task A_forced_run_looks_at_every_blob_and_puts_back_one_removed_by_hand()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        await storage.Web.GetBlobClient("battersea/topic-1/index.html").DeleteAsync();
        Edit();

        // The record vouches for the site as the last run left it, as the fingerprint does for a run with nothing to do.
        var trusted = await storage.PublishAsync(_content);
        Assert.DoesNotContain("web/battersea/topic-1/index.html", trusted.Result!.WrittenPaths);

        storage.Log.Clear();
        var forced = await storage.PublishAsync(_content, force: true);

        Assert.Contains(storage.Log.Requests, RequestLog.ListsSite);
        Assert.Equal(["web/battersea/topic-1/index.html"], forced.Result!.WrittenPaths.ToArray());
        Assert.True((await storage.Web.GetBlobClient("battersea/topic-1/index.html").ExistsAsync()).Value);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }
}
