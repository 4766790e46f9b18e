using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.X;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LondonTories.Integration.Tests.Social;

/// <summary>
/// The delivery run against Azurite's table and a platform over real HTTP (a WireMock.Net server):
/// racing publishers, a process stopped at each step, rate limits, the grace period, renames,
/// spending limits and secrets.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeliveryTests : IAsyncLifetime
{
    private const string Secret = "tok-Zq81.Very_Secret.Value-9f3a";
    private readonly AzuriteFixture _azurite;
    private readonly TestContent _content = new();
    private readonly WireMockServer _platform = WireMockServer.Start();
    private readonly TestClock _clock = new(TestContent.Now);
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), $"londontories-secrets-{Guid.NewGuid():N}.json");
    private readonly CapturingLogger _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private ServiceProvider _services = null!;
    private string _connection = null!;

    public DeliveryTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["x-london"] = Secret }));
        Channels("x");
        Post("topic-one", "2026-11-30T11:00:00Z", "[battersea]");
        _platform.Given(Request.Create().WithPath("/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "remote-1" }));
        Client = new StubPlatformClient("x", _http, _clock);
    }

    private StubPlatformClient Client { get; set; }

    private SiteStorage Storage => _services.GetRequiredService<SiteStorage>();

    private int Requests(string method = "POST") => _platform.LogEntries.Count(e => e.RequestMessage.Method == method && e.RequestMessage.Path == "/posts");

    public Task InitializeAsync()
    {
        _services = Build(Client);
        return Task.CompletedTask;
    }

    /// <param name="client">The delivery core's stub; null: the real platform clients, retrying once within a run.</param>
    private ServiceProvider Build(IPlatformClient? client, ISecretStore? store = null, DeliveryOptions? options = null)
    {
        var services = new ServiceCollection();
        if (options is not null)
        {
            services.AddSingleton(options);
        }

        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(store ?? new UserSecretsStore("tests", _secrets));
        if (client is null)
        {
            services.AddSingleton(new PlatformHttpOptions { MaxRetries = 1, Backoff = TimeSpan.FromMilliseconds(20) }).AddLondonToriesPlatforms();
        }
        else
        {
            services.AddSingleton(client);
        }

        services.AddSingleton<ILoggerFactory>(new LoggerFactory([_logs]));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        _connection = _azurite.NewAccount();
        services.AddLondonToriesPublishing(StorageConnection.Parse(_connection), options => options.Deliver = true);
        return services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _platform.Stop();
        _content.Dispose();
        _http.Dispose();
        File.Delete(_secrets);
    }

    /// <summary>channels.yaml with one London-wide channel per platform, each named for it and sending to the stub platform.</summary>
    private void Channels(params string[] platforms) =>
        _content.Write("channels.yaml", "channels:\n" + string.Concat(platforms.Select(p => $"  - id: {p}-london\n    platform: {p}\n    api_url: {_platform.Url}/\n    secret: {p}-london\n")));

    private void Post(string name, string schedule, string audience, string extra = "") =>
        _content.Write($"social/{name}.md", $"---\nschedule: {schedule}\nplatforms: [x]\naudience: {audience}\n{extra}---\nRead about it in {{{{ constituency.name }}}}.\n");

    private Task<PublishRun> PublishAsync(TimeSpan? grace = null) =>
        _services.GetRequiredService<StoragePublisher>().PublishAsync(Storage, new FolderContentSource(_content.Root),
            new PublishOptions { SocialGracePeriod = grace ?? PostDelivery.DefaultGracePeriod, Deliveries = Storage.Deliveries, Force = true }, "test", CancellationToken.None);

    private async Task<DeliveryEntry> EntryAsync(string seat = "battersea") =>
        Assert.Single(await Storage.Deliveries.ReadAllAsync(CancellationToken.None), e => e.Seat == seat);

    private const string RenewedTokens = """{"token_type":"bearer","expires_in":7200,"access_token":"access-two","scope":"tweet.write offline.access","refresh_token":"refresh-two"}""";

    private static readonly object Unauthorized = new { title = "Unauthorized", type = "about:blank", status = 401, detail = "Unauthorized" };

    /// <summary>The real clients over a Key Vault holding X's renewable token set, and X's token endpoint answering <paramref name="tokenStatus"/>.</summary>
    private KeyVaultStub RenewableX(DateTimeOffset expiresAt, int tokenStatus = 200, string tokenBody = RenewedTokens)
    {
        var vault = new KeyVaultStub();
        vault.Set("x-london", new XToken(Secret, "refresh-one", expiresAt, "client-7Qx").ToJson());
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/2/oauth2/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(tokenStatus).WithBody(tokenBody));
        _services = Build(null, new KeyVaultSecretStore(vault.Client()));
        return vault;
    }

    private IEnumerable<string> TweetTokens() =>
        _platform.LogEntries.Where(e => e.RequestMessage.Path == "/2/tweets").Select(e => e.RequestMessage.Headers!["Authorization"].Single());

    [Fact]
    public async Task Ten_publishers_racing_make_one_request_per_delivery()
    {
        Post("topic-one", "2026-11-30T11:00:00Z", "[all]");
        _content.Write("social/topic-one.bn.md", "{{ constituency.name }}: বিষয় ১ পড়ুন।\n");
        var publisher = _services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(new FolderContentSource(_content.Root), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => publisher.PublishAsync(content, Storage.CreateTarget(),
            new PublishOptions { RunId = $"racer-{i}", Deliveries = Storage.Deliveries }, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded, string.Join('\n', r.Diagnostics)));
        var keys = _platform.LogEntries.Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("key").GetString()).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal(4, results.Sum(r => r.Deliveries.Count(d => d.SentByThisRun)));
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.Equal(["battersea.en.x-london", "bethnal-green.bn.x-london", "bethnal-green.en.x-london", "bromley.en.x-london"], entries.Select(e => e.RowKey).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((DeliveryStatus.Sent, 1, "https://platform.example/posts/remote-1"), (e.Status, e.Attempts, e.RemoteUrl)));
    }

    [Fact]
    public async Task A_run_stopped_between_claim_and_send_leaves_a_claim_the_next_run_calls_unknown_without_a_request_and_a_person_settles_it()
    {
        using var stop = new CancellationTokenSource();
        Client.BeforeSend = () => throw new OperationCanceledException("the process stopped");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync());
        Assert.Equal(DeliveryStatus.Claimed, (await EntryAsync()).Status);

        Client.BeforeSend = null;
        _clock.Shift = TimeSpan.FromMinutes(5);
        var early = await PublishAsync();
        Assert.Equal(DeliveryStatus.Claimed, Assert.Single(early.Result!.Deliveries).Status);

        _clock.Shift = TimeSpan.FromMinutes(11);
        var next = await PublishAsync();
        Assert.Equal(DeliveryStatus.Unknown, Assert.Single(next.Result!.Deliveries).Status);
        Assert.Equal(0, Requests());
        Assert.Contains(_logs.Events, e => e.EventId.Name == "DeliveryUnknown" && (string?)e.State["Channel"] == "x-london" && (string?)e.State["Seat"] == "battersea");

        var settled = await _services.GetRequiredService<DeliveryRunner>()
            .ConfirmAsync(Storage.Deliveries, "topic-one", "battersea", "x-london", sent: false, _clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single(settled).Status);
        var after = await PublishAsync();

        Assert.True(Assert.Single(after.Result!.Deliveries).SentByThisRun);
        Assert.Equal(1, Requests());
        Assert.Contains("Deliveries: 1 sent (1 sent by this run).", after.Summary);
    }

    [Theory]
    [InlineData(false, DeliveryStatus.Unknown)]
    [InlineData(true, DeliveryStatus.Sent)]
    public async Task A_run_stopped_between_send_and_record_is_settled_by_a_lookup_or_left_unknown_never_sent_twice(bool canFind, DeliveryStatus expected)
    {
        Client = new StubPlatformClient("x", _http, _clock, canFind: canFind) { AfterSend = () => throw new OperationCanceledException("the process stopped") };
        _services = Build(Client);
        _platform.Given(Request.Create().WithPath("/posts/*").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "remote-1" }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync());

        Client.AfterSend = null;
        _clock.Shift = TimeSpan.FromMinutes(11);
        var next = await PublishAsync();
        _clock.Shift = TimeSpan.FromMinutes(20);
        await PublishAsync();

        Assert.Equal(expected, Assert.Single(next.Result!.Deliveries).Status);
        Assert.Equal(1, Requests());
        Assert.Equal(expected, (await EntryAsync()).Status);
    }

    [Theory]
    [InlineData("limit", "held: the spending limit 'Test limit' is reached for battersea (£25.00 of £20.00); `spend` shows the same figures")]
    [InlineData("end", "held: the promotion of topic-one for battersea ended at 2026-11-30 12:05 (London time) before it could be sent")]
    public async Task A_claim_left_by_a_stopped_run_is_held_by_the_send_guards_once_the_platform_says_nothing_was_posted(string change, string error)
    {
        Client = new StubPlatformClient("x", _http, _clock, canFind: true) { BeforeSend = () => throw new OperationCanceledException("the process stopped") };
        _services = Build(Client);
        _platform.Given(Request.Create().WithPath("/posts/*").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        Post("topic-one", "2026-11-30T11:00:00Z", "[battersea]", "approved_by: An Agent\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}\n");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync());
        Assert.Equal(DeliveryStatus.Claimed, (await EntryAsync()).Status);

        // While the claim waits, what the guards check changes: a limit it would exceed, or the promotion's end.
        if (change == "limit")
        {
            _content.Write("site.yaml", """
                title: Test Conservatives
                base_url: https://test.example.org
                imprint:
                  promoter: A Promoter
                  address: 1 Test Street, London SW1A 1AA
                spend_limits:
                  - name: Test limit
                    from: 2026-11-01T00:00
                    to: 2027-01-01T00:00
                    fixed_gbp: 20
                """);
        }
        else
        {
            Post("topic-one", "2026-11-30T11:00:00Z", "[battersea]", "approved_by: An Agent\nsponsored: {budget_gbp: 25, end: 2026-11-30T12:05}\n");
        }

        Client.BeforeSend = null;
        _clock.Shift = TimeSpan.FromMinutes(11);
        var next = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Failed, next.Status);
        Assert.StartsWith(error, next.Error, StringComparison.Ordinal);
        Assert.Equal(0, Requests());
    }

    [Theory]
    [InlineData(200, DeliveryStatus.Sent)]
    [InlineData(404, DeliveryStatus.Failed)]
    [InlineData(500, DeliveryStatus.Unknown)]
    public async Task A_claim_left_on_a_platform_that_dedupes_repeats_and_then_held_is_looked_for_first_and_never_called_failed_while_it_may_be_up(int lookup, DeliveryStatus expected)
    {
        // A platform whose repeat names the same post (Bluesky's record key, Mastodon's Idempotency-Key): the stopped run's post went up.
        Client = new StubPlatformClient("x", _http, _clock, safeToRepeat: true, canFind: true) { AfterSend = () => throw new OperationCanceledException("the process stopped") };
        _services = Build(Client);
        _platform.Given(Request.Create().WithPath("/posts/*").UsingGet()).RespondWith(Response.Create().WithStatusCode(lookup).WithBodyAsJson(new { id = "remote-1" }));
        Post("topic-one", "2026-11-30T11:00:00Z", "[battersea]", "approved_by: An Agent\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}\n");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync());
        Assert.Equal(DeliveryStatus.Claimed, (await EntryAsync()).Status);

        // While the claim waits, a spending limit comes in that holds the post.
        WriteSpendLimit(20);
        Client.AfterSend = null;
        _clock.Shift = TimeSpan.FromMinutes(11);
        var next = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(expected, next.Status);
        Assert.Equal(1, Requests());
        var entry = await EntryAsync();
        Assert.Equal(expected, entry.Status);
        const string held = "held: the spending limit 'Test limit' is reached for battersea (£25.00 of £20.00)";
        switch (expected)
        {
            case DeliveryStatus.Sent:
                Assert.Equal("remote-1", entry.RemoteId);
                break;
            case DeliveryStatus.Failed:
                Assert.StartsWith(held, entry.LastError, StringComparison.Ordinal);
                break;
            default:
                Assert.Contains(held, entry.LastError, StringComparison.Ordinal);
                Assert.Contains("posts --confirm", entry.LastError, StringComparison.Ordinal);
                Assert.Contains(_logs.Events, e => e.EventId.Name == "DeliveryUnknown");
                break;
        }
    }

    [Fact]
    public async Task A_rate_limit_is_tried_again_after_its_retry_after_in_a_later_run()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).InScenario("limit").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "300"));
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).InScenario("limit").WhenStateIs("open")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "remote-2" }));

        var limited = await PublishAsync();
        var entry = await EntryAsync();
        Assert.Equal((DeliveryStatus.Failed, 1, "rate limited"), (entry.Status, entry.Attempts, entry.LastError));
        Assert.InRange(entry.NextAttempt!.Value - _clock.GetUtcNow(), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Contains(_logs.Events, e => e.EventId.Name == "DeliveryFailed");
        Assert.Contains("Deliveries: 1 failed", limited.Summary);

        _clock.Shift = TimeSpan.FromMinutes(2);
        await PublishAsync();
        Assert.Equal(1, Requests());

        _clock.Shift = TimeSpan.FromMinutes(6);
        var sent = await PublishAsync();
        Assert.True(Assert.Single(sent.Result!.Deliveries).SentByThisRun);
        Assert.Equal(2, Requests());
        Assert.Equal((DeliveryStatus.Sent, 2, "remote-2"), ((await EntryAsync()).Status, (await EntryAsync()).Attempts, (await EntryAsync()).RemoteId));
    }

    /// <summary>A channel on the platform given, sending to <paramref name="apiUrl"/> with the X channel's secret, and a post for it.</summary>
    private void ChannelBorrowingXSecret(string platform, string apiUrl)
    {
        _content.Write("channels.yaml", $"channels:\n  - id: borrowed\n    platform: {platform}\n    api_url: {apiUrl}\n    secret: x-london\n");
        _content.Write("social/topic-one.md", $"---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [{platform}]\naudience: [battersea]\n---\nRead about it in {{{{ constituency.name }}}}.\n");
    }

    [Theory]
    [InlineData("mastodon", "https://toot.exfil.example/")]
    [InlineData("x", "https://api.exfil.example/")]
    public async Task A_channel_naming_a_host_nobody_listed_never_sends_its_secret_there_and_says_where_to_list_it(string platform, string apiUrl)
    {
        ChannelBorrowingXSecret(platform, apiUrl);
        _services = Build(null);

        var report = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Failed, report.Status);
        Assert.Equal(
            $"channel 'borrowed': its api_url names {new Uri(apiUrl).Host}, which is neither {platform}'s own API nor a host listed in {ChannelHosts.Setting}, so its secret 'x-london' is not sent there; " +
            $"if {new Uri(apiUrl).Host} is the account's server, add it to {ChannelHosts.Setting}",
            report.Error);
        Assert.Equal(report.Error, (await EntryAsync()).LastError);
    }

    [Fact]
    public async Task A_channel_naming_a_host_the_setting_lists_is_sent_there()
    {
        ChannelBorrowingXSecret("mastodon", "https://toot.exfil.example/");
        _services = Build(null, options: new DeliveryOptions { ChannelHosts = ChannelHosts.Parse("social.example, https://TOOT.exfil.example/") });

        var report = Assert.Single((await PublishAsync()).Result!.Deliveries);

        // The name resolves nowhere: the request was tried, and failed for that reason alone.
        Assert.DoesNotContain(ChannelHosts.Setting, report.Error, StringComparison.Ordinal);
        Assert.Contains("toot.exfil.example", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_Mastodon_answer_past_the_keys_hour_is_settled_by_the_status_found_on_the_account()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBodyAsJson(new { error = "Internal server error" }));
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["mastodon-london"] = Secret }));
        Channels("mastodon");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [mastodon]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");
        _services = Build(null);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);
        var posted = _platform.LogEntries.First(e => e.RequestMessage.Path == "/api/v1/statuses").RequestMessage.Body!;
        var message = posted.Split('&').Select(p => p.Split('=')).Single(p => p[0] == "status")[1].Replace('+', ' ');
        message = Uri.UnescapeDataString(message);

        // The status was made after all: the account lists it, rendered, and gives its text as written.
        _platform.Given(Request.Create().WithPath("/api/v1/accounts/verify_credentials").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "7" }));
        _platform.Given(Request.Create().WithPath("/api/v1/accounts/7/statuses").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new[]
        {
            new { id = "109", url = "https://mastodon.example/@lt/109", content = "<p>" + System.Net.WebUtility.HtmlEncode(message).Replace("\n\n", "</p><p>", StringComparison.Ordinal) + "</p>" },
        }));
        _platform.Given(Request.Create().WithPath("/api/v1/statuses/109/source").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "109", text = message, spoiler_text = "" }));
        var requests = _platform.LogEntries.Count(e => e.RequestMessage.Path == "/api/v1/statuses");
        _clock.Shift = TimeSpan.FromMinutes(70);

        var next = await PublishAsync();

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(next.Result!.Deliveries).Status);
        Assert.Equal(requests, _platform.LogEntries.Count(e => e.RequestMessage.Path == "/api/v1/statuses"));
        var entry = await EntryAsync();
        Assert.Equal((DeliveryStatus.Sent, "109", "https://mastodon.example/@lt/109"), (entry.Status, entry.RemoteId, entry.RemoteUrl));
    }

    [Theory]
    [InlineData(5, 3, DeliveryStatus.Sent)]
    [InlineData(70, 2, DeliveryStatus.Unknown)]
    public async Task An_ambiguous_Mastodon_answer_is_repeated_with_its_key_only_while_Mastodon_keeps_the_key(int minutesLater, int requests, DeliveryStatus expected)
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).InScenario("lost").WillSetStateTo("lost again")
            .RespondWith(Response.Create().WithStatusCode(500).WithBodyAsJson(new { error = "Internal server error" }));
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).InScenario("lost").WhenStateIs("lost again").WillSetStateTo("answered")
            .RespondWith(Response.Create().WithStatusCode(500).WithBodyAsJson(new { error = "Internal server error" }));
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).InScenario("lost").WhenStateIs("answered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "109", url = "https://mastodon.example/@lt/109" }));
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["mastodon-london"] = Secret }));
        Channels("mastodon");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [mastodon]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");
        _services = Build(null);
        int Posted() => _platform.LogEntries.Count(e => e.RequestMessage.Path == "/api/v1/statuses");

        var before = _clock.GetUtcNow();
        var first = await PublishAsync();
        Assert.Equal((DeliveryStatus.Failed, "Mastodon failed while handling the request (500: Internal server error); it may or may not have taken effect."),
            (Assert.Single(first.Result!.Deliveries).Status, Assert.Single(first.Result!.Deliveries).Error));
        var attempted = (await EntryAsync()).FirstAttempt!.Value;
        Assert.InRange(attempted, before, _clock.GetUtcNow());

        _clock.Shift = TimeSpan.FromMinutes(minutesLater);
        var next = await PublishAsync();

        var report = Assert.Single(next.Result!.Deliveries);
        Assert.Equal(expected, report.Status);
        Assert.Equal(requests, Posted());
        var entry = await EntryAsync();
        Assert.Equal(expected, entry.Status);
        Assert.Equal(attempted, entry.FirstAttempt);
        if (expected == DeliveryStatus.Unknown)
        {
            Assert.Equal(
                $"an attempt at {attempted:u} may have made the post and mastodon keeps a repeat's key for less than the 70 minutes since then, so sending again could post twice; check the account and settle it with posts --confirm",
                entry.LastError);
        }
    }

    [Fact]
    public async Task An_expired_X_token_is_renewed_once_through_Key_Vault_and_every_post_goes_out_with_the_new_one()
    {
        var now = _clock.GetUtcNow();
        using var vault = RenewableX(now.AddMinutes(-1));
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { data = new { id = "1850000000000000001", text = "…" } }));
        Post("topic-one", "2026-11-30T11:00:00Z", "[all]");

        var run = await PublishAsync();

        Assert.Equal(3, run.Result!.Deliveries.Count(d => d.SentByThisRun));
        Assert.Single(_platform.LogEntries, e => e.RequestMessage.Path == "/2/oauth2/token");
        Assert.Equal(["Bearer access-two", "Bearer access-two", "Bearer access-two"], TweetTokens());
        var (name, value) = Assert.Single(vault.Writes);
        Assert.Equal("x-london", name);
        var stored = XToken.Parse(value)!;
        Assert.Equal(("access-two", "refresh-two", "client-7Qx"), (stored.AccessToken, stored.RefreshToken, stored.ClientId));
        Assert.InRange(stored.ExpiresAt!.Value, now.AddHours(2), _clock.GetUtcNow().AddHours(2));
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.All(entries, e => Assert.DoesNotContain("refresh", JsonSerializer.Serialize(e), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_X_token_refused_before_its_expiry_is_renewed_once_and_every_post_goes_out_with_the_new_one()
    {
        using var vault = RenewableX(_clock.GetUtcNow().AddHours(1));
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost().WithHeader("Authorization", $"Bearer {Secret}"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(Unauthorized));
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost().WithHeader("Authorization", "Bearer access-two"))
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { data = new { id = "1850000000000000001", text = "…" } }));
        Post("topic-one", "2026-11-30T11:00:00Z", "[all]");

        var run = await PublishAsync();

        Assert.Equal(3, run.Result!.Deliveries.Count(d => d.SentByThisRun));
        Assert.Single(_platform.LogEntries, e => e.RequestMessage.Path == "/2/oauth2/token");
        Assert.Equal(3, TweetTokens().Count(t => t == "Bearer access-two"));
        Assert.InRange(TweetTokens().Count(t => t == $"Bearer {Secret}"), 1, 3);
        var (name, value) = Assert.Single(vault.Writes);
        Assert.Equal("x-london", name);
        Assert.Equal(("access-two", "refresh-two"), (XToken.Parse(value)!.AccessToken, XToken.Parse(value)!.RefreshToken));
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.All(entries, e => Assert.Equal((DeliveryStatus.Sent, 1, null), (e.Status, e.Attempts, e.LastError)));
    }

    [Fact]
    public async Task An_X_token_refused_again_after_its_renewal_fails_the_post_and_is_renewed_only_once()
    {
        using var vault = RenewableX(_clock.GetUtcNow().AddHours(1));
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost()).RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(Unauthorized));
        Post("topic-one", "2026-11-30T11:00:00Z", "[all]");

        var run = await PublishAsync();

        Assert.All(run.Result!.Deliveries, d => Assert.Equal(DeliveryStatus.Failed, d.Status));
        Assert.Single(_platform.LogEntries, e => e.RequestMessage.Path == "/2/oauth2/token");
        Assert.Equal(3, TweetTokens().Count(t => t == "Bearer access-two"));
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.All(entries, e => Assert.Equal("X refused the channel's token: it has expired or been revoked (401: Unauthorized). Store a fresh one in the channel's secret.", e.LastError));
        Assert.All(entries, e => Assert.DoesNotContain("access-two", JsonSerializer.Serialize(e), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_X_token_refused_whose_renewal_is_refused_too_says_to_authorise_the_app_again()
    {
        using var vault = RenewableX(_clock.GetUtcNow().AddHours(1), 400, """{"error":"invalid_request","error_description":"Value passed for the token was invalid."}""");
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost()).RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(Unauthorized));

        var run = await PublishAsync();

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(run.Result!.Deliveries).Status);
        Assert.Equal([$"Bearer {Secret}"], TweetTokens());
        Assert.Empty(vault.Writes);
        var error = (await EntryAsync()).LastError!;
        Assert.StartsWith("X refused the channel's token: it has expired or been revoked (401: Unauthorized). ", error, StringComparison.Ordinal);
        Assert.Contains("channel 'x-london': the token in its secret 'x-london' could not be renewed: X refused to renew the access token", error, StringComparison.Ordinal);
        Assert.Contains("authorise the app again", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_X_token_refused_in_a_store_the_app_cannot_write_is_not_renewed_and_the_error_says_what_to_do()
    {
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["x-london"] = new XToken(Secret, "refresh-one", _clock.GetUtcNow().AddHours(1), "client-7Qx").ToJson(),
        }));
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost()).RespondWith(Response.Create().WithStatusCode(401).WithBodyAsJson(Unauthorized));
        _services = Build(null);

        var run = await PublishAsync();

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(run.Result!.Deliveries).Status);
        Assert.Equal([$"Bearer {Secret}"], TweetTokens());
        Assert.DoesNotContain(_platform.LogEntries, e => e.RequestMessage.Path == "/2/oauth2/token");
        Assert.Equal(
            "X refused the channel's token: it has expired or been revoked (401: Unauthorized). Store a fresh one in the channel's secret. " +
            "channel 'x-london': the token in its secret 'x-london' was refused by x, but dotnet user-secrets cannot keep a renewed one. " +
            "Let the Functions app deliver (it renews through Key Vault), or store a fresh token set under 'x-london'.",
            (await EntryAsync()).LastError);
    }

    [Fact]
    public async Task An_expired_X_token_in_a_store_the_app_cannot_write_is_not_renewed_and_the_error_says_what_to_do()
    {
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["x-london"] = new XToken(Secret, "refresh-one", _clock.GetUtcNow().AddMinutes(-1), "client-7Qx").ToJson(),
        }));
        _platform.Reset();
        _services = Build(null);

        var run = await PublishAsync();

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(run.Result!.Deliveries).Status);
        Assert.Empty(_platform.LogEntries);
        Assert.Equal(
            "channel 'x-london': the token in its secret 'x-london' has expired or is about to, but dotnet user-secrets cannot keep a renewed one. " +
            "Let the Functions app deliver (it renews through Key Vault), or store a fresh token set under 'x-london'.",
            (await EntryAsync()).LastError);
    }

    [Fact]
    public async Task A_hostile_platform_answer_reaches_the_ledger_without_terminal_controls_or_a_link_that_is_not_the_web()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "109\u001b[2J", url = "javascript:alert(document.cookie)" }));
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["mastodon-london"] = Secret, ["x-london"] = Secret }));
        Channels("mastodon", "x");
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBodyAsJson(new { title = "Invalid Request", detail = "Bad text \u001b]8;;https://evil.example/\u0007click here\u001b]8;;\u0007\r\nFAKE: all good" }));
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [mastodon, x]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");
        _services = Build(null);

        await PublishAsync();

        var entries = (await Storage.Deliveries.ReadAllAsync(CancellationToken.None)).ToDictionary(e => e.Channel);
        Assert.Equal((DeliveryStatus.Sent, "109[2J", null), (entries["mastodon-london"].Status, entries["mastodon-london"].RemoteId, entries["mastodon-london"].RemoteUrl));
        Assert.Equal("X refused the post (400: Bad text ]8;;https://evil.example/click here]8;; FAKE: all good).", entries["x-london"].LastError);
    }

    [Fact]
    public async Task A_platform_that_keeps_failing_is_tried_until_the_grace_period_ends_then_missed_and_missed_stays_missed()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));

        for (var minutes = 0; minutes <= 360; minutes += 30)
        {
            _clock.Shift = TimeSpan.FromMinutes(minutes);
            await PublishAsync();
        }

        var entry = await EntryAsync();
        Assert.True(DeliveryStatus.Missed == entry.Status, entry.ToString());
        var requests = Requests();
        Assert.InRange(requests, 3, 13);

        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "late" }));
        _clock.Shift = TimeSpan.FromHours(8);
        var later = await PublishAsync(grace: TimeSpan.FromDays(2));

        Assert.Equal(DeliveryStatus.Missed, Assert.Single(later.Result!.Deliveries).Status);
        Assert.Equal(0, Requests());
    }

    [Fact]
    public async Task A_threads_post_filed_before_threads_had_a_channel_goes_out_once_within_its_grace_period_and_an_older_one_never()
    {
        using var graph = new Platforms.MetaGraphStub();
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["threads-london"] = Platforms.MetaGraphStub.Token }));
        _services = Build(null);
        void ThreadsPost(string name, string schedule) =>
            _content.Write($"social/{name}.md", $"---\nschedule: {schedule}\nplatforms: [threads]\naudience: [battersea]\n---\nRead about {name} in {{{{ constituency.name }}}}.\n");
        ThreadsPost("topic-one", "2026-11-30T11:00:00Z");
        ThreadsPost("early", "2026-11-30T09:00:00Z");

        // Filed while no channel could post to Threads: the documents exist, no delivery does.
        var filed = await PublishAsync();
        Assert.Equal(2, filed.Result!.Posts.Count(p => p.SentByThisRun));
        Assert.Empty(filed.Result.Deliveries);

        _content.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-london\n");
        _clock.Shift = TimeSpan.FromMinutes(10);
        var upgraded = await PublishAsync(grace: TimeSpan.FromHours(2));
        _clock.Shift = TimeSpan.FromMinutes(40);
        var again = await PublishAsync(grace: TimeSpan.FromHours(2));

        Assert.Equal(0, upgraded.Result!.Posts.Count(p => p.SentByThisRun));
        var sent = Assert.Single(upgraded.Result.Deliveries, d => d.PostId == "topic-one");
        Assert.Equal((DeliveryStatus.Sent, true, "threads-london"), (sent.Status, sent.SentByThisRun, sent.Channel));
        Assert.Equal(DeliveryStatus.Missed, Assert.Single(upgraded.Result.Deliveries, d => d.PostId == "early").Status);
        Assert.DoesNotContain(again.Result!.Deliveries, d => d.SentByThisRun);
        var published = Assert.Single(graph.Objects($"{Platforms.MetaGraphStub.ThreadsUserId}/threads"));
        Assert.StartsWith("Read about topic-one in Battersea.", (string?)published["text"], StringComparison.Ordinal);
        Assert.Single(graph.Posts("/threads_publish"));
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.Equal((DeliveryStatus.Sent, (string?)published["id"]), entries.Where(e => e.Identity == "topic-one").Select(e => (e.Status, e.RemoteId)).Single());
        Assert.DoesNotContain(_logs.Events, e => e.Message.Contains(Platforms.MetaGraphStub.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_threads_token_set_a_week_old_is_refreshed_through_Key_Vault_and_the_post_goes_out_with_the_new_token()
    {
        using var graph = new Platforms.MetaGraphStub { AcceptedToken = "THQWJrefreshed0123456789" };
        graph.Server.Given(Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"access_token":"THQWJrefreshed0123456789","token_type":"bearer","expires_in":5183944}"""));
        using var vault = new KeyVaultStub();
        var now = _clock.GetUtcNow();
        vault.Set("threads-london", new Publishing.Platforms.Threads.ThreadsToken(Platforms.MetaGraphStub.Token, now.AddDays(50)).ToJson());
        _services = Build(null, new KeyVaultSecretStore(vault.Client()));
        _content.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-london\n");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [threads]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");

        var run = await PublishAsync();

        var delivered = Assert.Single(run.Result!.Deliveries);
        Assert.True(DeliveryStatus.Sent == delivered.Status, delivered.Error);
        Assert.Single(graph.Server.LogEntries, e => e.RequestMessage.Path == "/refresh_access_token");
        Assert.All(graph.Requests, r => Assert.Equal("THQWJrefreshed0123456789", (r.Method == "POST" ? Platforms.MetaGraphStub.Form(r) : Platforms.MetaGraphStub.Query(r))["access_token"]));
        var (name, value) = Assert.Single(vault.Writes);
        Assert.Equal("threads-london", name);
        var stored = Publishing.Platforms.Threads.ThreadsToken.Parse(value)!;
        Assert.Equal("THQWJrefreshed0123456789", stored.AccessToken);
        Assert.InRange(stored.ExpiresAt!.Value, now.AddSeconds(5183944), _clock.GetUtcNow().AddSeconds(5183944));
        Assert.DoesNotContain(_logs.Events, e => e.Message.Contains("THQWJrefreshed", StringComparison.Ordinal) || e.Message.Contains(Platforms.MetaGraphStub.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_threads_token_of_a_channel_with_nothing_to_post_is_refreshed_when_due_so_a_quiet_channel_keeps_it()
    {
        using var graph = new Platforms.MetaGraphStub();
        graph.Server.Given(Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"access_token":"THQWJrefreshed0123456789","token_type":"bearer","expires_in":5183944}"""));
        using var vault = new KeyVaultStub();
        var now = _clock.GetUtcNow();
        vault.Set("threads-london", new Publishing.Platforms.Threads.ThreadsToken(Platforms.MetaGraphStub.Token, now.AddDays(50)).ToJson());
        vault.Set("threads-quiet", new Publishing.Platforms.Threads.ThreadsToken("THQWJquiet0123456789", now.AddDays(58)).ToJson());
        _services = Build(null, new KeyVaultSecretStore(vault.Client()));
        _content.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-london\n" +
            $"  - id: threads-quiet\n    platform: threads\n    audience: [bethnal-green]\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-quiet\n");
        foreach (var post in Directory.GetFiles(Path.Combine(_content.Root, "social"), "*.md", SearchOption.AllDirectories))
        {
            File.Delete(post);
        }

        var run = await PublishAsync();
        var again = await PublishAsync();

        Assert.True(run.Outcome == PublishRun.Published, string.Join('\n', run.Diagnostics));
        Assert.Empty(run.Result!.Deliveries);
        // Due (issued ten days ago) and renewed once; the other, issued two days ago, is left as it is.
        var refresh = Assert.Single(graph.Server.LogEntries, e => e.RequestMessage.Path == "/refresh_access_token");
        Assert.Equal(Platforms.MetaGraphStub.Token, refresh.RequestMessage.Query!["access_token"].Single());
        var (name, value) = Assert.Single(vault.Writes);
        Assert.Equal("threads-london", name);
        Assert.InRange(Publishing.Platforms.Threads.ThreadsToken.Parse(value)!.ExpiresAt!.Value, now.AddSeconds(5183944), _clock.GetUtcNow().AddSeconds(5183944));
        Assert.Empty(graph.Requests);
        Assert.DoesNotContain(_logs.Events, e => e.EventId.Name == "SecretNotRenewed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_threads_token_due_for_refresh_that_cannot_be_refreshed_or_kept_still_sends_the_post_and_warns_once(bool writable)
    {
        using var graph = new Platforms.MetaGraphStub();
        graph.Server.Given(Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":{"message":"The user has not granted threads_basic.","type":"OAuthException","code":10}}"""));
        using var vault = new KeyVaultStub();
        var token = new Publishing.Platforms.Threads.ThreadsToken(Platforms.MetaGraphStub.Token, _clock.GetUtcNow().AddDays(20)).ToJson();
        vault.Set("threads-london", token);
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["threads-london"] = token }));
        _services = Build(null, writable ? new KeyVaultSecretStore(vault.Client()) : null);
        _content.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-london\n");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [threads]\naudience: [all]\n---\nRead about it in {{ constituency.name }}.\n");

        var run = await PublishAsync();

        Assert.All(run.Result!.Deliveries, d => Assert.True(d.Status == DeliveryStatus.Sent, d.Error));
        Assert.Equal(3, run.Result.Deliveries.Length);
        Assert.Equal(writable ? 1 : 0, graph.Server.LogEntries.Count(e => e.RequestMessage.Path == "/refresh_access_token"));
        Assert.Empty(vault.Writes);
        var warning = Assert.Single(_logs.Events, e => e.EventId.Name == "SecretNotRenewed");
        Assert.Contains("channel 'threads-london'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(writable ? "It still works until 2026-12-20" : "dotnet user-secrets cannot keep a new one", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Events, e => e.Message.Contains(Platforms.MetaGraphStub.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renamed_post_keeps_its_identity_and_is_not_sent_again()
    {
        await PublishAsync();
        var first = await EntryAsync();
        Assert.Equal(DeliveryStatus.Sent, first.Status);

        var text = File.ReadAllText(Path.Combine(_content.Root, "social/topic-one.md"));
        _content.Delete("social/topic-one.md");
        _content.Write("social/2026/renamed-topic.md", text.TrimEnd('\n'));
        _clock.Shift = TimeSpan.FromMinutes(5);
        var again = await PublishAsync();

        var report = Assert.Single(again.Result!.Deliveries);
        Assert.Equal(("renamed-topic", "topic-one", DeliveryStatus.Sent, false), (report.PostId, report.Identity, report.Status, report.SentByThisRun));
        Assert.Equal(1, Requests());
        var entry = await EntryAsync();
        Assert.Equal(("topic-one", "renamed-topic"), (entry.Identity, entry.PostId));
    }

    [Fact]
    public async Task A_new_post_with_the_words_of_one_deleted_in_an_earlier_run_goes_out_and_is_not_taken_for_it()
    {
        await PublishAsync();
        Assert.Equal(DeliveryStatus.Sent, (await EntryAsync()).Status);

        // The post is deleted, and a run goes by without it.
        var text = File.ReadAllText(Path.Combine(_content.Root, "social/topic-one.md"));
        _content.Delete("social/topic-one.md");
        _clock.Shift = TimeSpan.FromMinutes(5);
        await PublishAsync();

        // Later that day a new post says the same words to the same seat on the same channel.
        _content.Write("social/2026/topic-again.md", text.Replace("2026-11-30T11:00:00Z", "2026-11-30T12:10:00Z", StringComparison.Ordinal));
        _clock.Shift = TimeSpan.FromMinutes(15);
        var again = await PublishAsync();

        var report = Assert.Single(again.Result!.Deliveries);
        Assert.Equal(("topic-again", "topic-again", DeliveryStatus.Sent, true), (report.PostId, report.Identity, report.Status, report.SentByThisRun));
        Assert.Equal(2, Requests());
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.Equal([("topic-again", DeliveryStatus.Sent), ("topic-one", DeliveryStatus.Sent)], entries.Select(e => (e.Identity, e.Status)).Order());

        // Put back under its own name, the deleted post is itself again, and goes out no more.
        _content.Write("social/topic-one.md", text);
        _clock.Shift = TimeSpan.FromMinutes(20);
        var restored = await PublishAsync();
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(restored.Result!.Deliveries, d => d.PostId == "topic-one").Status);
        Assert.Equal(2, Requests());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_post_edited_after_it_went_out_and_then_renamed_is_not_sent_again(bool runBetween)
    {
        await PublishAsync();
        Assert.Equal(DeliveryStatus.Sent, (await EntryAsync()).Status);
        var text = File.ReadAllText(Path.Combine(_content.Root, "social/topic-one.md"));
        var edited = text.TrimEnd('\n') + " Now with more detail.\n";
        _content.Write("social/topic-one.md", edited);
        if (runBetween)
        {
            _clock.Shift = TimeSpan.FromMinutes(5);
            await PublishAsync();
        }

        // The edit moved the text away from what was sent; the rename then took the post's name.
        _content.Delete("social/topic-one.md");
        _content.Write("social/2026/renamed-topic.md", edited);
        _clock.Shift = TimeSpan.FromMinutes(10);
        var again = await PublishAsync();

        var report = Assert.Single(again.Result!.Deliveries);
        Assert.Equal(("topic-one", DeliveryStatus.Sent, false), (report.Identity, report.Status, report.SentByThisRun));
        Assert.Equal(1, Requests());
    }

    [Fact]
    public async Task An_edit_before_its_time_changes_what_goes_out_and_after_it_is_recorded_not_sent()
    {
        Post("topic-one", "2026-11-30T12:30:00Z", "[battersea]");
        await PublishAsync();
        Post("topic-one", "2026-11-30T12:30:00Z", "[battersea]", "link: topic-2\n");
        _clock.Shift = TimeSpan.FromMinutes(31);
        await PublishAsync();
        var sent = JsonDocument.Parse(Assert.Single(_platform.LogEntries).RequestMessage.Body!).RootElement.GetProperty("message").GetString();
        Assert.Contains("https://test.example.org/battersea/topic-2/", sent);

        Post("topic-one", "2026-11-30T12:30:00Z", "[battersea]", "link: topic-3\n");
        _clock.Shift = TimeSpan.FromMinutes(40);
        await PublishAsync();

        Assert.Single(_platform.LogEntries);
        var entry = await EntryAsync();
        Assert.True(entry.ChangedAfterSend);
        Assert.Equal(DeliveryStatus.Sent, entry.Status);
    }

    [Fact]
    public async Task A_message_sent_once_for_seats_sharing_an_account_goes_out_once_any_of_them_is_approved_not_only_the_first()
    {
        Approvals.ApprovalTests.WithApprovers(_content);
        _content.Delete("social/topic-one.md");
        _content.Write("social/shared.md",
            "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [x]\naudience: [battersea, bromley]\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}\n---\nWinter fuel help is here.\n");

        var held = await PublishAsync();
        var content = await _services.GetRequiredService<Publisher>().LoadAsync(new FolderContentSource(_content.Root), CancellationToken.None);
        var approval = await _services.GetRequiredService<ApprovalDesk>().ApproveAsync(content, new SignedInUser(Approvals.ApprovalTests.AgentId, "Priya Shah"),
            new ApprovalRequest("post:shared", "bromley"), "test", Storage.Approvals, CancellationToken.None);
        _clock.Shift = TimeSpan.FromMinutes(10);
        var sent = await PublishAsync();

        // One X account speaks for both seats and the words are the same, so the message goes out once, as the first seat's: Bromley's approval covers it.
        Assert.Equal(0, held.Result!.Posts.Count(p => p.PostId == "shared" && p.SentByThisRun));
        Assert.Equal(ApprovalOutcome.Approved, approval.Outcome);
        Assert.Equal(1, Requests());
        Assert.Contains(sent.Result!.Posts, p => p.PostId == "shared" && p.SentByThisRun);
    }

    [Fact]
    public async Task A_sponsored_post_over_its_spending_limit_is_held_at_send_time_with_the_figures_spend_gives()
    {
        WriteSpendLimit(20);
        Post("topic-one", "2026-11-30T11:00:00Z", "[battersea]", "approved_by: An Agent\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}\n");

        var run = await PublishAsync();

        var report = Assert.Single(run.Result!.Deliveries);
        Assert.Equal(DeliveryStatus.Failed, report.Status);
        Assert.Equal("held: the spending limit 'Test limit' is reached for battersea (£25.00 of £20.00); `spend` shows the same figures", report.Error);
        Assert.Equal(0, Requests());
    }

    /// <summary>A site whose 'Test limit' allows <paramref name="fixedGbp"/> pounds of sponsored posts from November to the year's end.</summary>
    private void WriteSpendLimit(int fixedGbp) => _content.Write("site.yaml", $"""
        title: Test Conservatives
        base_url: https://test.example.org
        imprint:
          promoter: A Promoter
          address: 1 Test Street, London SW1A 1AA
        spend_limits:
          - name: Test limit
            from: 2026-11-01T00:00
            to: 2027-01-01T00:00
            fixed_gbp: {fixedGbp}
        """);

    /// <summary>A sponsored post targets the seat around its reference point, found by the seat's GSS code.</summary>
    private void GiveBatterseaItsGssCode() =>
        _content.Write("constituencies.yaml", File.ReadAllText(Path.Combine(_content.Root, "constituencies.yaml")).Replace("name: Battersea\n", "name: Battersea\n    gss_code: E14001081\n", StringComparison.Ordinal));

    /// <summary>Battersea's Facebook Page with an ad account, through the real Meta client against the Graph API stub it returns.</summary>
    private async Task<LondonTories.Integration.Tests.Platforms.MetaGraphStub> UseMetaGraphAsync()
    {
        var graph = new LondonTories.Integration.Tests.Platforms.MetaGraphStub();
        GiveBatterseaItsGssCode();
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["facebook-london"] = LondonTories.Integration.Tests.Platforms.MetaGraphStub.Token }));
        _content.Write("channels.yaml", $"channels:\n  - id: facebook-london\n    platform: facebook\n    page_id: \"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}\"\n    ad_account_id: {LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}\n    api_url: {graph.BaseUrl}\n    secret: facebook-london\n");
        await _services.DisposeAsync();
        _services = Build(null);
        return graph;
    }

    /// <summary>Battersea's Facebook Page with an ad account, through the platform's stub, under a £40 spending limit.</summary>
    private async Task UseFacebookAdsUnderALimitOf40Async()
    {
        WriteSpendLimit(40);
        GiveBatterseaItsGssCode();
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["facebook-london"] = Secret }));
        _content.Write("channels.yaml", $"channels:\n  - id: facebook-london\n    platform: facebook\n    page_id: \"104000000000001\"\n    ad_account_id: act_204000000000001\n    api_url: {_platform.Url}/\n    secret: facebook-london\n");
        Client = new StubPlatformClient("facebook", _http, _clock);
        await _services.DisposeAsync();
        _services = Build(Client);
    }

    [Fact]
    public async Task A_sent_ad_counts_its_committed_budget_when_its_file_is_lowered_or_deleted_in_the_guard_and_in_spend()
    {
        await UseFacebookAdsUnderALimitOf40Async();
        void Sponsored(string name, string schedule, decimal budget) => _content.Write($"social/{name}.md",
            $"---\nschedule: {schedule}\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: {budget}, end: 2026-12-07T21:00}}\n---\n{name} in {{{{ constituency.name }}}}.\n");

        Sponsored("first", "2026-11-30T10:00:00Z", 30);
        var sent = await PublishAsync();
        Assert.True(sent.Result?.Deliveries.Length == 1, sent.Summary);
        Assert.Equal(DeliveryStatus.Sent, sent.Result.Deliveries[0].Status);
        Assert.Equal(30m, (await EntryAsync()).AdBudgetGbp);

        // Lowering the file's budget after the ad went out frees nothing: £30 stays committed with Meta.
        Sponsored("first", "2026-11-30T10:00:00Z", 5);
        Sponsored("second", "2026-11-30T11:00:00Z", 20);
        var run = await PublishAsync();

        var second = Assert.Single(run.Result!.Deliveries, d => d.PostId == "second");
        Assert.Equal(DeliveryStatus.Failed, second.Status);
        Assert.Equal("held: the spending limit 'Test limit' is reached for battersea (£50.00 of £40.00); `spend` shows the same figures", second.Error);
        Assert.Equal(1, Requests());

        var spend = await CliAsync("spend", "--content", _content.Root, "--storage", _connection);
        Assert.Equal(1, spend.Code);
        Assert.Matches(@"battersea\s+£\s+50\.00", spend.Out);
        Assert.Contains("note: first for battersea: £30.00 was committed when it went out; its file now says £5.00. The committed sum counts.", spend.Out);
        Assert.Contains("error: Test limit", spend.Error);

        // Deleting the file does not free it either.
        _content.Delete("social/first.md");
        var deleted = await CliAsync("spend", "--content", _content.Root, "--storage", _connection);
        Assert.Matches(@"battersea\s+£\s+50\.00", deleted.Out);
        Assert.Contains("note: first for battersea: £30.00 was committed when it went out; no file names it now. The committed sum counts.", deleted.Out);
        run = await PublishAsync();
        Assert.Equal(DeliveryStatus.Failed, Assert.Single(run.Result!.Deliveries, d => d.PostId == "second").Status);
        Assert.Equal(1, Requests());
    }

    [Fact]
    public async Task A_sent_ad_whose_file_was_renamed_counts_once_in_spend_and_in_the_guard_before_any_run_since()
    {
        await UseFacebookAdsUnderALimitOf40Async();
        void Sponsored(string name, string schedule, decimal budget, string text = "Winter fuel help") => _content.Write($"social/{name}.md",
            $"---\nschedule: {schedule}\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: {budget}, end: 2026-12-07T21:00}}\n---\n{text} in {{{{ constituency.name }}}}.\n");

        Sponsored("first", "2026-11-30T10:00:00Z", 30);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);

        // Renamed, and no publish since: the same post, committed once.
        _content.Delete("social/first.md");
        Sponsored("winter-fuel", "2026-11-30T10:00:00Z", 30);
        var spend = await CliAsync("spend", "--content", _content.Root, "--storage", _connection);
        Assert.True(spend.Code == 0, spend.Out + spend.Error);
        Assert.Matches(@"battersea\s+£\s+30\.00", spend.Out);
        Assert.DoesNotContain("note:", spend.Out);

        // The guard counts it once too: £30 and £10 is exactly the limit.
        Sponsored("second", "2026-11-30T11:00:00Z", 10, "Warm spaces");
        var run = await PublishAsync();
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(run.Result!.Deliveries, d => d.PostId == "second").Status);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(run.Result!.Deliveries, d => d.PostId == "winter-fuel").Status);
        Assert.Equal(2, Requests());
    }

    [Fact]
    public async Task A_Page_given_to_a_seat_after_its_ad_went_out_posts_the_post_unpaid_and_runs_no_second_ad()
    {
        await UseFacebookAdsUnderALimitOf40Async();
        _content.Write("social/first.md",
            "---\nschedule: 2026-11-30T10:00:00Z\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {budget_gbp: 30, end: 2026-12-07T21:00}\n---\nWinter fuel help in {{ constituency.name }}.\n");
        Assert.Equal(DeliveryStatus.Sent, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);

        // Battersea's own Page, with an ad account, now speaks for the seat before the London-wide one.
        _content.Write("channels.yaml", $"channels:\n  - id: facebook-london\n    platform: facebook\n    page_id: \"104000000000001\"\n    ad_account_id: act_204000000000001\n    api_url: {_platform.Url}/\n    secret: facebook-london\n" +
            $"  - id: facebook-battersea\n    platform: facebook\n    audience: [battersea]\n    page_id: \"104000000000002\"\n    ad_account_id: act_204000000000002\n    api_url: {_platform.Url}/\n    secret: facebook-london\n");
        _clock.Shift = TimeSpan.FromMinutes(30);
        var run = await PublishAsync();

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(run.Result!.Deliveries, d => d.Channel == "facebook-battersea").Status);
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.Equal(30m, entries.Sum(e => e.AdBudgetGbp ?? 0));
        Assert.Null(Assert.Single(entries, e => e.Channel == "facebook-battersea").AdBudgetGbp);
    }

    [Fact]
    public async Task A_sponsored_post_whose_ad_failed_after_its_Page_post_carries_on_from_its_own_post_not_another_that_reads_the_same()
    {
        using var graph = await UseMetaGraphAsync();

        // Two posts saying the same words: the second, a week's reminder, is a Page post of its own.
        void Sponsored(string name, string schedule) => _content.Write($"social/{name}.md",
            $"---\nschedule: {schedule}\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: 20, end: 2026-12-07T21:00}}\n---\nPolls are open until 10pm.\n");
        Sponsored("reminder-one", "2026-11-30T11:00:00Z");
        Sponsored("reminder-two", "2026-11-30T12:30:00Z");
        graph.Fail("POST", "/campaigns", LondonTories.Integration.Tests.Platforms.StubFault.Error(400,
            """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_user_msg":"The campaign could not be made."}}"""));

        var first = Assert.Single((await PublishAsync()).Result!.Deliveries, d => d.PostId == "reminder-one");
        Assert.Equal(DeliveryStatus.Failed, first.Status);
        var pagePost = Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts"));

        _clock.Shift = TimeSpan.FromHours(1);
        var second = await PublishAsync();

        Assert.All(second.Result!.Deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        var posts = graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts").Select(p => (string)p["id"]!).ToList();
        Assert.Equal(2, posts.Count);
        var entries = (await Storage.Deliveries.ReadAllAsync(CancellationToken.None)).ToDictionary(e => e.PostId, e => e.RemoteId);
        Assert.Equal((string)pagePost["id"]!, entries["reminder-one"]);
        Assert.NotEqual(entries["reminder-one"], entries["reminder-two"]);
        Assert.Equal(posts.Order(StringComparer.Ordinal), graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/adcreatives").Select(c => (string)c["object_story_id"]!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/campaigns")]
    [InlineData("/ads")]
    public async Task A_Page_post_deleted_by_hand_before_its_ad_was_made_is_posted_again_and_its_ad_runs_from_the_new_one(string failedStep)
    {
        using var graph = await UseMetaGraphAsync();
        _content.Write("social/topic-one.md",
            "---\nschedule: 2026-11-30T11:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {budget_gbp: 20, end: 2026-12-07T21:00}\n---\nPolls are open until 10pm.\n");

        // The ad stops at its campaign, or at the ad itself with a creative already made from the Page post.
        graph.Fail("POST", failedStep, LondonTories.Integration.Tests.Platforms.StubFault.Error(400,
            """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_user_msg":"The step could not be made."}}"""));
        Assert.Equal(DeliveryStatus.Failed, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);
        var deleted = (string)Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts"))["id"]!;
        Assert.Equal(deleted, (await EntryAsync()).RemoteId);

        // Someone deletes the Page post on Facebook itself.
        using (var gone = await _http.DeleteAsync(new Uri(graph.BaseUrl, $"{LondonTories.Publishing.Platforms.Meta.GraphApi.Version}/{deleted}?access_token={LondonTories.Integration.Tests.Platforms.MetaGraphStub.Token}")))
        {
            Assert.True(gone.IsSuccessStatusCode);
        }

        _clock.Shift = TimeSpan.FromHours(1);
        var retried = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Sent, retried.Status);
        var post = (string)Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts"))["id"]!;
        Assert.NotEqual(deleted, post);
        Assert.Equal(post, (await EntryAsync()).RemoteId);
        Assert.Equal(post, (string)Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/adcreatives"))["object_story_id"]!);
        Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/ads"));
    }

    [Fact]
    public async Task An_ad_whose_answer_was_lost_counts_its_budget_as_committed_before_an_attempt_finds_it()
    {
        using var graph = await UseMetaGraphAsync();
        WriteSpendLimit(40);
        void Sponsored(string name, string schedule, decimal budget, string text) => _content.Write($"social/{name}.md",
            $"---\nschedule: {schedule}\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: {budget}, end: 2026-12-07T21:00}}\n---\n{text} in {{{{ constituency.name }}}}.\n");

        // Meta makes the ad, and its answer is lost on the way back.
        Sponsored("first", "2026-11-30T10:00:00Z", 30, "Winter fuel help");
        graph.Fail("POST", "/ads", LondonTories.Integration.Tests.Platforms.StubFault.Error(500,
            """{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1}}"""), applied: true);
        Assert.NotEqual(DeliveryStatus.Sent, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);
        Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/ads"));

        // Its file is deleted as though nothing went out, and a £20 post follows: with the £30 ad running, the seat would spend £50.
        _content.Delete("social/first.md");
        Sponsored("second", "2026-11-30T11:00:00Z", 20, "Warm spaces");
        _clock.Shift = TimeSpan.FromMinutes(5);
        var second = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Failed, second.Status);
        Assert.Equal("held: the spending limit 'Test limit' is reached for battersea (£50.00 of £40.00); `spend` shows the same figures", second.Error);
        Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/ads"));
        var spend = await CliAsync("spend", "--content", _content.Root, "--storage", _connection);
        Assert.Matches(@"battersea\s+£\s+50\.00", spend.Out);
    }

    [Fact]
    public async Task A_sponsored_post_run_after_its_promotion_ended_puts_up_nothing_says_to_move_end_and_is_missed_when_its_grace_period_ends()
    {
        using var graph = await UseMetaGraphAsync();
        void Sponsored(string end) => _content.Write("social/topic-one.md",
            $"---\nschedule: 2026-11-30T10:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: 20, end: {end}}}\n---\nPolls are open until 10pm.\n");

        // Scheduled at 10:00 with its promotion ending at 13:00, and first run at 14:00: within the grace period, after the paid window.
        Sponsored("2026-11-30T13:00");
        _clock.Shift = TimeSpan.FromHours(2);
        var late = Assert.Single((await PublishAsync()).Result!.Deliveries);
        Assert.Equal(DeliveryStatus.Failed, late.Status);
        Assert.Equal("held: the promotion of topic-one for battersea ended at 2026-11-30 13:00 (London time) before it could be sent, so nothing was posted; move its `end` later to run it, or it is missed when its grace period ends at 2026-11-30 16:00", late.Error);
        Assert.Empty(graph.Requests);

        // Retries put nothing up either, and once the grace period ends it is missed with the same reason.
        _clock.Shift = TimeSpan.FromHours(3);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);
        _clock.Shift = TimeSpan.FromHours(5);
        var missed = Assert.Single((await PublishAsync()).Result!.Deliveries);
        Assert.Equal(DeliveryStatus.Missed, missed.Status);
        Assert.Equal(late.Error, missed.Error);
        Assert.Empty(graph.Requests);
        var posts = await CliAsync("posts", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T17:00", "--from", "2026-11-30T00:00");
        Assert.Contains("ended at 2026-11-30 13:00 (London time) before it could be sent", posts.Out);
    }

    [Fact]
    public async Task A_Page_post_whose_ad_failed_before_its_promotion_ended_is_named_in_the_hold_and_no_retry_reaches_Meta()
    {
        using var graph = await UseMetaGraphAsync();
        _content.Write("social/topic-one.md",
            "---\nschedule: 2026-11-30T11:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {budget_gbp: 20, end: 2026-11-30T12:30}\n---\nPolls are open until 10pm.\n");
        graph.Fail("POST", "/campaigns", LondonTories.Integration.Tests.Platforms.StubFault.Error(400,
            """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_user_msg":"The campaign could not be made."}}"""));
        Assert.Equal(DeliveryStatus.Failed, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);
        var pagePost = (string)Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts"))["id"]!;
        var requests = graph.Requests.Count;

        _clock.Shift = TimeSpan.FromHours(1);
        var held = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Failed, held.Status);
        Assert.Equal($"held: the promotion of topic-one for battersea ended at 2026-11-30 12:30 (London time) before its ad could be made; its Page post {pagePost} is up unpaid: delete it on the Page, or move its `end` later to run the ad, or it is missed when its grace period ends at 2026-11-30 17:00", held.Error);
        Assert.Equal(requests, graph.Requests.Count);
    }

    [Fact]
    public async Task A_sponsored_post_held_because_its_promotion_ended_goes_out_whole_once_its_end_is_moved_later()
    {
        using var graph = await UseMetaGraphAsync();
        void Sponsored(string end) => _content.Write("social/topic-one.md",
            $"---\nschedule: 2026-11-30T10:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: An Agent\nsponsored: {{budget_gbp: 20, end: {end}}}\n---\nPolls are open until 10pm.\n");

        Sponsored("2026-11-30T13:00");
        _clock.Shift = TimeSpan.FromHours(2);
        Assert.Equal(DeliveryStatus.Failed, Assert.Single((await PublishAsync()).Result!.Deliveries).Status);

        Sponsored("2026-12-07T21:00");
        _clock.Shift = TimeSpan.FromHours(3);
        var sent = Assert.Single((await PublishAsync()).Result!.Deliveries);

        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.PageId}/posts"));
        Assert.Single(graph.Objects($"{LondonTories.Integration.Tests.Platforms.MetaGraphStub.AdAccount}/ads"));
    }

    [Fact]
    public async Task No_secret_value_reaches_the_ledger_the_documents_the_logs_or_an_error()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/posts").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithBody($"invalid token {Secret}"));
        _content.Write("channels.yaml", $"""
            channels:
              - id: x-london
                platform: x
                api_url: {_platform.Url}/
                secret: x-london
              - id: x-bromley
                platform: x
                audience: [bromley]
                api_url: {_platform.Url}/
                secret: x-bromley
            """);
        Post("topic-one", "2026-11-30T11:00:00Z", "[battersea, bromley]");

        var run = await PublishAsync();

        Assert.Equal("Bearer " + Secret, Assert.Single(_platform.LogEntries).RequestMessage.Headers!["Authorization"].Single());
        var bromley = Assert.Single(run.Result!.Deliveries, d => d.Seat == "bromley");
        Assert.Equal(DeliveryStatus.Failed, bromley.Status);
        Assert.StartsWith("channel 'x-bromley': its secret 'x-bromley' could not be read: no user secret 'x-bromley'", bromley.Error);
        var everything = new List<string> { run.Summary, JsonSerializer.Serialize(run), JsonSerializer.Serialize(run.Result.Deliveries) };
        everything.AddRange(_logs.Events.Select(e => e.Message + string.Join(' ', e.State.Values)));
        var table = Storage.Tables.GetTableClient(SiteStorage.SocialLedgerTable);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            everything.Add(string.Join(" ", row.Select(p => $"{p.Key}={p.Value}")));
        }

        var social = Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
        await foreach (var blob in social.GetBlobsAsync())
        {
            everything.Add((await social.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
        }

        Assert.Contains(everything, e => e.Contains("invalid token [secret]", StringComparison.Ordinal));
        Assert.DoesNotContain(everything, e => e.Contains(Secret, StringComparison.Ordinal) || e.Contains("Very_Secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_sees_an_unknown_delivery_in_posts_confirms_it_and_retracts_what_went_out()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).InScenario("lost").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(502));
        _platform.Given(Request.Create().WithPath("/posts").UsingPost()).InScenario("lost").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "remote-9" }));
        _platform.Given(Request.Create().WithPath("/posts/remote-9").UsingDelete()).RespondWith(Response.Create().WithStatusCode(204));
        await PublishAsync();
        Post("topic-two", "2026-11-30T11:30:00Z", "[bromley]");
        await PublishAsync();

        var listed = await CliAsync("posts", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T12:00:00Z");
        Assert.Equal(0, listed.Code);
        Assert.Contains("    battersea: x-london: unknown (502)\n", listed.Out);
        Assert.Contains("    bromley: x-london: sent https://platform.example/posts/remote-9\n", listed.Out);

        var confirmed = await CliAsync("posts", "--storage", _connection, "--content", _content.Root, "--confirm", "topic-one", "battersea", "x-london", "sent");
        Assert.Equal((0, "topic-one battersea (en) x-london: sent.\n"), (confirmed.Code, confirmed.Out));
        Assert.Equal(DeliveryStatus.Sent, (await EntryAsync()).Status);

        var retracted = await CliAsync("posts", "--storage", _connection, "--content", _content.Root, "--retract", "topic-two");
        Assert.Equal((0, "topic-two bromley (en) x-london: retracted\n"), (retracted.Code, retracted.Out));
        Assert.Single(_platform.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path == "/posts/remote-9");
        Assert.Equal(DeliveryStatus.Retracted, (await EntryAsync("bromley")).Status);
        Assert.Equal(2, Requests());
    }

    [Fact]
    public async Task Publish_with_deliver_sends_through_the_real_x_and_mastodon_clients_once()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/2/tweets").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { data = new { id = "1850000000000000001", text = "…" } }));
        _platform.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "109", url = "https://mastodon.example/@lt/109" }));
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["x-london"] = Secret, ["mastodon-london"] = Secret + "-m" }));
        Channels("x", "mastodon");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [x, mastodon]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");

        var first = await CliAsync(realClients: true, "publish", "--content", _content.Root, "--storage", _connection, "--deliver");
        _clock.Shift = TimeSpan.FromMinutes(5);
        var second = await CliAsync(realClients: true, "publish", "--content", _content.Root, "--storage", _connection, "--deliver");

        Assert.True(first.Code == 0, first.Error);
        Assert.Contains("Deliveries: 2 sent (2 sent by this run).", first.Out);
        Assert.Contains("Deliveries: 2 sent (0 sent by this run).", second.Out);
        var tweet = Assert.Single(_platform.LogEntries, e => e.RequestMessage.Path == "/2/tweets");
        Assert.StartsWith("Read about it in Battersea.", JsonDocument.Parse(tweet.RequestMessage.Body!).RootElement.GetProperty("text").GetString());
        var status = Assert.Single(_platform.LogEntries, e => e.RequestMessage.Path == "/api/v1/statuses");
        Assert.Matches("^[a-z0-9]{32}$", status.RequestMessage.Headers!["Idempotency-Key"].Single());
        var entries = await Storage.Deliveries.ReadAllAsync(CancellationToken.None);
        Assert.Equal(
            ["x-london sent https://x.com/i/web/status/1850000000000000001", "mastodon-london sent https://mastodon.example/@lt/109"],
            entries.OrderByDescending(e => e.Channel, StringComparer.Ordinal).Select(e => $"{e.Channel} {DeliveryStatuses.Name(e.Status)} {e.RemoteUrl}"));
    }

    [Fact]
    public async Task The_cli_says_on_stderr_that_a_token_due_for_renewal_is_used_as_it_is_since_its_store_cannot_keep_a_new_one()
    {
        using var graph = new Platforms.MetaGraphStub();
        var token = new Publishing.Platforms.Threads.ThreadsToken(Platforms.MetaGraphStub.Token, _clock.GetUtcNow().AddDays(20)).ToJson();
        File.WriteAllText(_secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["threads-london"] = token }));
        _content.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{Platforms.MetaGraphStub.ThreadsUserId}\"\n    api_url: {graph.BaseUrl}\n    secret: threads-london\n");
        _content.Write("social/topic-one.md", "---\nschedule: 2026-11-30T11:00:00Z\nplatforms: [threads]\naudience: [battersea]\n---\nRead about it in {{ constituency.name }}.\n");

        var run = await CliAsync(realClients: true, "publish", "--content", _content.Root, "--storage", _connection, "--deliver");

        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("Deliveries: 1 sent (1 sent by this run).", run.Out);
        var warning = Assert.Single(run.Error.ReplaceLineEndings("\n").Split('\n'), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Contains("channel 'threads-london': the token in its secret 'threads-london' is due to be renewed, but dotnet user-secrets cannot keep a new one", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Platforms.MetaGraphStub.Token, run.Error + run.Out, StringComparison.Ordinal);
    }

    private Task<(int Code, string Out, string Error)> CliAsync(params string[] args) => CliAsync(false, args);

    private async Task<(int Code, string Out, string Error)> CliAsync(bool realClients, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await LondonTories.Cli.CliApp.RunAsync(args, stdout, stderr, CancellationToken.None, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton<ISecretStore>(new UserSecretsStore("tests", _secrets));
            if (!realClients)
            {
                services.AddSingleton<IPlatformClient>(Client);
            }
        });
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString());
    }

    /// <summary>Every log event with its named properties, as Application Insights would receive them.</summary>
    private sealed class CapturingLogger : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(EventId EventId, string Message, IReadOnlyDictionary<string, object?> State)> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId, formatter(state, exception),
                state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, object?>()));

        public void Dispose()
        {
        }
    }
}
