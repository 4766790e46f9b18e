using System.Security.Cryptography;
using System.Text.Json;
using LondonTories.Cli;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>
/// Every way the site changes on storage tells the associations of the seats it changed: the CLI's
/// publish, the Functions app's HTTP and timer publishes, and a rollback; a local folder tells no one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookPublishPathsTests : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly TestContent _content = new();
    private readonly string _battersea = $"webhook-battersea-{Random.Shared.Next(100_000, 1_000_000)}";
    private readonly string _bromley = $"webhook-bromley-{Random.Shared.Next(100_000, 1_000_000)}";

    public WebhookPublishPathsTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        foreach (var name in new[] { _battersea, _bromley })
        {
            Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(name), "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        // Webhooks for two of the three seats; the receiver is never called here, only the queue is read.
        _content.Write("constituencies.yaml", $$"""
            constituencies:
              - slug: battersea
                name: Battersea
                boroughs: [Wandsworth]
                tags: [inner-london]
                association:
                  name: Battersea Conservatives
                  webhook: { url: "https://battersea.example.org/hooks/pages", secret: {{_battersea}} }
              - slug: bromley
                name: Bromley and Biggin Hill
                boroughs: [Bromley]
                tags: [outer-london]
                association:
                  name: Bromley Conservatives
                  webhook: { url: "https://bromley.example.org/hooks/pages", secret: {{_bromley}} }
              - slug: bethnal-green
                name: Bethnal Green and Stepney
                boroughs: [Tower Hamlets]
                tags: [inner-london, diverse]
                languages: [bn]
            """);
    }

    public void Dispose()
    {
        foreach (var name in new[] { _battersea, _bromley })
        {
            Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(name), null);
        }

        _content.Dispose();
    }

    [Fact]
    public async Task The_CLI_publish_to_storage_queues_an_event_for_each_seat_it_changed_and_only_those()
    {
        await using var storage = new TestStorage(_azurite);

        var (code, output, errors) = await CliAsync(TimeSpan.FromMinutes(10), ["publish", "--storage", storage.ConnectionString, "--content", _content.Root]);
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("Association webhooks: 2 events queued.", output, StringComparison.Ordinal);
        var first = await EventsAsync(storage.Storage);

        // Only Bromley gets the outer-London paragraph, so only Bromley's page changes.
        _content.Write("pages/topic-2.md", """
            ---
            title: "Topic 2 in {{ constituency.name }}"
            summary: What we do about topic 2.
            weight: 2
            ---
            Topic 2 matters in {{ constituency.boroughs | array.join ", " }}.

            ::: audience tag:outer-london
            Outer London residents see this paragraph, now rewritten.
            :::
            """);
        (code, output, errors) = await CliAsync(TimeSpan.FromMinutes(20), ["publish", "--storage", storage.ConnectionString, "--content", _content.Root]);
        Assert.True(code == ExitCodes.Success, errors);
        Assert.Contains("Association webhooks: 1 event queued.", output, StringComparison.Ordinal);
        var second = await EventsAsync(storage.Storage);

        Assert.Equal(["battersea", "bromley"], first.Select(e => e.Seat).Order(StringComparer.Ordinal));
        Assert.All(first, e => Assert.Equal(["topic-1", "topic-2", "topic-3", "topic-4"], e.Changes.Where(c => c.Type == "added").Select(c => c.Slug).Order(StringComparer.Ordinal)));
        var edit = Assert.Single(Since(first, second));
        Assert.Equal("bromley", edit.Seat);
        Assert.Equal(new[] { ("updated", "topic-2", "en") }, edit.Changes);
    }

    [Fact]
    public async Task A_webhook_secret_that_cannot_be_read_stops_the_publish_before_anything_changes_naming_seat_secret_and_where()
    {
        await using var storage = new TestStorage(_azurite);
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_battersea), null);
        const string notASecret = "hunter2-not-a-signing-secret";
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_bromley), notASecret);

        var (code, output, errors) = await CliAsync(TimeSpan.FromMinutes(10), ["publish", "--storage", storage.ConnectionString, "--content", _content.Root]);

        Assert.Equal(ExitCodes.ContentErrors, code);
        var line = File.ReadLines(Path.Combine(_content.Root, "constituencies.yaml")).Select((text, i) => (text, i)).First(l => l.text.Contains(_battersea, StringComparison.Ordinal));
        var column = line.text.IndexOf("secret:", StringComparison.Ordinal) + "secret: ".Length + 1;
        Assert.Contains(
            $"{_content.Root}/constituencies.yaml:{line.i + 1}:{column}: error: the webhook of battersea is signed with the secret '{_battersea}', which cannot be used: " +
            $"the environment variable {EnvironmentSecretStore.VariableFor(_battersea)} is not set",
            errors, StringComparison.Ordinal);
        Assert.Contains($"Set '{_battersea}' in the app's Key Vault, or where the run has no vault, the environment variable {EnvironmentSecretStore.VariableFor(_battersea)}", errors, StringComparison.Ordinal);
        Assert.Contains($"the webhook of bromley is signed with the secret '{_bromley}', which cannot be used: its value is not a Standard Webhooks signing secret", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(notASecret, output + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.False(await storage.Web.ExistsAsync() && await storage.Web.GetBlobsAsync().AnyAsync());
        Assert.Empty(await EventsAsync(storage.Storage));
    }

    [Fact]
    public async Task A_local_folder_publish_says_nothing_of_webhooks()
    {
        var output = Directory.CreateTempSubdirectory("londontories-local-").FullName;
        try
        {
            var (code, stdout, errors) = await CliAsync(TimeSpan.Zero, ["publish", "--content", _content.Root, "--out", output]);

            Assert.True(code == ExitCodes.Success, errors);
            Assert.Contains("Published ", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("webhook", stdout + errors, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task The_Functions_HTTP_publish_and_the_timer_queue_events_for_the_seats_they_changed()
    {
        var clock = new TestClock(TestContent.Now);
        await using var app = new FunctionsApp(_azurite.NewAccount(), clock);
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);

        var request = app.Request("POST", "/api/publish");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Publish>().Run(request, CancellationToken.None));
        var afterHttp = await EventsAsync(app.Storage);

        // The embargoed page falls due a day later, for every seat: the timer publishes it.
        clock.Shift = TimeSpan.FromDays(1);
        await app.Create<ScheduledPublish>().Run(new TimerInfo { IsPastDue = false }, CancellationToken.None);
        var afterTimer = await EventsAsync(app.Storage);

        Assert.Equal(200, response.Status);
        using (var json = JsonDocument.Parse(response.Body))
        {
            Assert.Equal(2, json.RootElement.GetProperty("webhooksQueued").GetInt32());
        }

        Assert.Equal(["battersea", "bromley"], afterHttp.Select(e => e.Seat).Order(StringComparer.Ordinal));
        var scheduled = Since(afterHttp, afterTimer);
        Assert.Equal(["battersea", "bromley"], scheduled.Select(e => e.Seat).Order(StringComparer.Ordinal));
        Assert.All(scheduled, e => Assert.Equal(new[] { ("added", "embargoed", "en") }, e.Changes));
        var runs = await app.Storage.Ledger.ReadRunsAsync(5, CancellationToken.None);
        Assert.All(scheduled, e => Assert.StartsWith($"msg_{runs[0].RunId}_", e.Id, StringComparison.Ordinal));
        Assert.Equal("schedule", runs[0].Trigger);

        // An event's cursor is the changes endpoint's: from the first event's, the second's changes, and from the second's, nothing.
        var battersea = afterHttp.Single(e => e.Seat == "battersea");
        var later = scheduled.Single(e => e.Seat == "battersea");
        var changes = await ChangesAsync(app, "battersea", battersea.Cursor);
        Assert.Equal(later.Cursor, changes.GetProperty("cursor").GetString());
        Assert.Equal(["embargoed"], changes.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        Assert.Empty((await ChangesAsync(app, "battersea", later.Cursor)).GetProperty("changes").EnumerateArray());
    }

    private static async Task<JsonElement> ChangesAsync(FunctionsApp app, string seat, string since)
    {
        var request = app.Request("GET", $"/api/constituencies/{seat}/changes?since={Uri.EscapeDataString(since)}");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Changes>().Run(request, seat, CancellationToken.None));
        Assert.True(response.Status == 200, response.Text);
        return JsonSerializer.Deserialize<JsonElement>(response.Body);
    }

    [Fact]
    public async Task A_rollback_queues_the_changes_it_made_to_each_seat()
    {
        var clock = new TestClock(TestContent.Now);
        await using var app = new FunctionsApp(_azurite.NewAccount(), clock);
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        var publisher = app.Services.GetRequiredService<StoragePublisher>();
        var first = await publisher.PublishAsync(app.Storage, "test", force: false, CancellationToken.None);
        _content.Write("pages/topic-3.md", "---\ntitle: Topic three, rewritten\n---\nA wrong page for {{ constituency.name }}.\n");
        _content.Write("pages/mistake.md", "---\ntitle: A page that should not exist\n---\nOops.\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), app.Storage, CancellationToken.None);
        clock.Shift = TimeSpan.FromMinutes(1);
        await publisher.PublishAsync(app.Storage, "test", force: false, CancellationToken.None);
        var beforeRollback = await EventsAsync(app.Storage);

        clock.Shift = TimeSpan.FromMinutes(2);
        var request = app.Request("POST", $"/api/rollback?to={first.RunId}");
        var response = await FunctionsApp.SendAsync(request, await app.Create<Rollback>().Run(request, CancellationToken.None));
        var rollback = JsonDocument.Parse(response.Body).RootElement.GetProperty("runId").GetString();
        var events = Since(beforeRollback, await EventsAsync(app.Storage));

        Assert.True(response.Status == 200, response.Text);
        Assert.Equal(["battersea", "bromley"], events.Select(e => e.Seat).Order(StringComparer.Ordinal));
        Assert.All(events, e =>
        {
            Assert.Equal($"msg_{rollback}_{e.Seat}", e.Id);
            Assert.Equal(new[] { ("removed", "mistake", "en"), ("updated", "topic-3", "en") }, e.Changes.Order());
        });
    }

    private static List<Event> Since(IReadOnlyList<Event> before, IReadOnlyList<Event> after) =>
        [.. after.Where(e => !before.Any(b => b.Id == e.Id))];

    private sealed record Event(string Seat, string Id, IReadOnlyList<(string Type, string Slug, string Language)> Changes, string Cursor);

    private static async Task<IReadOnlyList<Event>> EventsAsync(SiteStorage storage)
    {
        var events = new List<Event>();
        foreach (var seat in new[] { "battersea", "bromley", "bethnal-green" })
        {
            foreach (var record in await storage.Webhooks.ReadSeatAsync(seat, CancellationToken.None))
            {
                using var payload = JsonDocument.Parse(record.Payload);
                var data = payload.RootElement.GetProperty("data");
                Assert.Equal(seat, data.GetProperty("seat").GetString());
                events.Add(new Event(seat, record.RowKey, [.. data.GetProperty("changes").EnumerateArray()
                    .Select(c => (c.GetProperty("type").GetString()!, c.GetProperty("slug").GetString()!, c.GetProperty("language").GetString()!))],
                    data.GetProperty("cursor").GetString()!));
            }
        }

        return events;
    }

    /// <summary>Runs the CLI in process with the clock <paramref name="after"/> the content's moment.</summary>
    private static async Task<(int Code, string Output, string Errors)> CliAsync(TimeSpan after, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, configure: services =>
            services.AddSingleton<TimeProvider>(new TestClock(TestContent.Now + after)));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
