using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Integration.Tests.Platforms;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>
/// Association webhooks against a real HTTP receiver (WireMock.Net) that checks each delivery with the
/// Standard Webhooks verifier: queued by the publish, delivered by the timer, retried, never mixed up.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookTests : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly string _secretName = $"webhook-test-{Random.Shared.Next(100_000, 1_000_000)}";
    private readonly string _secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _movedSecretName = $"webhook-moved-{Random.Shared.Next(100_000, 1_000_000)}";
    private readonly TestStorage _storage;

    public WebhookTests(AzuriteFixture azurite)
    {
        // Well short of the slow receiver's 10 s, and long enough that a first request on a busy machine still gets its answer.
        _storage = new TestStorage(azurite, options => options.WebhookTimeout = TimeSpan.FromSeconds(5), _clock);
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_secretName), _secret);
        _content.Write("constituencies.yaml", $$"""
            constituencies:
              - slug: battersea
                name: Battersea
                boroughs: [Wandsworth]
                tags: [inner-london]
                association:
                  name: Battersea Conservatives
                  webhook: { url: "{{_receiver.Url}}/battersea", secret: {{_secretName}} }
              - slug: bromley
                name: Bromley and Biggin Hill
                boroughs: [Bromley]
                tags: [outer-london]
                association:
                  name: Bromley Conservatives
                  webhook: { url: "{{_receiver.Url}}/bromley", secret: {{_secretName}} }
              - slug: bethnal-green
                name: Bethnal Green and Stepney
                boroughs: [Tower Hamlets]
                tags: [inner-london]
                languages: [bn]
                association:
                  name: Bethnal Green Conservatives
                  webhook: { url: "{{_receiver.Url}}/slow", secret: {{_secretName}} }
              - slug: tooting
                name: Tooting
                boroughs: [Wandsworth]
                tags: [inner-london]
            """);
        // The receiver checks signatures against the real time, so the clock is real and the embargo is set from it.
        _content.Write("pages/embargoed.md", $"---\ntitle: Announcement\npublish_at: {_clock.GetUtcNow().AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n---\nEmbargoed announcement text.");
        _receiver.Given(Request.Create().WithPath("/battersea").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        _receiver.Given(Request.Create().WithPath("/bromley").UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _receiver.Given(Request.Create().WithPath("/bromley").UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200));
        _receiver.Given(Request.Create().WithPath("/slow").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(10)));
    }

    private AssociationWebhooks Webhooks => _storage.Services.GetRequiredService<AssociationWebhooks>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_secretName), null);
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_movedSecretName), null);
        _receiver.Stop();
        await _storage.DisposeAsync();
        _content.Dispose();
    }

    [Fact]
    public async Task A_publish_only_queues_one_event_per_changed_seat_with_a_webhook()
    {
        var run = await PublishAsync();

        Assert.True(run.Outcome == PublishRun.Published, string.Join('\n', run.Diagnostics));
        Assert.Empty(_receiver.LogEntries);
        foreach (var seat in new[] { "battersea", "bromley", "bethnal-green" })
        {
            var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync(seat, CancellationToken.None));
            Assert.Equal(WebhookRecord.Pending, record.Status);
            Assert.Equal($"msg_{run.RunId}_{seat}", record.RowKey);
            Assert.DoesNotContain(_secret, record.Payload, StringComparison.Ordinal);
        }

        Assert.Empty(await _storage.Storage.Webhooks.ReadSeatAsync("tooting", CancellationToken.None));
        var again = await PublishAsync();
        Assert.Equal(0, again.Written);
        Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
    }

    [Fact]
    public async Task Changes_a_run_recorded_but_stopped_before_telling_are_told_by_the_next_run_even_one_with_no_changes_of_its_own()
    {
        await PublishAsync();
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        // A run that records its pages in the ledger and stops before it queues a webhook: one with no webhooks to queue.
        var stopped = new StoragePublisher(_storage.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>(), _clock);
        var recorded = await stopped.PublishAsync(_storage.Storage, new FolderContentSource(_content.Root),
            new LondonTories.Publishing.Pipeline.PublishOptions { Now = _clock.GetUtcNow() }, "test", CancellationToken.None);
        Assert.True(recorded.Written > 0 && recorded.LedgerChanges > 0, recorded.Summary);
        // Stopped before it could vouch for the site, as a run does until it has told the associations.
        var web = _storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);
        await web.SetMetadataAsync((await web.GetPropertiesAsync()).Value.Metadata.Where(m => !m.Key.StartsWith("publish", StringComparison.Ordinal)).ToDictionary());

        var next = await PublishAsync();

        Assert.Equal(0, next.Written);
        foreach (var seat in new[] { "battersea", "bromley", "bethnal-green" })
        {
            var told = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync(seat, CancellationToken.None), r => r.RowKey == $"msg_{next.RunId}_{seat}");
            using var payload = JsonDocument.Parse(told.Payload);
            var changes = payload.RootElement.GetProperty("data").GetProperty("changes").EnumerateArray().ToList();
            Assert.Contains(changes, c => c.GetProperty("slug").GetString() == "topic-2" && c.GetProperty("type").GetString() == "updated");
        }

        // Told once: a later run has nothing more to tell.
        var after = await PublishAsync();
        Assert.Equal(2, (await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None)).Count);
        Assert.Equal(0, after.WebhooksQueued);
    }

    [Fact]
    public async Task Deliveries_are_signed_per_Standard_Webhooks_and_carry_only_their_seats_changes()
    {
        await PublishAsync();

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var delivery = Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/battersea");
        var headers = new HeaderDictionary();
        foreach (var (name, values) in delivery.RequestMessage.Headers!)
        {
            headers[name] = values.ToArray();
        }

        new StandardWebhook(_secret).Verify(delivery.RequestMessage.Body!, headers);
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() =>
            new StandardWebhook("whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Verify(delivery.RequestMessage.Body!, headers));
        using var payload = JsonDocument.Parse(delivery.RequestMessage.Body!);
        Assert.Equal("pages.changed", payload.RootElement.GetProperty("type").GetString());
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal("battersea", data.GetProperty("seat").GetString());
        var changes = data.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(4, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Equal("added", c.GetProperty("type").GetString());
            Assert.StartsWith("https://test.example.org/battersea/", c.GetProperty("url").GetString(), StringComparison.Ordinal);
        });
        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Delivered, record.Status);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_after_its_back_off_with_the_same_webhook_id()
    {
        await PublishAsync();

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var failed = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None));
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var delivered = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None));

        Assert.Equal(WebhookRecord.Pending, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("503", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(WebhookRecord.Delivered, delivered.Status);
        Assert.Equal(2, delivered.Attempts);
        var ids = _receiver.LogEntries.Where(e => e.RequestMessage.Path == "/bromley").Select(e => e.RequestMessage.Headers!["webhook-id"].Single()).ToList();
        Assert.Equal([delivered.RowKey, delivered.RowKey], ids);
        Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/battersea");
    }

    [Fact]
    public async Task A_slow_receiver_holds_up_neither_the_publish_nor_the_others_and_is_retried()
    {
        await PublishAsync();
        Assert.Empty(_receiver.LogEntries);

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var slow = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bethnal-green", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, slow.Status);
        Assert.Equal("the receiver did not answer in time.", slow.LastError);
        Assert.True(slow.NextAttempt > _clock.GetUtcNow());
        Assert.Equal(WebhookRecord.Delivered, Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_receiver_that_answers_and_never_finishes_its_body_holds_up_no_delivery_run()
    {
        using var stalling = new StallingServer();
        await PublishAsync();
        var queued = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        queued.Url = stalling.BaseUrl + "hooks";
        Assert.True(await _storage.Storage.Webhooks.UpdateAsync(queued, CancellationToken.None));

        var delivering = Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var finished = await Task.WhenAny(delivering, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(delivering, finished);
        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(1, stalling.Received);
        Assert.Equal(WebhookRecord.Delivered, record.Status);
    }

    [Fact]
    public async Task An_event_addressed_to_a_private_network_is_never_sent_there_and_says_why()
    {
        await PublishAsync();
        var queued = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        // As a record queued before its address was checked would be: nothing answers there, so only a refusal ends the attempt before its timeout.
        queued.Url = "https://10.255.255.1/hooks";
        Assert.True(await _storage.Storage.Webhooks.UpdateAsync(queued, CancellationToken.None));

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("10.255.255.1", record.LastError, StringComparison.Ordinal);
        Assert.Contains("private", record.LastError, StringComparison.Ordinal);
        Assert.Contains("public address", record.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.LogEntries, e => e.RequestMessage.Path == "/battersea");
    }

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_kept_for_retry_and_never_followed()
    {
        await PublishAsync();
        _receiver.Reset();
        _receiver.Given(Request.Create().WithPath("/battersea").UsingPost()).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/landing"));
        _receiver.Given(Request.Create().WithPath("/landing")).RespondWith(Response.Create().WithStatusCode(200));

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("302", record.LastError, StringComparison.Ordinal);
        Assert.Contains("/landing", record.LastError, StringComparison.Ordinal);
        Assert.Contains("update the webhook url", record.LastError, StringComparison.Ordinal);
        Assert.True(record.NextAttempt > _clock.GetUtcNow());
        Assert.DoesNotContain(_receiver.LogEntries, e => e.RequestMessage.Path == "/landing");
    }

    [Fact]
    public async Task A_redirect_to_a_url_with_credentials_is_told_without_them_and_holds_up_no_other_seats_delivery()
    {
        await PublishAsync();
        _receiver.Reset();
        var location = "https://volunteer:hunter2@elsewhere.example/" + new string('a', 40_000) + "?key=sig-d2VsbGtub3du";
        _receiver.Given(Request.Create().WithPath("/battersea").UsingPost()).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", location));
        _receiver.Given(Request.Create().WithPath("/bromley").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var logs = new LogCapture<AssociationWebhooks>();
        var webhooks = new AssociationWebhooks(_storage.Services.GetRequiredService<IHttpClientFactory>(), _storage.Services.GetRequiredService<ISecretStore>(), _clock, logs);

        await webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, record.Status);
        Assert.Contains("302", record.LastError, StringComparison.Ordinal);
        Assert.Contains("https://elsewhere.example/aaa", record.LastError, StringComparison.Ordinal);
        Assert.InRange(record.LastError.Length, 1, 2_000);
        foreach (var told in logs.Lines.Append(record.LastError))
        {
            Assert.DoesNotContain("hunter2", told, StringComparison.Ordinal);
            Assert.DoesNotContain("sig-d2VsbGtub3du", told, StringComparison.Ordinal);
        }

        Assert.Equal(WebhookRecord.Delivered, Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_receiver_answering_410_Gone_stops_the_retries_of_that_event()
    {
        await PublishAsync();
        _receiver.Reset();
        _receiver.Given(Request.Create().WithPath("/battersea").UsingPost()).RespondWith(Response.Create().WithStatusCode(410));

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Gone, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("410", record.LastError, StringComparison.Ordinal);
        Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/battersea");
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_receiver_asking_to_wait_is_not_tried_again_before_its_Retry_After(int status)
    {
        await PublishAsync();
        _receiver.Reset();
        _receiver.Given(Request.Create().WithPath("/battersea").UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Retry-After", "600"));
        var asked = _clock.GetUtcNow();

        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.True(record.NextAttempt >= asked + TimeSpan.FromSeconds(600), $"next attempt at {record.NextAttempt:O}, asked at {asked:O}");
        Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/battersea");
    }

    [Fact]
    public async Task An_event_waiting_for_its_retry_goes_to_the_seats_webhook_as_it_now_is_signed_with_its_secret_now()
    {
        await PublishAsync();
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var waiting = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None));
        Assert.Equal(WebhookRecord.Pending, waiting.Status);
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Environment.SetEnvironmentVariable(EnvironmentSecretStore.VariableFor(_movedSecretName), secret);
        _receiver.Given(Request.Create().WithPath("/bromley-moved").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        ChangeBromleysWebhook(line => line.Replace("/bromley\"", "/bromley-moved\"", StringComparison.Ordinal).Replace(_secretName, _movedSecretName, StringComparison.Ordinal));

        Assert.Equal(PublishRun.Published, (await PublishAsync()).Outcome);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/bromley");
        var delivery = Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/bromley-moved");
        var headers = new HeaderDictionary();
        foreach (var (name, values) in delivery.RequestMessage.Headers!)
        {
            headers[name] = values.ToArray();
        }

        new StandardWebhook(secret).Verify(delivery.RequestMessage.Body!, headers);
        Assert.Equal(waiting.RowKey, headers["webhook-id"].ToString());
        var record = (await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None)).Single(r => r.RowKey == waiting.RowKey);
        Assert.Equal(WebhookRecord.Delivered, record.Status);
        Assert.Equal((_receiver.Url + "/bromley-moved", _movedSecretName), (record.Url, record.SecretName));
    }

    [Fact]
    public async Task An_event_waiting_for_its_retry_whose_seat_has_no_webhook_now_is_withdrawn_and_never_sent()
    {
        await PublishAsync();
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var waiting = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None));
        ChangeBromleysWebhook(_ => null);

        Assert.Equal(PublishRun.Published, (await PublishAsync()).Outcome);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        Assert.Single(_receiver.LogEntries, e => e.RequestMessage.Path == "/bromley");
        var record = (await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None)).Single(r => r.RowKey == waiting.RowKey);
        Assert.Equal(WebhookRecord.Withdrawn, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("no webhook", record.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, record.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollback_points_the_events_waiting_for_a_retry_at_the_seats_webhooks_as_they_now_are()
    {
        var first = await PublishAsync();
        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, rewritten\n---\nNew words for {{ constituency.name }}.\n");
        await PublishAsync();
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
        var waiting = (await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None)).Where(r => r.Status == WebhookRecord.Pending).ToList();
        Assert.NotEmpty(waiting);
        ChangeBromleysWebhook(_ => null);

        var rollback = await _storage.Services.GetRequiredService<SiteRollback>()
            .RollbackAsync(_storage.Storage, first.RunId, new FolderContentSource(_content.Root), "test", CancellationToken.None);
        Assert.Equal(PublishRun.Published, rollback.Outcome);
        _clock.Shift = AssociationWebhooks.Backoff(1);
        await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);

        var records = await _storage.Storage.Webhooks.ReadSeatAsync("bromley", CancellationToken.None);
        Assert.All(waiting, w => Assert.Equal(WebhookRecord.Withdrawn, records.Single(r => r.RowKey == w.RowKey).Status));
        Assert.DoesNotContain(records, r => r.Status == WebhookRecord.Pending);
    }

    [Fact]
    public async Task An_event_is_given_up_only_after_a_day_of_retries()
    {
        Assert.True(Enumerable.Range(1, 60).Select(AssociationWebhooks.Backoff).Aggregate(TimeSpan.Zero, (a, b) => a + b) > TimeSpan.FromHours(24));
        Assert.True(AssociationWebhooks.RetryFor >= TimeSpan.FromHours(24));
        await PublishAsync();
        _receiver.Reset();
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(500));

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(26); elapsed += TimeSpan.FromHours(1))
        {
            _clock.Shift = elapsed;
            await Webhooks.DeliverDueAsync(_storage.Storage, CancellationToken.None);
            var record = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
            Assert.Equal(elapsed < TimeSpan.FromHours(23) ? WebhookRecord.Pending : record.Status, record.Status);
        }

        var last = Assert.Single(await _storage.Storage.Webhooks.ReadSeatAsync("battersea", CancellationToken.None));
        Assert.Equal(WebhookRecord.Failed, last.Status);
        Assert.True(last.Attempts > 20);
    }

    /// <summary>Rewrites the line of Bromley's webhook in constituencies.yaml, or takes it out where <paramref name="change"/> gives null.</summary>
    private void ChangeBromleysWebhook(Func<string, string?> change)
    {
        var lines = File.ReadAllLines(Path.Combine(_content.Root, "constituencies.yaml"));
        var line = Array.FindIndex(lines, l => l.Contains("/bromley\"", StringComparison.Ordinal));
        Assert.True(line >= 0);
        _content.Write("constituencies.yaml", string.Join('\n', lines.Select((l, i) => i == line ? change(l) : l).OfType<string>()));
    }

    private Task<PublishRun> PublishAsync() => _storage.PublishAsync(_content, now: _clock.GetUtcNow());
}
