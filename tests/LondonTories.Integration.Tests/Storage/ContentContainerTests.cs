using Azure.Storage.Blobs.Specialized;
using LondonTories.Cli;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Storage;

/// <summary><c>push</c> and <c>publish --storage / --content-storage</c> through the CLI, as editors run them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ContentContainerTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task Push_uploads_the_content_folder_then_only_what_changed_and_deletes_what_was_removed()
    {
        await using var storage = new TestStorage(azurite);
        var (code, output, _) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("9 uploaded, 0 unchanged, 0 deleted", output, StringComparison.Ordinal);
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.ContentContainer);
        var pushed = await container.GetBlobClient("pages/topic-1.md").DownloadContentAsync();
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_content.Root, "pages/topic-1.md")), pushed.Value.Content.ToArray());

        _content.Write("pages/topic-2.md", "---\ntitle: Changed\n---\nChanged.\n");
        _content.Delete("pages/draft.md");
        storage.Log.Clear();
        (code, output, _) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("1 uploaded, 7 unchanged, 1 deleted", output, StringComparison.Ordinal);
        Assert.Equal(["pages/topic-2.md"], storage.Log.BlobPuts(SiteStorage.ContentContainer));
        Assert.False(await container.GetBlobClient("pages/draft.md").ExistsAsync());
    }

    [Fact]
    public async Task Publish_from_the_content_container_renders_the_same_site_as_from_the_folder()
    {
        await using var storage = new TestStorage(azurite);
        await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);

        var (code, output, errors) = await CliAsync(storage, ["publish", "--content-storage", storage.ConnectionString, "--storage", storage.ConnectionString, "--now", "2026-11-30T12:00:00Z"]);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("files written", output, StringComparison.Ordinal);
        var expected = await TestStorage.ExpectedSiteAsync(_content);
        var site = await storage.ReadSiteAsync();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), site.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, site[e.Key].Bytes));
    }

    [Fact]
    public async Task Content_errors_in_the_container_name_the_blob_and_publish_nothing()
    {
        await using var storage = new TestStorage(azurite);
        _content.Write("pages/broken.md", "---\ntitle: [unclosed\n---\nBody.\n");
        // push itself refuses content with errors; a container can still hold some, put there by other tools.
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), storage.Storage, CancellationToken.None);
        storage.Log.Clear();

        var (code, _, errors) = await CliAsync(storage, ["publish", "--content-storage", storage.ConnectionString, "--storage", storage.ConnectionString]);

        Assert.Equal(ExitCodes.ContentErrors, code);
        // The seat publishing in Bengali without strings/bn.yaml adds a warning; the error is what matters here.
        Assert.Contains(errors.Split('\n'), line => line.StartsWith("content/pages/broken.md:3:1: error: invalid YAML", StringComparison.Ordinal));
        Assert.DoesNotContain(storage.Log.Writes, w => w.Uri.AbsolutePath.Contains("/$web/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Content_in_the_container_past_what_a_site_may_hold_is_not_downloaded_and_the_run_says_so_once()
    {
        await using var storage = new TestStorage(azurite);
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), storage.Storage, CancellationToken.None);
        // Three hundred blobs of just over a mebibyte each, past the 256 MiB a site's content may hold:
        // page blobs, which have their size from the start and hold nothing until written.
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.ContentContainer);
        await Parallel.ForAsync(0, 300, async (i, ct) =>
            await container.GetPageBlobClient($"pages/exported/p{i:000}.md").CreateAsync(ContentFile.MaxBytes + 512, cancellationToken: ct));
        storage.Log.Clear();

        var (code, _, errors) = await CliAsync(storage, ["publish", "--content-storage", storage.ConnectionString, "--storage", storage.ConnectionString]);

        Assert.Equal(ExitCodes.ContentErrors, code);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        var error = Assert.Single(errors.Split('\n'), line => line.Contains(": error: ", StringComparison.Ordinal));
        Assert.StartsWith("content/pages/exported:1:1: error: the content holds 300 MiB", error, StringComparison.Ordinal);
        Assert.Contains("[content-too-large]", error, StringComparison.Ordinal);
        // The site's own files and the pages within the budget are read, nothing beyond it.
        var downloaded = storage.Log.Requests.Count(r => r.Method == "GET" && r.Uri.AbsolutePath.Contains("/pages/exported/", StringComparison.Ordinal));
        Assert.InRange(downloaded, 1, (int)(ContentFile.MaxTotalBytes / ContentFile.MaxBytes));
        Assert.DoesNotContain(storage.Log.Writes, w => w.Uri.AbsolutePath.Contains("/$web/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sample_content_publishes_to_storage_and_a_second_run_reports_zero_writes()
    {
        await using var storage = new TestStorage(azurite);
        var sample = Path.Combine(AzuriteServer.RepositoryRoot(), "content");

        var (code, output, errors) = await CliAsync(storage, ["publish", "--storage", storage.ConnectionString, "--content", sample]);
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Matches(@"for 75 constituencies: [1-9][\d,]* files written", output);

        storage.Log.Clear();
        (code, output, errors) = await CliAsync(storage, ["publish", "--storage", storage.ConnectionString, "--content", sample]);

        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains(" 0 files written", output, StringComparison.Ordinal);
        Assert.Contains(" 0 deleted", output, StringComparison.Ordinal);
        Assert.Empty(storage.Log.Writes);
    }

    [Theory]
    [InlineData("not a connection", "not a storage connection string")]
    [InlineData("https://example.org/", "cannot tell the table endpoint")]
    public async Task A_bad_connection_is_a_usage_error_that_says_what_to_give(string connection, string message)
    {
        await using var storage = new TestStorage(azurite);

        var (code, _, errors) = await CliAsync(storage, ["publish", "--storage", connection, "--content", _content.Root]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_account_is_a_storage_failure_without_a_stack_trace()
    {
        await using var storage = new TestStorage(azurite);
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=nobody;AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://127.0.0.1:9/nobody;TableEndpoint=http://127.0.0.1:9/nobody;";

        var (code, _, errors) = await CliAsync(storage, ["push", "--storage", unreachable, "--content", _content.Root], options => options.MaxRetries = 0);

        Assert.Equal(ExitCodes.StorageFailure, code);
        Assert.StartsWith("error: could not reach the storage account", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("trying again", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_that_does_not_answer_is_said_so_once_while_the_command_still_tries()
    {
        await using var storage = new TestStorage(azurite);
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=nobody;AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://127.0.0.1:9/nobody;TableEndpoint=http://127.0.0.1:9/nobody;";

        var (code, _, errors) = await CliAsync(storage, ["push", "--storage", unreachable, "--content", _content.Root], options =>
        {
            options.MaxRetries = 3;
            options.RetryDelay = TimeSpan.FromMilliseconds(10);
        });

        Assert.Equal(ExitCodes.StorageFailure, code);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("The storage account does not answer (", lines[0], StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("trying again for up to 1 s. Check the account in the connection string; Ctrl+C stops.", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, errors, StringComparison.Ordinal);
        Assert.StartsWith("error: could not reach the storage account", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_checks_the_content_first_and_a_folder_holding_only_site_yaml_deletes_nothing()
    {
        await using var storage = new TestStorage(azurite);
        Assert.Equal(ExitCodes.Success, (await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root])).Code);
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.ContentContainer);
        var before = await ListAsync(container);
        var lonely = Directory.CreateTempSubdirectory("londontories-lonely-").FullName;
        File.Copy(Path.Combine(_content.Root, "site.yaml"), Path.Combine(lonely, "site.yaml"));
        storage.Log.Clear();

        var (code, output, errors) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", lonely]);

        Assert.Equal(ExitCodes.ContentErrors, code);
        Assert.Contains($"{lonely}/constituencies.yaml:1:1: error: constituencies.yaml is missing.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Pushed", output, StringComparison.Ordinal);
        Assert.Empty(storage.Log.Writes);
        Assert.Equal(before, await ListAsync(container));
        Directory.Delete(lonely, recursive: true);
    }

    [Fact]
    public async Task Push_refuses_to_delete_much_of_the_container_unless_forced()
    {
        await using var storage = new TestStorage(azurite);
        await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.ContentContainer);
        var before = await ListAsync(container);
        foreach (var page in new[] { "pages/topic-2.md", "pages/topic-3.md", "pages/topic-4.md" })
        {
            _content.Delete(page);
        }

        var (code, _, errors) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);

        Assert.Equal(ExitCodes.ContentErrors, code);
        Assert.Contains("error: this push would delete 3 of the 9 content files in the container (33%), more than the 25% allowed; nothing was pushed. If that is intended, push again with --force.", errors, StringComparison.Ordinal);
        Assert.Equal(before, await ListAsync(container));

        var (forced, output, _) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root, "--force"]);
        Assert.Equal(ExitCodes.Success, forced);
        Assert.Contains("0 uploaded, 6 unchanged, 3 deleted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_never_uploads_what_a_link_points_to()
    {
        await using var storage = new TestStorage(azurite);
        var secret = Path.Combine(Path.GetTempPath(), $"londontories-secret-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "SECRET=hunter2\n");
        Directory.CreateDirectory(Path.Combine(_content.Root, "static"));
        File.CreateSymbolicLink(Path.Combine(_content.Root, "static", "env.txt"), secret);

        var (code, _, errors) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);

        File.Delete(secret);
        Assert.Equal(ExitCodes.ContentErrors, code);
        Assert.Contains($"{_content.Root}/static/env.txt:1:1: error: 'static/env.txt' is a link to '{secret}'", errors, StringComparison.Ordinal);
        Assert.Empty(storage.Log.Writes);
    }

    [Fact]
    public async Task Push_deletes_what_was_removed_before_it_uploads_so_a_renamed_file_never_stands_under_both_names()
    {
        await using var storage = new TestStorage(azurite);
        _content.Write("social/winter-fuel.md", "---\nschedule: 2026-12-24T09:00\nplatforms: [bluesky]\n---\nWinter fuel help is here.\n");
        await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);
        _content.Delete("social/winter-fuel.md");
        _content.Write("social/winter-fuel-help.md", "---\nschedule: 2026-12-24T09:00\nplatforms: [bluesky]\n---\nWinter fuel help is here.\n");
        storage.Log.Clear();

        var (code, output, _) = await CliAsync(storage, ["push", "--storage", storage.ConnectionString, "--content", _content.Root]);

        // A run that read the container between the two would find the post under both names, and send it twice.
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("1 uploaded", output, StringComparison.Ordinal);
        var writes = storage.Log.Writes.Select(w => (w.Method, Name: Uri.UnescapeDataString(w.Uri.AbsolutePath))).ToList();
        var deleted = writes.FindIndex(w => w.Method == "DELETE" && w.Name.EndsWith("/content/social/winter-fuel.md", StringComparison.Ordinal));
        var uploaded = writes.FindIndex(w => w.Method == "PUT" && w.Name.EndsWith("/content/social/winter-fuel-help.md", StringComparison.Ordinal));
        Assert.True(deleted >= 0 && uploaded >= 0, string.Join(", ", writes));
        Assert.True(deleted < uploaded, $"uploaded at request {uploaded}, deleted only at {deleted}");
    }

    private static async Task<Dictionary<string, string>> ListAsync(Azure.Storage.Blobs.BlobContainerClient container)
    {
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync())
        {
            blobs[blob.Name] = blob.Properties.ETag.ToString()!;
        }

        return blobs;
    }

    public void Dispose() => _content.Dispose();

    private static readonly TestClock Clock = new(TestContent.Now);

    /// <summary>Runs the CLI in process, with the test's request log on its storage clients.</summary>
    private static async Task<(int Code, string Output, string Errors)> CliAsync(TestStorage storage, string[] args, Action<StorageOptions>? configure = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, configure: services =>
        {
            // The clock at the content's moment (storage refuses a --now ahead of the clock), one for every
            // run so that time only moves forward between them, as a real clock's does.
            services.AddSingleton<TimeProvider>(Clock);
            var options = new StorageOptions();
            options.Policies.Add((storage.Log, Azure.Core.HttpPipelinePosition.PerRetry));
            configure?.Invoke(options);
            services.AddSingleton(options);
        });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
