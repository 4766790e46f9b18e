using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class BlobPublishingTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Publish_puts_every_file_of_the_site_in_web_with_its_headers_and_digest()
    {
        await using var storage = new TestStorage(azurite);
        var expected = await TestStorage.ExpectedSiteAsync(_content);

        var run = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, run.Outcome);
        var site = await storage.ReadSiteAsync();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), site.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, bytes) in expected)
        {
            var (blobBytes, properties, metadata) = site[path];
            Assert.Equal(bytes, blobBytes);
            Assert.Equal(MediaTypes.For(path), properties.ContentType);
            Assert.Equal(MediaTypes.CacheControlFor(path), properties.CacheControl);
            Assert.Equal(MD5.HashData(bytes), properties.ContentHash);
            Assert.Equal(Hashing.Sha256Hex(bytes), metadata[BlobSiteTarget.Sha256Metadata]);
        }

        Assert.Equal("text/html; charset=utf-8", site["web/battersea/topic-1/index.html"].Properties.ContentType);
        Assert.Contains(BlobSiteTarget.InputKeyMetadata, site["web/battersea/topic-1/index.html"].Metadata.Keys);
        Assert.Contains("web/bethnal-green/bn/topic-1/index.html", site.Keys);
        Assert.DoesNotContain(site.Keys, k => k.Contains("draft", StringComparison.Ordinal) || k.Contains("embargoed", StringComparison.Ordinal));
        Assert.DoesNotContain(site.Values, v => Encoding.UTF8.GetString(v.Bytes).Contains("Secret draft text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_run_with_nothing_changed_writes_nothing()
    {
        await using var storage = new TestStorage(azurite);
        var first = await storage.PublishAsync(_content);
        Assert.True(first.Written > 20);
        Assert.NotEmpty(storage.Log.Writes);

        storage.Log.Clear();
        var second = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, second.Outcome);
        Assert.Equal(0, second.Written);
        Assert.Equal(0, second.Deleted);
        Assert.Equal(0, second.LedgerChanges);
        Assert.Empty(storage.Log.Writes);
        // One listing per container and one ledger query, not a request per blob.
        Assert.True(storage.Log.Requests.Count(r => r.Method == "GET") <= 4, string.Join('\n', storage.Log.Requests));
    }

    [Fact]
    public async Task The_target_reads_every_blob_of_both_containers_with_its_digest_and_one_put_there_by_hand_without_one()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        // Put there by hand: at the top, and deep in a folder of its own; neither carries a digest.
        await storage.Web.GetBlobClient("by-hand.txt").UploadAsync(new BinaryData("x"u8.ToArray()));
        await storage.Web.GetBlobClient("extra/a/b/c.txt").UploadAsync(new BinaryData("y"u8.ToArray()));
        var social = storage.Storage.Blobs.GetBlobContainerClient("social");
        await social.CreateIfNotExistsAsync();
        await social.GetBlobClient("2026-12-07/post.json").UploadAsync(new BinaryData("{}"u8.ToArray()));
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (container, segment) in new[] { (storage.Web, "web"), (social, "social") })
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                expected[$"{segment}/{blob.Name}"] = blob.Metadata.TryGetValue(BlobSiteTarget.Sha256Metadata, out var sha) ? sha : string.Empty;
            }
        }

        var held = await storage.Storage.CreateTarget().ReadAsync(CancellationToken.None);

        Assert.Contains(expected.Keys, k => k.StartsWith("social/", StringComparison.Ordinal));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), held.Select(h => KeyValuePair.Create(h.Key, h.Value.Sha256)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(string.Empty, held["web/extra/a/b/c.txt"].Sha256);
        Assert.Equal(Hashing.Sha256Hex((await storage.ReadSiteAsync())["web/index.html"].Bytes), held["web/index.html"].Sha256);
    }

    [Fact]
    public async Task Editing_one_page_uploads_only_that_page_and_the_indexes_that_name_its_digest()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        _content.Write("pages/topic-3.md", """
            ---
            title: "Topic 3 in {{ constituency.name }}"
            summary: What we do about topic 3.
            weight: 3
            ---
            Topic 3 has new words now.
            """);

        storage.Log.Clear();
        var run = await storage.PublishAsync(_content);

        var puts = storage.Log.BlobPuts(SiteStorage.WebContainer).Order(StringComparer.Ordinal).ToList();
        var pages = new[] { "battersea/topic-3/", "bethnal-green/topic-3/", "bromley/topic-3/" }.SelectMany(p => new[] { p + "index.html", p + "fragment.html" });
        var seats = new[] { "battersea/", "bethnal-green/", "bromley/" }.SelectMany(s => new[] { s + "pages.json", s + "feed.atom", s + "feed.json" });
        var indexes = seats.Concat(["feed.atom", "feed.json", "manifest.json"]);
        Assert.Equal(pages.Concat(indexes).Order(StringComparer.Ordinal), puts);
        Assert.Equal(puts.Count, run.Written);
        Assert.Equal("manifest.json", storage.Log.BlobPuts(SiteStorage.WebContainer)[^1]);
        var site = await storage.ReadSiteAsync();
        Assert.Contains("Topic 3 has new words now.", Encoding.UTF8.GetString(site["web/bromley/topic-3/index.html"].Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_rendered_again_to_the_same_bytes_is_not_uploaded_again_and_its_new_inputs_are_kept_in_its_metadata()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var before = await storage.ReadSiteAsync();

        // A value no layout shows: the page's inputs change, its bytes do not.
        _content.Write("pages/topic-3.md", """
            ---
            title: "Topic 3 in {{ constituency.name }}"
            summary: What we do about topic 3.
            weight: 3
            params:
              reviewed_by: the policy team
            ---
            Topic 3 matters in {{ constituency.boroughs | array.join ", " }}.

            ::: audience tag:outer-london
            Outer London residents see this paragraph.
            :::
            """);
        storage.Log.Clear();
        var run = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, run.Outcome);
        Assert.Equal(0, run.Written);
        var writes = storage.Log.Writes.Where(w => w.Uri.AbsolutePath.Contains($"/{SiteStorage.WebContainer}/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Equal(("PUT", "?comp=metadata"), (w.Method, w.Uri.Query)));
        var after = await storage.ReadSiteAsync();
        const string path = "web/bromley/topic-3/index.html";
        Assert.Equal(before[path].Bytes, after[path].Bytes);
        Assert.Equal(before[path].Properties.ContentType, after[path].Properties.ContentType);
        Assert.Equal(before[path].Metadata[BlobSiteTarget.Sha256Metadata], after[path].Metadata[BlobSiteTarget.Sha256Metadata]);
        Assert.NotEqual(before[path].Metadata[BlobSiteTarget.InputKeyMetadata], after[path].Metadata[BlobSiteTarget.InputKeyMetadata]);
        Assert.Equal(before["web/bromley/topic-2/index.html"].Metadata, after["web/bromley/topic-2/index.html"].Metadata);
    }

    [Fact]
    public async Task Removing_a_page_deletes_its_blobs_after_the_new_manifest_is_in_place()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        _content.Delete("pages/topic-4.md");

        storage.Log.Clear();
        var run = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, run.Outcome);
        // Three pages, each with its fragment.
        Assert.Equal(6, run.Deleted);
        var site = await storage.ReadSiteAsync();
        Assert.DoesNotContain(site.Keys, k => k.Contains("topic-4", StringComparison.Ordinal));
        Assert.Equal((await TestStorage.ExpectedSiteAsync(_content)).Keys.Order(StringComparer.Ordinal), site.Keys.Order(StringComparer.Ordinal));
        var writes = storage.Log.Writes.Select(w => (w.Method, Path: w.Uri.AbsolutePath)).ToList();
        var manifest = writes.FindIndex(w => w.Method == "PUT" && w.Path.EndsWith("/manifest.json", StringComparison.Ordinal));
        var firstDelete = writes.FindIndex(w => w.Method == "DELETE");
        Assert.InRange(manifest, 0, firstDelete - 1);
    }

    [Fact]
    public async Task The_deletion_guard_refuses_a_run_that_would_delete_too_much_and_force_overrides_it()
    {
        await using var storage = new TestStorage(azurite);
        await storage.PublishAsync(_content);
        var before = await storage.ReadSiteAsync();
        for (var i = 2; i <= 4; i++)
        {
            _content.Delete($"pages/topic-{i}.md");
        }

        storage.Log.Clear();
        var refused = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Refused, refused.Outcome);
        Assert.Contains("--force", refused.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(storage.Log.Writes, w => !w.Uri.AbsolutePath.Contains(SiteStorage.LedgerTable, StringComparison.Ordinal));
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), (await storage.ReadSiteAsync()).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PublishRun.Refused, (await storage.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].Outcome);

        var forced = await storage.PublishAsync(_content, force: true);

        Assert.Equal(PublishRun.Published, forced.Outcome);
        Assert.Equal(18, forced.Deleted);
        Assert.DoesNotContain((await storage.ReadSiteAsync()).Keys, k => k.Contains("topic-2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("web/x/../../../../pwned.txt")]
    [InlineData(@"web/x\..\..\pwned.txt")]
    [InlineData("web/./pwned.txt")]
    [InlineData("web//pwned.txt")]
    [InlineData("web/pwned/")]
    public async Task A_path_that_names_no_single_blob_is_refused_before_any_request(string path)
    {
        await using var storage = new TestStorage(azurite);
        var target = storage.Storage.CreateTarget();
        var file = OutputFile.From(path, "pwned"u8.ToArray());

        var writes = new Func<Task>[]
        {
            () => target.WriteAsync(file, CancellationToken.None),
            () => target.CreateOnceAsync(file, "run", CancellationToken.None),
            () => target.RekeyAsync(file, CancellationToken.None),
            () => target.DeleteAsync(path, CancellationToken.None),
        };
        foreach (var write in writes)
        {
            var error = await Assert.ThrowsAsync<UnsafeOutputPathException>(write);
            Assert.IsAssignableFrom<IOException>(error);
            Assert.Contains($"'{path}' does not name one blob", error.Message);
        }

        Assert.Empty(storage.Log.Requests);
    }

    public void Dispose() => _content.Dispose();
}
