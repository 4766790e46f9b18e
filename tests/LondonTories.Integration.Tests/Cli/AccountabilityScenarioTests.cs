using Azure.Core;
using Azure.Storage.Blobs.Models;
using LondonTories.Cli;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Cli;

/// <summary>
/// An agent approves a sponsored post, an editor changes it, the agent approves again; three
/// publishes later a rollback puts the first of them back, exactly, and the site then stays put:
/// all through the command line against Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountabilityScenarioTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly string _connection = azurite.NewAccount();
    private readonly TestClock _clock = new(TestContent.Now);

    public void Dispose() => _content.Dispose();

    private async Task<(int Exit, string Out, string Error)> RunAsync(TokenCredential? credential, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            if (credential is not null)
            {
                services.AddSingleton(credential);
            }
        });
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    private Task<(int Exit, string Out, string Error)> PublishAsync() => RunAsync(null, "publish", "--content", _content.Root, "--storage", _connection);

    private Task<(int Exit, string Out, string Error)> ApproveAsync() =>
        RunAsync(new AccountabilityCommandTests.SignedInAs(ApprovalTests.AgentId, "Priya Shah"), "approve", "winter-fuel", "--storage", _connection, "--content", _content.Root);

    private void WritePost(string text) => _content.Write("social/winter-fuel.md", $$"""
        ---
        schedule: 2026-11-30T11:00:00Z
        platforms: [facebook]
        link: topic-1
        sponsored:
          budget_gbp: 25
          end: 2026-12-07T21:00:00Z
        ---
        {{text}}
        """);

    private async Task<List<string>> RunIdsAsync()
    {
        var runs = await RunAsync(null, "runs", "--storage", _connection);
        Assert.Equal(0, runs.Exit);
        return [.. runs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1])];
    }

    private async Task<SortedDictionary<string, (string Sha256, string ETag)>> WebAsync(SiteStorage storage)
    {
        var files = new SortedDictionary<string, (string, string)>(StringComparer.Ordinal);
        var web = storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        await foreach (var blob in web.GetBlobsAsync(new GetBlobsOptions()))
        {
            var bytes = (await web.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
            files["web/" + blob.Name] = (Hashing.Sha256Hex(bytes), blob.Properties.ETag!.Value.ToString());
        }

        return files;
    }

    [Fact]
    public async Task Approve_edit_approve_again_publish_three_times_roll_back_to_the_first_and_stay_there()
    {
        var storage = new SiteStorage(StorageConnection.Parse(_connection), new StorageOptions());
        var approved = await ApproveAsync();
        Assert.Equal((0, "Priya Shah (campaign agent) approved the post 'winter-fuel' for all 3 of its seats, as it stands now.\n"), (approved.Exit, approved.Out));

        // Edited after the approval: held, and says so.
        WritePost("Winter fuel help for {{ constituency.name }}: apply by Friday.");
        var held = await PublishAsync();
        Assert.Equal(0, held.Exit);
        Assert.Contains("3 awaiting approval", held.Out, StringComparison.Ordinal);
        Assert.Contains("winter-fuel for 3 seats: awaiting approval (edited since it was approved); Priya Shah (campaign agent) or Sam Okafor (Battersea agent) may approve it.", held.Out, StringComparison.Ordinal);
        Assert.False(await storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer).ExistsAsync());
        Assert.EndsWith("  awaiting approval: post:winter-fuel", (await RunAsync(null, "runs", "--storage", _connection)).Out.Split('\n')[0], StringComparison.Ordinal);

        // Approved again as it stands: the next run sends it.
        Assert.Equal(0, (await ApproveAsync()).Exit);
        var sent = await PublishAsync();
        Assert.Contains("Social posts: 3 filed as documents under social/,", sent.Out, StringComparison.Ordinal);
        var approvals = await storage.Approvals.ReadAllAsync(CancellationToken.None);
        Assert.Equal(2, approvals.Count);
        Assert.Equal(2, approvals.Select(a => a.Digest).Distinct().Count());

        // Three publishes, each changing the site.
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, second version\n---\nSecond words for {{ constituency.name }}.\n");
        Assert.Equal(0, (await PublishAsync()).Exit);
        var first = (await RunIdsAsync())[0];
        var firstManifest = await storage.History.ReadManifestAsync(first, CancellationToken.None);
        _content.Write("pages/wrong.md", "---\ntitle: A page that should not exist\n---\nWrong for {{ constituency.name }}.\n");
        Assert.Equal(0, (await PublishAsync()).Exit);
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, wrong\n---\nWrong words.\n");
        Assert.Equal(0, (await PublishAsync()).Exit);
        var beforeRollback = await RunIdsAsync();
        Assert.Equal(first, beforeRollback[2]);
        Assert.Contains("web/battersea/wrong/index.html", (await WebAsync(storage)).Keys);

        var rollback = await RunAsync(null, "rollback", "--to", first, "--storage", _connection, "--content", _content.Root);
        Assert.Equal((0, string.Empty), (rollback.Exit, rollback.Error));
        Assert.StartsWith($"Rolled back to run {first}: ", rollback.Out, StringComparison.Ordinal);

        // $web is byte for byte what that run's manifest names, and nothing else.
        var web = await WebAsync(storage);
        Assert.NotNull(firstManifest);
        Assert.Equal(firstManifest.Files, new SortedDictionary<string, string>(web.ToDictionary(f => f.Key, f => f.Value.Sha256), StringComparer.Ordinal));

        // Nothing changed in the content: the next publish writes nothing, and no run is recorded.
        var pages = (await storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).Select(r => (r.RowKey, r.Sha256, r.LastPublished, r.Removed)).ToList();
        var runsBefore = await RunIdsAsync();
        var noOp = await PublishAsync();
        Assert.Equal(0, noOp.Exit);
        Assert.Contains("0 files written", noOp.Out, StringComparison.Ordinal);
        Assert.Equal(web, await WebAsync(storage));
        Assert.Equal(pages, (await storage.Ledger.ReadSeatAsync("battersea", CancellationToken.None)).Select(r => (r.RowKey, r.Sha256, r.LastPublished, r.Removed)));
        Assert.Equal(runsBefore, await RunIdsAsync());

        // runs lists the rollback first, with its trigger and who asked for it.
        var listed = (await RunAsync(null, "runs", "--storage", _connection)).Out.Split('\n')[0];
        Assert.Matches($@"^\S+ \S+Z  {runsBefore[0]}  rollback  {System.Text.RegularExpressions.Regex.Escape(Environment.UserName)}\s+published\s+\d+ written, \d+ unchanged, \d+ deleted$", listed);
    }
}
