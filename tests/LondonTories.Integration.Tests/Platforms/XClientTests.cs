using System.Text.Json;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.X;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>X over real HTTP: the documented request, and every answer mapped without a second post or a leaked token.</summary>
public sealed class XClientTests : IDisposable
{
    private readonly PlatformStub _stub = new();

    public void Dispose() => _stub.Dispose();

    private XClient Client => _stub.Client<XClient>();

    private Delivery Delivery => PlatformStub.Delivery("x", _stub.Url);

    private void Answer(IResponseBuilder response) =>
        _stub.Server.Given(Request.Create().WithPath("/2/tweets").UsingPost()).RespondWith(response);

    [Fact]
    public async Task A_post_is_the_documented_request_and_comes_back_with_its_id()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
            .WithBody("""{"data":{"id":"1445880548472328192","text":"Read about topic one"}}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "1445880548472328192", "https://x.com/i/web/status/1445880548472328192"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.RequestMessage.Method);
        Assert.Equal("/2/tweets", request.RequestMessage.Path);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
        Assert.StartsWith("application/json", PlatformStub.Header(request, "Content-Type"), StringComparison.Ordinal);
        var body = PlatformStub.Json(request);
        Assert.Equal(Delivery.Message, body.GetProperty("text").GetString());
        Assert.Equal(["text"], body.EnumerateObject().Select(p => p.Name));
        _stub.AssertNoSecret(result);
    }

    [Theory]
    [InlineData("""{"data":{"id":1445880548472328192,"text":"t"}}""")]
    [InlineData("""{"data":{"id":null,"text":"t"}}""")]
    [InlineData("""{"data":{"id":{"id":"1445880548472328192"},"text":"t"}}""")]
    [InlineData("""{"data":"1445880548472328192"}""")]
    public async Task A_post_made_whose_answer_gives_its_id_as_no_string_is_unknown_and_not_repeated(string body)
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(body));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Unknown, Error: "X answered 201 without the new post's id."), result);
        Assert.Single(_stub.Requests);
    }

    [Theory]
    [InlineData("../../evil")]
    [InlineData("1445880548472328192?x=1")]
    [InlineData("..")]
    [InlineData("")]
    public async Task A_post_made_whose_answer_gives_an_id_that_is_not_digits_is_unknown_and_names_no_address(string id)
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new { data = new { id, text = "t" } })));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Null(result.RemoteUrl);
        Assert.Null(result.RemoteId);
        Assert.Single(_stub.Requests);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("42?force=1")]
    [InlineData("")]
    public async Task Retracting_by_an_id_that_is_not_an_X_post_id_sends_nothing_and_says_so(string id)
    {
        var result = await Client.RetractAsync(Delivery, id, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("not an X post id", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task An_expired_token_is_rejected_once_and_the_error_never_echoes_it()
    {
        // A platform that quotes the token back must still not put it in front of anyone.
        Answer(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/problem+json")
            .WithBody($$"""{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Token {{PlatformStub.Secret}} has expired"}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("expired or been revoked", result.Error, StringComparison.Ordinal);
        Assert.Contains("401: Token [secret] has expired", result.Error, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_revoked_permission_is_rejected_once()
    {
        Answer(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
            .WithBody("""{"detail":"You are not permitted to perform this action.","type":"about:blank","title":"Forbidden","status":403}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("X forbade the post (403: You are not permitted to perform this action.). Check the token's permissions and the account's standing.", result.Error);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_rate_limit_that_lifts_soon_is_waited_out_and_the_post_made_once()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
        _stub.Server.Given(Request.Create().WithPath("/2/tweets").UsingPost()).InScenario("limit").WillSetStateTo("lifted")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("x-rate-limit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithHeader("x-rate-limit-remaining", "0").WithBody("""{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"""));
        _stub.Server.Given(Request.Create().WithPath("/2/tweets").UsingPost()).InScenario("limit").WhenStateIs("lifted")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"data":{"id":"42","text":"t"}}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal("42", result.RemoteId);
        Assert.Equal(2, _stub.Requests.Count);
    }

    [Fact]
    public async Task A_rate_limit_that_lifts_later_stops_the_attempt_with_the_reset_time()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds();
        Answer(Response.Create().WithStatusCode(429).WithHeader("x-rate-limit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody("""{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset), result.RetryAt);
        Assert.Single(_stub.Requests);
    }

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("-99999999999999")]
    public async Task A_rate_limit_whose_reset_is_no_date_is_still_a_rate_limit_that_made_no_post(string reset)
    {
        Answer(Response.Create().WithStatusCode(429).WithHeader("x-rate-limit-reset", reset)
            .WithBody("""{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Contains("X is rate limiting this account", result.Error, StringComparison.Ordinal);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public async Task A_spent_daily_allowance_waits_for_its_own_reset_not_the_window()
    {
        var window = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var daily = DateTimeOffset.UtcNow.AddHours(20).ToUnixTimeSeconds();
        Answer(Response.Create().WithStatusCode(429)
            .WithHeader("x-rate-limit-reset", window.ToString(System.Globalization.CultureInfo.InvariantCulture)).WithHeader("x-rate-limit-remaining", "40")
            .WithHeader("x-user-limit-24hour-reset", daily.ToString(System.Globalization.CultureInfo.InvariantCulture)).WithHeader("x-user-limit-24hour-remaining", "0")
            .WithBody("""{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(daily), result.RetryAt);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_server_error_may_have_made_the_post_so_it_is_unknown_and_not_repeated()
    {
        Answer(Response.Create().WithStatusCode(503).WithBody("""{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_timeout_after_the_request_arrived_is_unknown_and_not_repeated()
    {
        using var stalling = new PlatformStub(TimeSpan.FromSeconds(2));
        stalling.Hang("POST", "/2/tweets", 201, """{"data":{"id":"1","text":"t"}}""");

        var result = await stalling.Client<XClient>().SendAsync(PlatformStub.Delivery("x", stalling.Url), PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Equal($"X: {stalling.Url.Host} did not answer in time; the request may or may not have taken effect.", result.Error);
        Assert.Equal(1, stalling.Held("/2/tweets"));
        stalling.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_dropped_connection_is_unknown_and_not_repeated()
    {
        Answer(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Single(_stub.Requests);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_refused_connection_never_sent_anything()
    {
        var result = await Client.SendAsync(PlatformStub.Delivery("x", PlatformStub.Unreachable()), PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.StartsWith("X: could not reach 127.0.0.1", result.Error, StringComparison.Ordinal);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task X_offers_no_lookup_and_a_retraction_deletes_the_post()
    {
        _stub.Server.Given(Request.Create().WithPath("/2/tweets/42").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":{"deleted":true}}"""));

        Assert.Null(await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None));
        var result = await Client.RetractAsync(Delivery, "42", PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "42"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("DELETE", request.RequestMessage.Method);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static string TokenSet(DateTimeOffset expires, string? clientSecret = null) => new XToken(
        PlatformStub.Secret, "refresh-one-" + PlatformStub.Secret, expires, "client-7Qx", clientSecret).ToJson();

    [Theory]
    [InlineData(null)]
    [InlineData("client-secret-81c2f0a9")]
    public async Task An_expiring_token_set_is_renewed_with_the_documented_refresh_request_and_the_rotated_refresh_token_kept(string? clientSecret)
    {
        _stub.Server.Given(Request.Create().WithPath("/2/oauth2/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"token_type":"bearer","expires_in":7200,"access_token":"access-two","scope":"tweet.read tweet.write users.read offline.access","refresh_token":"refresh-two"}"""));
        var secret = TokenSet(Now.AddMinutes(4), clientSecret);

        Assert.False(Client.NeedsRenewal(TokenSet(Now.AddMinutes(6), clientSecret), Now));
        Assert.True(Client.NeedsRenewal(secret, Now));
        Assert.False(Client.NeedsRenewal(PlatformStub.Secret, Now));
        var renewed = await Client.RenewAsync(Delivery, secret, Now, CancellationToken.None);

        Assert.Null(renewed.Error);
        Assert.Equal(new XToken("access-two", "refresh-two", Now.AddHours(2), "client-7Qx", clientSecret), XToken.Parse(renewed.Value!));
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("/2/oauth2/token", request.RequestMessage.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", PlatformStub.Header(request, "Content-Type"), StringComparison.Ordinal);
        var form = System.Web.HttpUtility.ParseQueryString(request.RequestMessage.Body!);
        Assert.Equal(
            ["grant_type=refresh_token", $"refresh_token=refresh-one-{PlatformStub.Secret}", "client_id=client-7Qx"],
            form.AllKeys.Select(k => $"{k}={form[k]}"));
        var authorization = request.RequestMessage.Headers!.TryGetValue("Authorization", out var values) ? values.Single() : null;
        Assert.Equal(clientSecret is null ? null : "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"client-7Qx:{clientSecret}")), authorization);
    }

    [Theory]
    [InlineData("\"7200\"")]
    [InlineData("null")]
    [InlineData("-7200")]
    [InlineData("{\"seconds\":7200}")]
    public async Task A_renewal_whose_lifetime_is_no_number_of_seconds_keeps_the_rotated_refresh_token_and_lasts_two_hours(string expiresIn)
    {
        _stub.Server.Given(Request.Create().WithPath("/2/oauth2/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"token_type":"bearer","expires_in":{{expiresIn}},"access_token":"access-two","scope":"tweet.write offline.access","refresh_token":"refresh-two"}"""));

        var renewed = await Client.RenewAsync(Delivery, TokenSet(Now.AddMinutes(4)), Now, CancellationToken.None);

        Assert.Null(renewed.Error);
        Assert.Equal(new XToken("access-two", "refresh-two", Now.AddHours(2), "client-7Qx"), XToken.Parse(renewed.Value!));
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_refused_refresh_says_what_to_do_and_never_repeats_a_token()
    {
        _stub.Server.Given(Request.Create().WithPath("/2/oauth2/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"error":"invalid_request","error_description":"Value passed for the token was invalid: refresh-one-{{PlatformStub.Secret}}"}"""));

        var renewed = await Client.RenewAsync(Delivery, TokenSet(Now.AddMinutes(-30)), Now, CancellationToken.None);

        Assert.Null(renewed.Value);
        Assert.Equal(
            "X refused to renew the access token (400: invalid_request: Value passed for the token was invalid: refresh-one-[secret]): the refresh token was revoked or already used, or the client id or secret is wrong; authorise the app again (scope offline.access) and store the new token set.",
            renewed.Error);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_post_with_a_token_set_goes_out_with_its_access_token_alone()
    {
        Answer(Response.Create().WithStatusCode(201).WithBody("""{"data":{"id":"7","text":"t"}}"""));

        var result = await Client.SendAsync(Delivery, TokenSet(Now.AddHours(1)), CancellationToken.None);
        var malformed = await Client.SendAsync(Delivery, "{\"refresh_token\":\"r\"}", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(Assert.Single(_stub.Requests), "Authorization"));
        Assert.Equal(DeliveryOutcome.Rejected, malformed.Outcome);
        Assert.StartsWith("The X channel's secret starts like a JSON token set but is not one", malformed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(302)]
    public async Task A_redirect_to_another_host_is_not_followed_so_the_post_and_its_token_stay_put(int status)
    {
        using var elsewhere = WireMock.Server.WireMockServer.Start();
        elsewhere.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"data":{"id":"1","text":"t"}}"""));
        Answer(Response.Create().WithStatusCode(status).WithHeader("Location", $"{elsewhere.Url}/2/tweets"));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Empty(elsewhere.LogEntries);
        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal($"X answered {status} with a redirect to {new Uri(elsewhere.Url!).Authority}, which is never followed: check the channel's api_url.", result.Error);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task An_answer_of_megabytes_is_read_no_further_than_its_first_and_a_post_it_cannot_prove_is_unknown()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
            .WithBody("{\"data\":{\"id\":\"42\",\"text\":\"" + new string('a', 3 * 1024 * 1024) + "\"}}"));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Unknown, Error: "X answered 201 without the new post's id."), result);
    }
}
