using System.Globalization;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Mastodon;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>Mastodon over real HTTP: a public status with its language, keyed so that a repeat makes no second one.</summary>
public sealed class MastodonClientTests : IDisposable
{
    private const string Status = """{"id":"103270115826048975","url":"https://social.example/@londontories/103270115826048975","visibility":"public","language":"en"}""";

    private readonly PlatformStub _stub = new();

    public void Dispose() => _stub.Dispose();

    private MastodonClient Client => _stub.Client<MastodonClient>();

    private Delivery Delivery => PlatformStub.Delivery("mastodon", _stub.Url, language: "bn");

    private void Answer(IResponseBuilder response) =>
        _stub.Server.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).RespondWith(response);

    [Fact]
    public async Task A_status_is_the_documented_request_with_its_idempotency_key()
    {
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Status));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "103270115826048975", "https://social.example/@londontories/103270115826048975"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.RequestMessage.Method);
        Assert.Equal("/api/v1/statuses", request.RequestMessage.Path);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
        Assert.Equal("topic-one-battersea-bn-mastodon-main", PlatformStub.Header(request, "Idempotency-Key"));
        Assert.StartsWith("application/x-www-form-urlencoded", PlatformStub.Header(request, "Content-Type"), StringComparison.Ordinal);
        var form = request.RequestMessage.Body!.Split('&').Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal(new Dictionary<string, string> { ["status"] = Delivery.Message, ["language"] = "bn", ["visibility"] = "public" }, form);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_status_made_whose_answer_gives_its_url_as_no_string_is_sent_without_the_url()
    {
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"id":"103270115826048975","url":42}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "103270115826048975"), result);
    }

    [Fact]
    public async Task An_answer_giving_the_status_id_as_no_string_is_unknown_and_says_so()
    {
        Answer(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"id":103270115826048975}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Unknown, Error: "Mastodon answered 200 without the new status's id."), result);
    }

    [Fact]
    public async Task An_instance_that_answers_and_never_finishes_its_body_is_given_up_within_the_timeout()
    {
        using var stalling = new StallingServer();
        using var stub = new PlatformStub(attemptTimeout: StubFault.ShortTimeout);

        var sending = stub.Client<MastodonClient>().SendAsync(PlatformStub.Delivery("mastodon", stalling.BaseUrl), PlatformStub.Secret, CancellationToken.None);
        var finished = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(sending, finished);
        var result = await sending;
        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Contains("did not answer in time", result.Error, StringComparison.Ordinal);
        Assert.Equal(1 + PlatformStub.MaxRetries, stalling.Received);
    }

    [Fact]
    public async Task A_revoked_token_is_rejected_once()
    {
        Answer(Response.Create().WithStatusCode(401).WithBody("""{"error":"The access token was revoked"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("401: The access token was revoked", result.Error, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_long_error_that_quotes_the_token_where_it_is_cut_short_shows_none_of_it()
    {
        // The token starts just before the 300 characters of an error that are kept.
        var quoted = $"{new string('x', 280)} token {PlatformStub.Secret}";
        Answer(Response.Create().WithStatusCode(422).WithBody($$"""{"error":"{{quoted}}"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain(PlatformStub.Secret[..6], result.Error, StringComparison.Ordinal);
        Assert.Contains("token [secret]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validation_error_is_rejected_with_the_instance_words()
    {
        Answer(Response.Create().WithStatusCode(422).WithBody("""{"error":"Validation failed: Text character limit of 500 exceeded"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Rejected, Error: "Mastodon refused the status as invalid (422: Validation failed: Text character limit of 500 exceeded)."), result);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_rate_limit_past_the_wait_gives_the_reset_from_its_header()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(5);
        var header = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        Answer(Response.Create().WithStatusCode(429).WithHeader("X-RateLimit-Limit", "300").WithHeader("X-RateLimit-Remaining", "0")
            .WithHeader("X-RateLimit-Reset", header).WithBody("""{"error":"Too many requests"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(DateTimeOffset.Parse(header, CultureInfo.InvariantCulture), result.RetryAt);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_server_error_is_repeated_under_the_same_key_since_a_repeat_is_harmless()
    {
        _stub.Server.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).InScenario("flaky").WillSetStateTo("better")
            .RespondWith(Response.Create().WithStatusCode(502).WithBody("<html>Bad Gateway</html>"));
        _stub.Server.Given(Request.Create().WithPath("/api/v1/statuses").UsingPost()).InScenario("flaky").WhenStateIs("better")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Status));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, _stub.Requests.Count);
        Assert.All(_stub.Requests, r => Assert.Equal("topic-one-battersea-bn-mastodon-main", PlatformStub.Header(r, "Idempotency-Key")));
    }

    [Fact]
    public async Task A_timeout_is_repeated_under_the_same_key_then_left_unknown()
    {
        using var stalling = new PlatformStub(TimeSpan.FromSeconds(2));
        stalling.Hang("POST", "/api/v1/statuses", 200, Status);

        var result = await stalling.Client<MastodonClient>().SendAsync(PlatformStub.Delivery("mastodon", stalling.Url), PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Equal(1 + PlatformStub.MaxRetries, stalling.Held("/api/v1/statuses"));
        stalling.AssertNoSecret(result);
    }

    // The delivery's message as Mastodon renders it: paragraphs, and a link whose address is cut into hidden and shown spans.
    private static string Rendered(Delivery delivery) =>
        "<p>Read about topic one in Battersea — “café” 🌳.</p><p><a href=\"https://londontories.example/battersea/topic-one/\" rel=\"nofollow noopener\" translate=\"no\" target=\"_blank\">" +
        "<span class=\"invisible\">https://</span><span class=\"ellipsis\">londontories.example/battersea</span><span class=\"invisible\">/topic-one/</span></a></p>" +
        $"<p>{System.Net.WebUtility.HtmlEncode(delivery.Message[delivery.Message.LastIndexOf('\n')..].Trim())}</p>";

    private void Account(params (string Id, string Content, string? Source)[] statuses)
    {
        _stub.Server.Given(Request.Create().WithPath("/api/v1/accounts/verify_credentials").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "109348224", username = "londontories", acct = "londontories" }));
        _stub.Server.Given(Request.Create().WithPath("/api/v1/accounts/109348224/statuses").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(statuses.Select(s => new
            {
                id = s.Id,
                created_at = "2026-11-30T11:00:00.000Z",
                visibility = "public",
                language = "bn",
                url = $"https://social.example/@londontories/{s.Id}",
                content = s.Content,
            })));
        foreach (var (id, _, source) in statuses.Where(s => s.Source is not null))
        {
            _stub.Server.Given(Request.Create().WithPath($"/api/v1/statuses/{id}/source").UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id, text = source, spoiler_text = "" }));
        }
    }

    [Fact]
    public async Task A_status_whose_answer_was_lost_is_found_among_the_latest_by_its_text_as_written()
    {
        Account(("103270115826048977", "<p>Something else entirely.</p>", "Something else entirely."), ("103270115826048975", Rendered(Delivery), Delivery.Message.Replace("\n", "\r\n")));

        var found = await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "103270115826048975", "https://social.example/@londontories/103270115826048975"), found);
        Assert.Equal(
            ["/api/v1/accounts/verify_credentials", "/api/v1/accounts/109348224/statuses", "/api/v1/statuses/103270115826048975/source"],
            _stub.Requests.Select(r => r.RequestMessage.Path));
        var listing = _stub.Requests[1].RequestMessage.Query!;
        Assert.Equal(("40", "true", "true"), (listing["limit"].Single(), listing["exclude_replies"].Single(), listing["exclude_reblogs"].Single()));
        Assert.All(_stub.Requests, r => Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(r, "Authorization")));
    }

    [Fact]
    public async Task An_older_status_that_reads_the_same_settles_nothing()
    {
        // The account's status of 11:00 says the same words as a delivery first attempted at noon: it is another post.
        Account(("103270115826048975", Rendered(Delivery), Delivery.Message));

        Assert.Null(await Client.FindAsync(Delivery with { EarlierAttempt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero) }, PlatformStub.Secret, CancellationToken.None));
        Assert.NotNull(await Client.FindAsync(Delivery with { EarlierAttempt = new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero) }, PlatformStub.Secret, CancellationToken.None));
    }

    [Fact]
    public async Task A_status_that_reads_the_same_but_was_written_otherwise_settles_nothing()
    {
        // The same words with spaces where the delivery has blank lines read alike once rendered: only the source tells them apart.
        var written = Delivery.Message.Replace("\n\n", " ", StringComparison.Ordinal);
        Account(("103270115826048975", Rendered(Delivery), written));

        Assert.Null(await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None));
        Assert.Equal(3, _stub.Requests.Count);
    }

    [Fact]
    public async Task A_token_that_may_not_read_the_account_settles_nothing_and_asks_nothing_more()
    {
        _stub.Server.Given(Request.Create().WithPath("/api/v1/accounts/verify_credentials").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new { error = "This action is outside the authorized scopes" }));

        Assert.Null(await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None));
        Assert.Equal(["/api/v1/accounts/verify_credentials"], _stub.Requests.Select(r => r.RequestMessage.Path));
    }

    [Fact]
    public async Task A_retraction_deletes_the_status()
    {
        _stub.Server.Given(Request.Create().WithPath("/api/v1/statuses/103270115826048975").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Status));

        var result = await Client.RetractAsync(Delivery, "103270115826048975", PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "103270115826048975"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("DELETE", request.RequestMessage.Method);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public async Task Retracting_by_an_id_that_is_not_a_Mastodon_status_id_sends_nothing_and_says_so(string id)
    {
        var result = await Client.RetractAsync(Delivery, id, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("not a Mastodon status id", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }
}
