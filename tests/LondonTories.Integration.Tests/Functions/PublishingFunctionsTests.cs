using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>The functions that publish, invoked through the app's own wiring against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishingFunctionsTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = new();

    [Fact]
    public async Task ScheduledPublish_publishes_what_falls_due_and_removes_what_expired_catching_up_when_past_due()
    {
        _content.Write("pages/expiring.md", "---\ntitle: Offer ends soon\nexpire_at: 2026-12-01T09:00\n---\nUntil tomorrow morning.\n");
        var clock = new TestClock(TestContent.Now);
        await using var app = new FunctionsApp(azurite.NewAccount(), clock);
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        var function = app.Create<ScheduledPublish>();

        await function.Run(new TimerInfo { IsPastDue = false }, CancellationToken.None);

        Assert.True(await app.Storage.Blobs.GetBlobContainerClient("$web").GetBlobClient("battersea/expiring/index.html").ExistsAsync());
        Assert.False(await app.Storage.Blobs.GetBlobContainerClient("$web").GetBlobClient("battersea/embargoed/index.html").ExistsAsync());

        // The next ticks were missed; the one that comes is a day late.
        clock.Shift = TimeSpan.FromDays(1);
        await function.Run(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        var web = app.Storage.Blobs.GetBlobContainerClient("$web");
        Assert.True(await web.GetBlobClient("battersea/embargoed/index.html").ExistsAsync());
        Assert.False(await web.GetBlobClient("battersea/expiring/index.html").ExistsAsync());
        var runs = await app.Storage.Ledger.ReadRunsAsync(5, CancellationToken.None);
        Assert.Equal(["schedule", "schedule"], runs.Select(r => r.Trigger));
        Assert.Equal(6, runs[0].Deleted);
    }

    [Fact]
    public async Task A_late_timer_tick_sends_the_posts_within_SOCIAL_GRACE_PERIOD_and_marks_older_ones_missed()
    {
        _content.Write("social/half-hour-late.md", "---\nschedule: 2026-11-30T11:30:00Z\nplatforms: [facebook]\naudience: [battersea]\n---\nStill in time.\n");
        _content.Write("social/two-hours-late.md", "---\nschedule: 2026-11-30T10:00:00Z\nplatforms: [facebook]\naudience: [battersea]\n---\nToo late.\n");
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now), new Dictionary<string, string?> { ["SOCIAL_GRACE_PERIOD"] = "01:00:00" });
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);

        await app.Create<ScheduledPublish>().Run(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        var social = app.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
        Assert.True(await social.GetBlobClient("2026/11/30/half-hour-late/battersea.json").ExistsAsync());
        Assert.False(await social.GetBlobClient("2026/11/30/two-hours-late/battersea.json").ExistsAsync());
        var ledger = await app.Storage.SocialLedger.ReadAllAsync(CancellationToken.None);
        Assert.Equal("published", ledger[("half-hour-late", "battersea")].Status);
        Assert.Equal("missed", ledger[("two-hours-late", "battersea")].Status);
    }

    [Fact]
    public async Task ContentChanged_publishes_the_change_an_editor_pushed()
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        _content.Write("pages/topic-2.md", "---\ntitle: \"Topic 2 in {{ constituency.name }}\"\nsummary: What we do about topic 2.\nweight: 2\n---\nFreshly edited words.\n");
        var pushed = await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        var blob = app.Storage.Content.Container.GetBlobClient(Assert.Single(pushed.UploadedPaths));

        app.Log.Clear();
        await app.Create<ContentChanged>().Run(blob, CancellationToken.None);

        var page = await app.Storage.Blobs.GetBlobContainerClient("$web").GetBlobClient("bromley/topic-2/index.html").DownloadContentAsync();
        Assert.Contains("Freshly edited words.", page.Value.Content.ToString(), StringComparison.Ordinal);
        Assert.Equal("content", (await app.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].Trigger);
        // The sitemap's lastmod is to the second, so whether it changes depends on when in the second the runs fell.
        Assert.Equal(18, app.Log.BlobPuts("$web").Count(p => p != "sitemap.xml"));
    }

    [Fact]
    public async Task Publish_answers_with_the_run_summary_as_JSON()
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        var request = app.Request("POST", "/api/publish");

        var response = await FunctionsApp.SendAsync(request, await app.Create<Publish>().Run(request, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal("published", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("http", json.RootElement.GetProperty("trigger").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("seats").GetInt32());
        Assert.True(json.RootElement.GetProperty("written").GetInt32() > 20);
        Assert.False(json.RootElement.TryGetProperty("result", out _));
    }

    [Theory]
    [InlineData(null, "function key")]
    [InlineData("True", "Rachel Denholm")]
    public async Task The_run_ledger_names_a_signed_in_user_only_when_sign_in_vouches_for_the_headers(string? signIn, string expected)
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now), new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = signIn });
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        // Without App Service authentication nothing strips these from a caller's request: whoever holds the key could name anyone.
        var headers = new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL-ID"] = "00000000-0000-0000-0000-000000000001", ["X-MS-CLIENT-PRINCIPAL-NAME"] = "Rachel Denholm" };

        await app.Create<Publish>().Run(app.Request("POST", "/api/publish", headers: headers), CancellationToken.None);
        var published = await app.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None);
        await app.Create<Rollback>().Run(app.Request("POST", $"/api/rollback?to={published[0].RunId}", headers: headers), CancellationToken.None);

        var runs = await app.Storage.Ledger.ReadRunsAsync(2, CancellationToken.None);
        Assert.Equal(["rollback", "http"], runs.Select(r => r.Trigger));
        Assert.All(runs, run => Assert.Equal(expected, run.RequestedBy));
    }

    [Theory]
    [InlineData("not JSON at all")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"run_id\": \"x\", \"recorded\": \"2026-11-30T12:00:00Z\", \"files\": {\"web/index.html\": null}}")]
    [InlineData("{\"run_id\": \"x\", \"recorded\": \"2026-11-30T12:00:00Z\", \"files\": {}, \"kept\": null}")]
    [InlineData("cut short")]
    public async Task A_rollback_to_a_run_whose_history_cannot_be_read_is_409_naming_the_run_and_changes_nothing(string manifest)
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        var first = (await app.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].RunId;
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        var blob = app.Storage.History.Container.GetBlobClient($"{SiteHistory.RunsPrefix}{first}.json");
        var kept = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        // Written as plain JSON, as manifests recorded before packs were; the last one is the real manifest's gzip cut in half.
        await blob.UploadAsync(new BinaryData(manifest == "cut short" ? kept[..(kept.Length / 2)] : System.Text.Encoding.UTF8.GetBytes(manifest)), overwrite: true);
        var web = app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        async Task<string> SiteAsync() => string.Join('\n', await web.GetBlobsAsync().Select(b => $"{b.Name} {b.Properties.ETag}").ToListAsync())
            + string.Join(',', (await web.GetPropertiesAsync()).Value.Metadata.Select(m => $"{m.Key}={m.Value}").Order());
        var before = await SiteAsync();

        var request = app.Request("POST", $"/api/rollback?to={first}");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Rollback>().Run(request, CancellationToken.None));

        Assert.True(409 == response.Status, response.Text);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(PublishRun.Refused, json.RootElement.GetProperty("outcome").GetString());
        Assert.StartsWith($"History's record of run {first} cannot be read", json.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", json.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SiteAsync());
        Assert.Equal(2, (await app.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("../outside.html")]
    [InlineData("social/2026/11/30/post/battersea.json")]
    [InlineData("web/../history/latest")]
    [InlineData("web//index.html")]
    [InlineData("web/battersea\\index.html")]
    public async Task A_rollback_to_a_run_whose_manifest_names_a_file_outside_the_site_is_409_and_changes_nothing(string path)
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        var first = await PublishedTwiceAsync(app);
        // Its bytes kept where history keeps them, so only the path is wrong.
        await KeptInManifestAsync(app, first, path, "<p>not the site's</p>");
        var before = await SiteAsync(app);

        var request = app.Request("POST", $"/api/rollback?to={first}");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Rollback>().Run(request, CancellationToken.None));

        Assert.True(409 == response.Status, response.Text);
        var summary = JsonDocument.Parse(response.Body).RootElement.GetProperty("summary").GetString()!;
        Assert.StartsWith($"History's record of run {first} cannot be read", summary, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", summary, StringComparison.Ordinal);
        Assert.Equal(before, await SiteAsync(app));
        Assert.False(await app.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer).GetBlobClient("2026/11/30/post/battersea.json").ExistsAsync());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"constituency\": {\"slug\": \"battersea\"}, \"pages\": [{\"slug\": \"x\"}]}")]
    [InlineData("{\"constituency\": {\"slug\": 7}, \"pages\": []}")]
    [InlineData("[1, 2]")]
    [InlineData("not JSON")]
    public async Task A_rollback_to_a_run_whose_page_list_cannot_be_read_is_409_before_anything_changes(string pageList)
    {
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        var first = await PublishedTwiceAsync(app);
        // A page list of another shape (as a release long gone might have written one), kept byte for byte.
        await KeptInManifestAsync(app, first, "web/battersea/pages.json", pageList);
        var before = await SiteAsync(app);

        var request = app.Request("POST", $"/api/rollback?to={first}");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Rollback>().Run(request, CancellationToken.None));

        Assert.True(409 == response.Status, response.Text);
        var summary = JsonDocument.Parse(response.Body).RootElement.GetProperty("summary").GetString()!;
        Assert.Contains("web/battersea/pages.json", summary, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", summary, StringComparison.Ordinal);
        Assert.Equal(before, await SiteAsync(app));
        Assert.Equal(2, (await app.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None)).Count);
    }

    /// <summary>Publishes the content, rewrites a page and publishes again; the first run's id.</summary>
    private async Task<string> PublishedTwiceAsync(FunctionsApp app)
    {
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        var first = (await app.Storage.Ledger.ReadRunsAsync(1, CancellationToken.None))[0].RunId;
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        return first;
    }

    /// <summary>
    /// Names <paramref name="text"/> at <paramref name="path"/> in the run's manifest, its bytes kept in history
    /// under their digest; the manifest is written back as plain JSON, as manifests recorded before packs were.
    /// </summary>
    private static async Task KeptInManifestAsync(FunctionsApp app, string runId, string path, string text)
    {
        var blob = app.Storage.History.Container.GetBlobClient($"{SiteHistory.RunsPrefix}{runId}.json");
        System.Text.Json.Nodes.JsonObject manifest;
        await using (var gzip = new System.IO.Compression.GZipStream((await blob.DownloadContentAsync()).Value.Content.ToStream(), System.IO.Compression.CompressionMode.Decompress))
        {
            manifest = (System.Text.Json.Nodes.JsonObject)(await System.Text.Json.Nodes.JsonNode.ParseAsync(gzip))!;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        await app.Storage.History.Container.GetBlobClient(SiteHistory.FilesPrefix + sha).UploadAsync(new BinaryData(bytes), overwrite: true);
        manifest["files"]![path] = sha;
        await blob.UploadAsync(new BinaryData(manifest.ToJsonString()), overwrite: true);
    }

    /// <summary>Every blob of the site with its ETag, and the container's metadata.</summary>
    private static async Task<string> SiteAsync(FunctionsApp app)
    {
        var web = app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        return string.Join('\n', await web.GetBlobsAsync().Select(b => $"{b.Name} {b.Properties.ETag}").ToListAsync())
            + string.Join(',', (await web.GetPropertiesAsync()).Value.Metadata.Select(m => $"{m.Key}={m.Value}").Order());
    }

    /// <summary>An app allowed to delete a tenth of the site, after a publish and with two pages' content since removed: more than that to delete.</summary>
    private async Task<FunctionsApp> PublishedThenTwoPagesRemovedAsync()
    {
        var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now),
            new Dictionary<string, string?> { [AppSettings.MaxDeleteShare] = "0.1" });
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);
        _content.Delete("pages/topic-3.md");
        _content.Delete("pages/topic-4.md");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        return app;
    }

    [Fact]
    public async Task Publish_honours_PUBLISH_MAX_DELETE_SHARE_and_force()
    {
        await using var app = await PublishedThenTwoPagesRemovedAsync();

        var refusedRequest = app.Request("POST", "/api/publish");
        var refused = await FunctionsApp.SendAsync(refusedRequest, await app.Create<Publish>().Run(refusedRequest, CancellationToken.None));
        var forcedRequest = app.Request("POST", "/api/publish?force=true");
        var forced = await FunctionsApp.SendAsync(forcedRequest, await app.Create<Publish>().Run(forcedRequest, CancellationToken.None));

        Assert.True(409 == refused.Status, refused.Text);
        Assert.Contains("more than the 10", refused.Text, StringComparison.Ordinal);
        Assert.Equal(200, forced.Status);
        using var json = JsonDocument.Parse(forced.Body);
        Assert.Equal(12, json.RootElement.GetProperty("deleted").GetInt32());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("yes")]
    [InlineData("")]
    public async Task Over_HTTP_the_deletion_guard_says_how_to_pass_it_and_a_force_that_is_not_true_or_false_changes_nothing(string force)
    {
        await using var app = await PublishedThenTwoPagesRemovedAsync();

        var refusedRequest = app.Request("POST", "/api/publish");
        var refused = await FunctionsApp.SendAsync(refusedRequest, await app.Create<Publish>().Run(refusedRequest, CancellationToken.None));
        var unclearRequest = app.Request("POST", $"/api/publish?force={force}");
        var unclear = await FunctionsApp.SendAsync(unclearRequest, await app.Create<Publish>().Run(unclearRequest, CancellationToken.None));

        Assert.Equal(409, refused.Status);
        Assert.Contains("?force=true", refused.Text, StringComparison.Ordinal);
        Assert.Equal(400, unclear.Status);
        Assert.Contains("force=true", unclear.Text, StringComparison.Ordinal);
        Assert.Single(await app.Storage.Ledger.ReadRunsAsync(10, CancellationToken.None), run => run.Outcome == PublishRun.Published);
    }

    [Fact]
    public async Task A_bad_PUBLISH_MAX_DELETE_SHARE_is_refused_when_the_app_starts_with_the_setting_named()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            _ = new FunctionsApp(azurite.NewAccount(), TimeProvider.System, new Dictionary<string, string?> { [AppSettings.MaxDeleteShare] = "25%" });
        });
        Assert.Contains(AppSettings.MaxDeleteShare, exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _content.Dispose();
}
