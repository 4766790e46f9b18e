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

    [Fact]
    public async Task A_retraction_deletes_the_status()
    {
        _stub.Server.Given(Request.Create().WithPath("/api/v1/statuses/103270115826048975").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Status));

        Assert.Null(await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None));
        var result = await Client.RetractAsync(Delivery, "103270115826048975", PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "103270115826048975"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("DELETE", request.RequestMessage.Method);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
    }
}
