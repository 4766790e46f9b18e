using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.LinkedIn;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>LinkedIn over real HTTP: an organization's post through the versioned Posts API, its id from the x-restli-id header.</summary>
public sealed class LinkedInClientTests : IDisposable
{
    private const string Urn = "urn:li:share:6844785523593134080";

    private readonly PlatformStub _stub = new();

    public void Dispose() => _stub.Dispose();

    private LinkedInClient Client => _stub.Client<LinkedInClient>();

    private Delivery Delivery => PlatformStub.Delivery("linkedin", _stub.Url, new Dictionary<string, string> { ["organization"] = "urn:li:organization:5515715" });

    private void Answer(IResponseBuilder response) =>
        _stub.Server.Given(Request.Create().WithPath("/rest/posts").UsingPost()).RespondWith(response);

    [Fact]
    public async Task A_post_is_the_documented_request_with_the_link_as_an_article()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", Urn));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, Urn, $"https://www.linkedin.com/feed/update/{Urn}/"), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.RequestMessage.Method);
        Assert.Equal("/rest/posts", request.RequestMessage.Path);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(request, "Authorization"));
        Assert.Equal(LinkedInClient.ApiVersion, PlatformStub.Header(request, "LinkedIn-Version"));
        Assert.Matches("^20[0-9]{2}(0[1-9]|1[0-2])$", LinkedInClient.ApiVersion);
        Assert.Equal("2.0.0", PlatformStub.Header(request, "X-Restli-Protocol-Version"));
        var body = PlatformStub.Json(request);
        Assert.Equal("urn:li:organization:5515715", body.GetProperty("author").GetString());
        Assert.Equal(Delivery.Message, body.GetProperty("commentary").GetString());
        Assert.Equal("PUBLIC", body.GetProperty("visibility").GetString());
        Assert.Equal("MAIN_FEED", body.GetProperty("distribution").GetProperty("feedDistribution").GetString());
        Assert.Equal(0, body.GetProperty("distribution").GetProperty("targetEntities").GetArrayLength());
        Assert.Equal("PUBLISHED", body.GetProperty("lifecycleState").GetString());
        Assert.False(body.GetProperty("isReshareDisabledByAuthor").GetBoolean());
        var article = body.GetProperty("content").GetProperty("article");
        Assert.Equal("https://londontories.example/battersea/topic-one/", article.GetProperty("source").GetString());
        Assert.Equal("Read about topic one in Battersea — “café” 🌳.", article.GetProperty("title").GetString());
        _stub.AssertNoSecret(result);
    }

    [Theory]
    [InlineData("6844785523593134080")]
    [InlineData("urn:li:organization:5515715")]
    [InlineData("urn:li:share:")]
    [InlineData("urn:li:share:6844785523593134080/../../admin")]
    [InlineData("https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/")]
    public async Task A_post_made_whose_id_is_no_share_or_ugcPost_urn_is_unknown_and_not_repeated(string id)
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", id));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Unknown, Error: "LinkedIn answered 201 without the new post's id."), result);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_post_made_as_a_ugcPost_is_sent_with_its_urn()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", "urn:li:ugcPost:7140061366538653696"));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, "urn:li:ugcPost:7140061366538653696", "https://www.linkedin.com/feed/update/urn:li:ugcPost:7140061366538653696/"), result);
    }

    [Theory]
    [InlineData(426, """{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 202607 is not active"}""")]
    [InlineData(400, """{"status":400,"code":"VERSION_MISSING","message":"A version must be present. Please specify a version by adding the LinkedIn-Version header."}""")]
    public async Task A_retired_API_version_is_rejected_once_with_the_fix(int status, string body)
    {
        Answer(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.StartsWith(
            $"LinkedIn no longer accepts the API version this app asks for ({LinkedInClient.ApiVersion}): move LinkedInClient.ApiVersion on to a current version from https://learn.microsoft.com/linkedin/marketing/versioning and deploy again. ({status}: ",
            result.Error, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_bare_organization_id_is_made_a_urn_and_a_post_without_a_link_has_no_article()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", Urn));
        var delivery = PlatformStub.Delivery("linkedin", _stub.Url, new Dictionary<string, string> { ["organization"] = "5515715" }, link: null);

        var result = await Client.SendAsync(delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var body = PlatformStub.Json(Assert.Single(_stub.Requests));
        Assert.Equal("urn:li:organization:5515715", body.GetProperty("author").GetString());
        Assert.False(body.TryGetProperty("content", out _));
    }

    [Fact]
    public async Task An_expired_token_is_rejected_once()
    {
        Answer(Response.Create().WithStatusCode(401).WithBody("""{"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user","status":401}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("401: The token used in the request has been revoked by the user", result.Error, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
        _stub.AssertNoSecret(result);
    }

    [Fact]
    public async Task A_missing_permission_is_rejected_once()
    {
        Answer(Response.Create().WithStatusCode(403).WithBody("""{"serviceErrorCode":100,"message":"Not enough permissions to access: partnerApiPostsExternal.CREATE.20241001","status":403}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("Not enough permissions", result.Error, StringComparison.Ordinal);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_validation_error_is_rejected()
    {
        Answer(Response.Create().WithStatusCode(422).WithBody("""{"message":"ERROR :: /commentary :: is too long","status":422}"""));

        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Rejected, Error: "LinkedIn refused the post as invalid (422: ERROR :: /commentary :: is too long)."), result);
    }

    [Fact]
    public async Task A_rate_limit_gives_its_retry_after()
    {
        Answer(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3600").WithBody("""{"message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached.","status":429}"""));

        var before = DateTimeOffset.UtcNow;
        var result = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.InRange(result.RetryAt!.Value, before.AddSeconds(3600), DateTimeOffset.UtcNow.AddSeconds(3600));
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_server_error_or_a_lost_answer_is_unknown_and_never_repeated()
    {
        Answer(Response.Create().WithStatusCode(500).WithBody("""{"message":"Internal Server Error","status":500}"""));
        var failed = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Unknown, failed.Outcome);
        Assert.Single(_stub.Requests);

        _stub.Server.Reset();
        Answer(Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        var dropped = await Client.SendAsync(Delivery, PlatformStub.Secret, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Unknown, dropped.Outcome);
        Assert.Single(_stub.Requests);

        using var stalling = new PlatformStub(TimeSpan.FromSeconds(2));
        stalling.Hang("POST", "/rest/posts", 201);
        var timedOut = await stalling.Client<LinkedInClient>().SendAsync(Delivery with { ApiUrl = stalling.Url }, PlatformStub.Secret, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Unknown, timedOut.Outcome);
        Assert.Equal(1, stalling.Held("/rest/posts"));
        stalling.AssertNoSecret(timedOut);
    }

    [Fact]
    public async Task A_retraction_deletes_the_post_by_its_encoded_urn()
    {
        _stub.Server.Given(Request.Create().WithPath("/rest/posts/urn%3Ali%3Ashare%3A6844785523593134080").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(204));

        Assert.Null(await Client.FindAsync(Delivery, PlatformStub.Secret, CancellationToken.None));
        var result = await Client.RetractAsync(Delivery, Urn, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, Urn), result);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("DELETE", request.RequestMessage.Method);
        Assert.Equal(LinkedInClient.ApiVersion, PlatformStub.Header(request, "LinkedIn-Version"));
        Assert.Equal("2.0.0", PlatformStub.Header(request, "X-Restli-Protocol-Version"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("6844785523593134080")]
    [InlineData("urn:li:person:abc")]
    public async Task Retracting_by_an_id_that_is_not_a_LinkedIn_post_URN_sends_nothing_and_says_so(string id)
    {
        var result = await Client.RetractAsync(Delivery, id, PlatformStub.Secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("not a LinkedIn post URN", result.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests);
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private const string RefreshToken = "AQWrefresh-one-8c1f0e";

    private const string ClientSecret = "client-secret-5b7d";

    private static string TokenSet(DateTimeOffset expires, DateTimeOffset? refreshExpires = null) => new LinkedInToken(
        PlatformStub.Secret, RefreshToken, expires, refreshExpires ?? Now.AddDays(200), "client-86x", ClientSecret).ToJson();

    private void AnswerRefresh(IResponseBuilder response) =>
        _stub.Server.Given(Request.Create().WithPath("/oauth/v2/accessToken").UsingPost()).RespondWith(response);

    [Fact]
    public async Task A_token_set_a_week_old_is_renewed_with_the_documented_refresh_request_and_kept_with_both_expiries()
    {
        AnswerRefresh(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"AQVaccess-two","expires_in":5184000,"refresh_token":"{{RefreshToken}}","refresh_token_expires_in":17280000,"scope":"w_organization_social"}"""));
        var secret = TokenSet(Now.AddDays(53));

        Assert.False(Client.NeedsRenewal(TokenSet(Now.AddDays(54)), Now));
        Assert.True(Client.NeedsRenewal(secret, Now));
        Assert.False(Client.NeedsRenewal(PlatformStub.Secret, Now));
        Assert.True(Client.CanRenew(secret));
        Assert.False(Client.CanRenew(PlatformStub.Secret));
        Assert.False(Client.CanRenew(new LinkedInToken(PlatformStub.Secret, RefreshToken, Now.AddDays(53), null, "client-86x", null).ToJson()));
        Assert.True(Client.StillWorks(secret, Now));
        var renewed = await Client.RenewAsync(Delivery, secret, Now, CancellationToken.None);

        Assert.Null(renewed.Error);
        Assert.Equal(new LinkedInToken("AQVaccess-two", RefreshToken, Now.AddDays(60), Now.AddDays(200), "client-86x", ClientSecret), LinkedInToken.Parse(renewed.Value!));
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST /oauth/v2/accessToken", $"{request.RequestMessage.Method} {request.RequestMessage.Path}");
        Assert.StartsWith("application/x-www-form-urlencoded", PlatformStub.Header(request, "Content-Type"), StringComparison.Ordinal);
        var form = System.Web.HttpUtility.ParseQueryString(request.RequestMessage.Body!);
        Assert.Equal(
            ["grant_type=refresh_token", $"refresh_token={RefreshToken}", "client_id=client-86x", $"client_secret={ClientSecret}"],
            form.AllKeys.Select(k => $"{k}={form[k]}"));
        Assert.False(request.RequestMessage.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public void The_token_endpoint_is_LinkedIn_s_own_host_unless_the_channel_names_another_server()
    {
        Assert.Equal(new Uri("https://www.linkedin.com/oauth/v2/accessToken"), LinkedInClient.TokenEndpoint(LinkedInClient.DefaultApiUrl));
        Assert.Equal(new Uri(_stub.Url, "oauth/v2/accessToken"), LinkedInClient.TokenEndpoint(_stub.Url));
    }

    [Fact]
    public async Task A_refused_refresh_says_what_to_do_and_never_repeats_a_secret()
    {
        AnswerRefresh(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"error":"invalid_grant","error_description":"Token has been expired or revoked: {{RefreshToken}}"}"""));

        var renewed = await Client.RenewAsync(Delivery, TokenSet(Now.AddDays(20)), Now, CancellationToken.None);

        Assert.Null(renewed.Value);
        Assert.Equal(
            "LinkedIn refused to renew the access token (400: invalid_grant: Token has been expired or revoked: [secret]): the refresh token was revoked, or the client id or secret is wrong; ask an administrator of the Page to authorise the app again and store the new token set.",
            renewed.Error);
        Assert.False(renewed.OldSpent);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task A_refresh_token_past_its_year_is_not_sent_and_says_to_authorise_again()
    {
        var lapsed = TokenSet(Now.AddDays(3), refreshExpires: Now.AddMinutes(-1));

        Assert.True(Client.NeedsRenewal(lapsed, Now));
        var renewed = await Client.RenewAsync(Delivery, lapsed, Now, CancellationToken.None);

        Assert.Null(renewed.Value);
        Assert.Equal(
            "the LinkedIn refresh token expired at 2026-11-30 11:59Z (LinkedIn gives a year from the first authorisation, and renewals do not extend it): ask an administrator of the Page to authorise the app again and store the new token set before the access token lapses at 2026-12-03 12:00Z.",
            renewed.Error);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task A_post_with_a_token_set_goes_out_with_its_access_token_alone()
    {
        Answer(Response.Create().WithStatusCode(201).WithHeader("x-restli-id", Urn));

        var result = await Client.SendAsync(Delivery, TokenSet(Now.AddDays(50)), CancellationToken.None);
        var malformed = await Client.SendAsync(Delivery, "{\"refresh_token\":\"r\"}", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal($"Bearer {PlatformStub.Secret}", PlatformStub.Header(Assert.Single(_stub.Requests), "Authorization"));
        Assert.Equal(DeliveryOutcome.Rejected, malformed.Outcome);
        Assert.StartsWith("The LinkedIn channel's secret starts like a JSON token set but is not one", malformed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authorisation_in_its_last_month_is_told_of_once_a_run_naming_channel_secret_and_moment_never_a_value()
    {
        var folder = Directory.CreateTempSubdirectory("linkedin-secrets-").FullName;
        try
        {
            var file = Path.Combine(folder, "secrets.json");
            var store = new LondonTories.Publishing.Social.UserSecretsStore("unused", file);
            var channel = new LondonTories.Publishing.Social.Channel("linkedin-london", "linkedin", LondonTories.Publishing.Audience.AudienceRule.Everyone, _stub.Url,
                System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty, "linkedin-london", 3, LondonTories.Publishing.Diagnostics.SourceLocation.StartOf("channels.yaml"));

            async Task<List<string>> NoticesAsync(string secret)
            {
                File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["linkedin-london"] = secret }));
                var notices = new List<string>();
                var secrets = new LondonTories.Publishing.Social.ChannelSecrets(store, Now, ending: notices.Add);
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal(secret, (await secrets.GetAsync(channel, Client, Delivery, CancellationToken.None)).Value);
                }

                return notices;
            }

            var ending = await NoticesAsync(TokenSet(Now.AddDays(55), refreshExpires: Now.AddDays(29.5)));
            var notYet = await NoticesAsync(TokenSet(Now.AddDays(55), refreshExpires: Now.AddDays(31)));
            var bareEnding = await NoticesAsync(new LinkedInToken(PlatformStub.Secret, ExpiresAt: Now.AddDays(12)).ToJson());
            var bare = await NoticesAsync(PlatformStub.Secret);

            Assert.Equal(
                "channel 'linkedin-london': the linkedin authorisation in its secret 'linkedin-london' ends at 2026-12-30 00:00Z, in 30 days, and no renewal extends it; after that its posts fail. " +
                "Ask an administrator of the account to authorise the app again and store the new token set under 'linkedin-london' before then.",
                Assert.Single(ending));
            Assert.Empty(notYet);
            Assert.Contains("ends at 2026-12-12 12:00Z, in 12 days", Assert.Single(bareEnding), StringComparison.Ordinal);
            Assert.Empty(bare);
            Assert.DoesNotContain(ending.Concat(bareEnding), n => n.Contains(PlatformStub.Secret, StringComparison.Ordinal) || n.Contains(RefreshToken, StringComparison.Ordinal));
            Assert.Empty(_stub.Requests);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
