using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Bluesky;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>Bluesky's requests over real HTTP against a stub: a session, then a post record whose key a repeat can never change.</summary>
public sealed class BlueskyClientTests : IDisposable
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.access.jwt";
    private const string RecordKey = "45g746ogb7sdk";
    private const string CreateSession = "/xrpc/com.atproto.server.createSession";
    private const string CreateRecord = "/xrpc/com.atproto.repo.createRecord";
    private const string GetRecord = "/xrpc/com.atproto.repo.getRecord";
    private const string Created = $$"""{"uri":"at://{{Did}}/app.bsky.feed.post/{{RecordKey}}","cid":"bafyreifvvfidt2pt2fwogjgrq7uoqmvxwvqnokwd6u43n2c2qdmrghj4mu","commit":{"cid":"bafyreiget7cra7po2erm263ic42ivrmv5nbh7tzz3axz4dbcchupdjh7eq","rev":"3n3jckf57zk2m"},"validationStatus":"valid"}""";

    private readonly PlatformStub _stub = new();

    public BlueskyClientTests() => Sign(_stub);

    public void Dispose() => _stub.Dispose();

    private BlueskyClient Client => _stub.Client<BlueskyClient>();

    private Delivery Delivery => PlatformStub.Delivery("bluesky", _stub.Url, new Dictionary<string, string> { ["handle"] = "londontories.bsky.social" });

    private void AnswerCreate(IResponseBuilder response) =>
        _stub.Server.Given(Request.Create().WithPath(CreateRecord).UsingPost()).RespondWith(response);

    private static void Sign(PlatformStub stub) =>
        stub.Server.Given(Request.Create().WithPath(CreateSession).UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody($$"""{"accessJwt":"{{Jwt}}","refreshJwt":"refresh","handle":"londontories.bsky.social","did":"{{Did}}","active":true}"""));

    private void AnswerGet(bool found) => AnswerGet(_stub, found);

    private static void AnswerGet(PlatformStub stub, bool found) =>
        stub.Server.Given(Request.Create().WithPath(GetRecord).UsingGet()).RespondWith(found
            ? Response.Create().WithStatusCode(200).WithBody($$"""{"uri":"at://{{Did}}/app.bsky.feed.post/{{RecordKey}}","cid":"bafy","value":{"text":"t"} }""")
            : Response.Create().WithStatusCode(400).WithBody($$"""{"error":"RecordNotFound","message":"Could not locate record: at://{{Did}}/app.bsky.feed.post/{{RecordKey}}"}"""));

    [Fact]
    public async Task A_post_is_a_session_then_the_documented_record_with_the_link_facet_in_utf8_bytes()
    {
        AnswerCreate(Response.Create().WithStatusCode(200).WithBody(Created));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, $"at://{Did}/app.bsky.feed.post/{RecordKey}", $"https://bsky.app/profile/londontories.bsky.social/post/{RecordKey}"), result);
        var session = Assert.Single(_stub.RequestsTo(CreateSession));
        Assert.Equal("POST", session.RequestMessage.Method);
        var credentials = PlatformStub.Json(session);
        Assert.Equal("londontories.bsky.social", credentials.GetProperty("identifier").GetString());
        Assert.Equal(PlatformStub.Secret, credentials.GetProperty("password").GetString());

        var create = Assert.Single(_stub.RequestsTo(CreateRecord));
        Assert.Equal("POST", create.RequestMessage.Method);
        Assert.Equal($"Bearer {Jwt}", PlatformStub.Header(create, "Authorization"));
        var body = PlatformStub.Json(create);
        Assert.Equal(Did, body.GetProperty("repo").GetString());
        Assert.Equal("app.bsky.feed.post", body.GetProperty("collection").GetString());
        Assert.Equal(RecordKey, body.GetProperty("rkey").GetString());
        var record = body.GetProperty("record");
        Assert.Equal("app.bsky.feed.post", record.GetProperty("$type").GetString());
        Assert.Equal(Delivery.Message, record.GetProperty("text").GetString());
        Assert.Equal(["en"], record.GetProperty("langs").EnumerateArray().Select(l => l.GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", record.GetProperty("createdAt").GetString());
        var facet = Assert.Single(record.GetProperty("facets").EnumerateArray());
        // "Read about topic one in Battersea — “café” 🌳.\n\n" is 47 characters but 57 bytes of UTF-8.
        Assert.Equal(57, facet.GetProperty("index").GetProperty("byteStart").GetInt32());
        Assert.Equal(106, facet.GetProperty("index").GetProperty("byteEnd").GetInt32());
        var feature = Assert.Single(facet.GetProperty("features").EnumerateArray());
        Assert.Equal("app.bsky.richtext.facet#link", feature.GetProperty("$type").GetString());
        Assert.Equal("https://londontories.example/battersea/topic-one/", feature.GetProperty("uri").GetString());
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task The_session_is_kept_across_posts()
    {
        AnswerCreate(Response.Create().WithStatusCode(200).WithBody(Created));

        await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);
        await Client.SendAsync(Delivery with { Key = "topic-two-battersea-en-bluesky-main" }, PlatformStub.Secret, CancellationToken.None);

        Assert.Single(_stub.RequestsTo(CreateSession));
        Assert.Equal(2, _stub.RequestsTo(CreateRecord).Count);
    }

    [Fact]
    public async Task A_wrong_app_password_is_rejected_before_any_post_and_never_quoted()
    {
        _stub.Server.Reset();
        _stub.Server.Given(Request.Create().WithPath(CreateSession).UsingPost()).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"error":"AuthenticationRequired","message":"Invalid identifier or password"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Bluesky refused the app password for londontories.bsky.social (401: AuthenticationRequired: Invalid identifier or password). Create a new app password and store it in the channel's secret.", result.Error);
        Assert.Empty(_stub.RequestsTo(CreateRecord));
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task An_expired_session_is_made_afresh_once()
    {
        _stub.Server.Given(Request.Create().WithPath(CreateRecord).UsingPost()).InScenario("expiry").WillSetStateTo("renewed")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":"ExpiredToken","message":"Token has expired"}"""));
        _stub.Server.Given(Request.Create().WithPath(CreateRecord).UsingPost()).InScenario("expiry").WhenStateIs("renewed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Created));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, _stub.RequestsTo(CreateSession).Count);
        Assert.Equal(2, _stub.RequestsTo(CreateRecord).Count);
    }

    [Fact]
    public async Task A_server_error_on_a_record_that_exists_is_a_post_made()
    {
        // The reference server answers a second write of the same record key with 500.
        AnswerCreate(Response.Create().WithStatusCode(500).WithBody("""{"error":"InternalServerError","message":"Internal Server Error"}"""));
        AnswerGet(found: true);

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, $"at://{Did}/app.bsky.feed.post/{RecordKey}", $"https://bsky.app/profile/londontories.bsky.social/post/{RecordKey}"), result);
        var lookup = Assert.Single(_stub.RequestsTo(GetRecord));
        Assert.Equal($"?repo=londontories.bsky.social&collection=app.bsky.feed.post&rkey={RecordKey}", new Uri(lookup.RequestMessage.AbsoluteUrl).Query);
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_repeated_and_a_missing_record_means_not_sent()
    {
        AnswerCreate(Response.Create().WithStatusCode(503).WithBody("""{"error":"InternalServerError","message":"Service Unavailable"}"""));
        AnswerGet(found: false);

        var failed = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, failed.Outcome);
        Assert.EndsWith("The account holds no such post, so it was not made.", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1 + PlatformStub.MaxRetries, _stub.RequestsTo(CreateRecord).Count);

        using var stalling = new PlatformStub(TimeSpan.FromSeconds(2));
        Sign(stalling);
        stalling.Hang("POST", CreateRecord);
        AnswerGet(stalling, found: false);
        var timedOut = await stalling.Client<BlueskyClient>().SendAsync(Delivery with { ApiUrl = stalling.Url }, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, timedOut.Outcome);
        Assert.Equal(1 + PlatformStub.MaxRetries, stalling.Held(CreateRecord));
        stalling.AssertNoSecret(timedOut);
    }

    [Theory]
    [InlineData("""{"accessJwt":null,"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"}""")]
    [InlineData("""{"accessJwt":42,"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"}""")]
    [InlineData("""{"accessJwt":"eyJ.a.b","did":""}""")]
    public async Task A_sign_in_answered_200_without_a_token_and_account_is_no_session_and_nothing_is_posted(string answer)
    {
        // A null token went out as "Bearer " and a number threw while the answer was read.
        using var stub = new PlatformStub();
        stub.Server.Given(Request.Create().WithPath(CreateSession).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody(answer));

        var result = await stub.Client<BlueskyClient>().SendAsync(PlatformStub.Delivery("bluesky", stub.Url, new Dictionary<string, string> { ["handle"] = "londontories.bsky.social" }), PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.StartsWith("Bluesky: could not sign in as londontories.bsky.social (", result.Error, StringComparison.Ordinal);
        Assert.Contains("no session", result.Error, StringComparison.Ordinal);
        Assert.Empty(stub.RequestsTo(CreateRecord));
        stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_success_that_names_no_record_is_not_taken_for_a_post_until_the_record_is_found()
    {
        // A proxy or a server that is not a PDS answering 200 with its own page: no record was written.
        AnswerCreate(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html><body>Service unavailable</body></html>"));
        AnswerGet(found: false);

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal("Bluesky answered 200 without naming the record it made. The account holds no such post, so it was not made.", result.Error);
        Assert.Single(_stub.RequestsTo(GetRecord));
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_lookup_answered_200_without_the_record_cannot_say_the_post_exists()
    {
        _stub.Server.Given(Request.Create().WithPath(GetRecord).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"error":"RecordNotFound","message":"Could not locate record"}"""));

        var found = await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, found?.Outcome);
        _stub.AssertNoSecret(found!);
    }

    [Fact]
    public async Task A_refused_record_is_looked_for_then_rejected_without_quoting_the_session_token()
    {
        AnswerCreate(Response.Create().WithStatusCode(400)
            .WithBody($$"""{"error":"InvalidRequest","message":"Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 graphemes (session {{Jwt}})"}"""));
        AnswerGet(found: false);

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Bluesky refused the post (400: InvalidRequest: Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 graphemes (session [secret])).", result.Error);
        Assert.Single(_stub.RequestsTo(CreateRecord));
        Assert.Single(_stub.RequestsTo(GetRecord));
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_long_refusal_quoting_the_session_token_where_it_is_cut_short_shows_none_of_it()
    {
        // The error is cut at 300 characters: a token straddling the cut must not leave its start behind.
        const string before = "InvalidRequest: Invalid app.bsky.feed.post record: ";
        var message = $"Invalid app.bsky.feed.post record: {new string('x', 300 - before.Length - " session ".Length - 10)} session {Jwt}";
        AnswerCreate(Response.Create().WithStatusCode(400).WithBody($$"""{"error":"InvalidRequest","message":"{{message}}"}"""));
        AnswerGet(found: false);

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain(Jwt[..8], result.Error, StringComparison.Ordinal);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_rate_limit_gives_the_reset_from_its_header()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        AnswerCreate(Response.Create().WithStatusCode(429).WithHeader("ratelimit-limit", "5000").WithHeader("ratelimit-remaining", "0")
            .WithHeader("ratelimit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody("""{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset), result.RetryAt);
        Assert.Single(_stub.RequestsTo(CreateRecord));
        Assert.Empty(_stub.RequestsTo(GetRecord));
    }

    [Fact]
    public async Task A_retraction_deletes_the_record()
    {
        _stub.Server.Given(Request.Create().WithPath("/xrpc/com.atproto.repo.deleteRecord").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"commit":{"cid":"bafy","rev":"3n3"}}"""));

        var result = await Client.RetractAsync(Delivery, $"at://{Did}/app.bsky.feed.post/{RecordKey}", PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var delete = Assert.Single(_stub.RequestsTo("/xrpc/com.atproto.repo.deleteRecord"));
        Assert.Equal($"Bearer {Jwt}", PlatformStub.Header(delete, "Authorization"));
        var body = PlatformStub.Json(delete);
        Assert.Equal(Did, body.GetProperty("repo").GetString());
        Assert.Equal("app.bsky.feed.post", body.GetProperty("collection").GetString());
        Assert.Equal(RecordKey, body.GetProperty("rkey").GetString());
    }
}
