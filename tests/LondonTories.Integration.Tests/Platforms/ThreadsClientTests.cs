using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Threads;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>Threads over real HTTP: a media container, its status, then its publication, as graph.threads.net documents them.</summary>
public sealed class ThreadsClientTests : IDisposable
{
    private const string Text = "Our new community garden opens on Saturday.\n\nhttps://example.org/battersea/garden/\n\nPromoted by A. Agent on behalf of Battersea Conservatives, 1 High St, London SW11 1AA";
    private const string Link = "https://example.org/battersea/garden/";

    private readonly MetaGraphStub _graph = new();
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _services = MetaGraphStub.Services(StubFault.ShortTimeout);

    private ThreadsClient Client => MetaGraphStub.Client<ThreadsClient>(_services);

    private string User => MetaGraphStub.ThreadsUserId;

    private Delivery Delivery(string user = MetaGraphStub.ThreadsUserId, Uri? media = null) => new(
        "post-garden-battersea-en-threads",
        "threads-battersea",
        "threads",
        _graph.BaseUrl,
        new Dictionary<string, string> { ["threads_user_id"] = user },
        Text,
        Link,
        "en",
        media,
        null,
        "{}"u8.ToArray());

    [Fact]
    public async Task A_text_post_makes_a_container_checks_it_is_ready_publishes_it_and_reads_its_permalink()
    {
        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var container = Assert.Single(_graph.Objects($"{User}/containers"));
        var post = Assert.Single(_graph.Objects($"{User}/threads"));
        var requests = _graph.Requests;
        Assert.Equal(
            [
                $"POST /{ThreadsClient.Version}/{User}/threads",
                $"GET /{ThreadsClient.Version}/{container["id"]}",
                $"POST /{ThreadsClient.Version}/{User}/threads_publish",
                $"GET /{ThreadsClient.Version}/{post["id"]}",
            ],
            requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(
            new Dictionary<string, string> { ["media_type"] = "TEXT", ["text"] = Text, ["link_attachment"] = Link, ["access_token"] = MetaGraphStub.Token },
            MetaGraphStub.Form(requests[0]));
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "status,error_message", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(requests[1]));
        Assert.Equal(new Dictionary<string, string> { ["creation_id"] = (string)container["id"]!, ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Form(requests[2]));
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "permalink", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(requests[3]));
        Assert.Equal(new DeliveryResult(DeliveryOutcome.Sent, (string)post["id"]!, $"https://www.threads.net/@londontories/post/C{post["id"]}"), result);
    }

    [Fact]
    public async Task A_post_with_a_jpeg_goes_as_an_image_post_and_other_media_as_text()
    {
        await Client.SendAsync(Delivery(media: new Uri("https://example.org/media/garden.jpg")), MetaGraphStub.Token, CancellationToken.None);
        await Client.SendAsync(Delivery(media: new Uri("https://example.org/media/garden.svg")), MetaGraphStub.Token, CancellationToken.None);

        var containers = _graph.Posts($"{User}/threads").Select(MetaGraphStub.Form).ToList();
        Assert.Equal(
            new Dictionary<string, string> { ["media_type"] = "IMAGE", ["image_url"] = "https://example.org/media/garden.jpg", ["text"] = Text, ["access_token"] = MetaGraphStub.Token },
            containers[0]);
        Assert.Equal("TEXT", containers[1]["media_type"]);
        Assert.False(containers[1].ContainsKey("image_url"));
        Assert.Equal(2, _graph.Objects($"{User}/threads").Count);
    }

    [Fact]
    public async Task An_image_post_carries_the_pictures_description_and_a_text_post_does_not()
    {
        const string Alt = "Volunteers planting the new community garden";
        await Client.SendAsync(Delivery(media: new Uri("https://example.org/media/garden.jpg")) with { MediaAlt = Alt }, MetaGraphStub.Token, CancellationToken.None);
        await Client.SendAsync(Delivery(media: new Uri("https://example.org/media/garden.svg")) with { MediaAlt = Alt }, MetaGraphStub.Token, CancellationToken.None);

        // Threads takes alt text for images and videos only.
        var containers = _graph.Posts($"{User}/threads").Select(MetaGraphStub.Form).ToList();
        Assert.Equal(
            new Dictionary<string, string> { ["media_type"] = "IMAGE", ["image_url"] = "https://example.org/media/garden.jpg", ["text"] = Text, ["alt_text"] = Alt, ["access_token"] = MetaGraphStub.Token },
            containers[0]);
        Assert.Equal("TEXT", containers[1]["media_type"]);
        Assert.False(containers[1].ContainsKey("alt_text"));
    }

    [Theory]
    [InlineData("me")]
    [InlineData("7361250000000001/threads?x=")]
    [InlineData("../7361250000000001")]
    public async Task A_user_id_that_is_not_digits_is_rejected_before_anything_is_sent(string user)
    {
        var result = await Client.SendAsync(Delivery(user), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal($"Channel 'threads-battersea' has threads_user_id '{user}' in content/channels.yaml: write the profile's numeric Threads user id, digits only.", result.Error);
        Assert.Empty(_graph.Requests);
        Assert.Null(await Client.FindAsync(Delivery(user), MetaGraphStub.Token, CancellationToken.None));
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task A_container_refused_is_rejected_with_Threads_words_and_publishes_nothing()
    {
        _graph.Fail("POST", "/threads", StubFault.Error(400,
            """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":4279005,"error_user_msg":"The post text is too long."}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Threads refused the request (code 100/4279005: The post text is too long.).", result.Error);
        Assert.Empty(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task A_lost_answer_to_the_container_is_not_sent_since_nothing_is_published_without_it()
    {
        _graph.Fail("POST", "/threads", StubFault.Timeout, applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.NotNull(result.RetryAt);
        Assert.Single(_graph.Posts($"{User}/threads"));
        Assert.Empty(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task A_container_in_error_is_rejected_with_its_error_message()
    {
        _graph.ContainerStatus = "ERROR";

        var result = await Client.SendAsync(Delivery(media: new Uri("https://example.org/media/garden.jpg")), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("container status ERROR", result.Error, StringComparison.Ordinal);
        Assert.Contains("https://example.org/media/garden.jpg", result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task A_container_still_in_progress_after_the_polls_is_not_sent_and_publishes_nothing()
    {
        _graph.ContainerStatus = "IN_PROGRESS";

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(3, _graph.Requests.Count(r => r.Method == "GET"));
        Assert.Empty(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task A_lost_answer_to_the_publication_that_published_is_found_by_the_containers_status_and_the_text()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Timeout, applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var post = Assert.Single(_graph.Objects($"{User}/threads"));
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal((string?)post["id"], result.RemoteId);
        Assert.Single(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task A_lost_answer_to_the_publication_is_unknown_never_published_again_and_a_lookup_settles_nothing()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Timeout);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);
        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Null(result.RetryAt);
        Assert.Contains("was FINISHED afterwards", result.Error, StringComparison.Ordinal);
        Assert.Single(_graph.Posts("/threads_publish"));
        Assert.Null(found);
    }

    [Fact]
    public async Task A_server_error_from_the_publication_is_unknown_and_not_repeated()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(500, """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1}}"""), times: 5);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Single(_graph.Posts("/threads_publish"));
        Assert.Empty(_graph.Objects($"{User}/threads"));
    }

    [Fact]
    public async Task A_publication_answered_without_an_id_is_unknown_not_sent()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(200, "{}"));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Null(result.RemoteId);
        Assert.StartsWith("Threads answered the publication without the post's id.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publication_answered_with_an_id_that_is_not_digits_is_unknown_and_never_read_into_a_path()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(200, """{"id":"../me/threads"}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.DoesNotContain(_graph.Requests, r => r.Path.Contains("/me", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_publishing_rate_limit_is_not_sent_with_the_time_Meta_gives_and_is_not_waited_for_past_the_budget()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(400,
            """{"error":{"message":"Application request limit reached","type":"OAuthException","code":4,"is_transient":true}}""",
            new() { ["X-Business-Use-Case-Usage"] = """{"7361250000000001":[{"type":"threads","call_count":100,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":30}]}""" }));
        var before = DateTimeOffset.UtcNow;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.StartsWith("Threads rate limit (code 4: Application request limit reached)", result.Error, StringComparison.Ordinal);
        Assert.InRange(result.RetryAt!.Value, before + TimeSpan.FromMinutes(30), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
        Assert.Single(_graph.Posts("/threads_publish"));
        Assert.Empty(_graph.Objects($"{User}/threads"));
    }

    [Fact]
    public async Task A_short_rate_limit_is_waited_out_and_the_post_published_once()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(429, """{"error":{"message":"Too many calls","type":"OAuthException","code":4}}""", new() { ["Retry-After"] = "0" }));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, _graph.Posts("/threads_publish").Count);
        Assert.Single(_graph.Objects($"{User}/threads"));
    }

    [Fact]
    public async Task A_publication_of_a_container_Threads_cannot_find_yet_is_not_sent_and_tried_again_later()
    {
        _graph.Fail("POST", "/threads_publish", StubFault.Error(400,
            """{"error":{"message":"The requested resource does not exist","type":"OAuthException","code":24,"error_subcode":4279009,"is_transient":false,"error_user_title":"Media Not Found"}}"""));
        var before = DateTimeOffset.UtcNow;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var container = Assert.Single(_graph.Objects($"{User}/containers"));
        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal($"Threads could not yet find container {container["id"]}; nothing was published.", result.Error);
        Assert.InRange(result.RetryAt!.Value, before + TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        Assert.Single(_graph.Posts("/threads_publish"));
        Assert.Empty(_graph.Objects($"{User}/threads"));
    }

    [Fact]
    public async Task A_revoked_token_is_rejected_without_the_token_in_the_error()
    {
        _graph.Fail("POST", "/threads", StubFault.Error(400, $$$"""
            {"error":{"message":"Error validating access token: The user has not authorized application 1234. access_token={{{MetaGraphStub.Token}}}","type":"OAuthException","code":190,"error_subcode":458}}
            """));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("code 190/458", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/threads_publish"));
    }

    [Fact]
    public async Task The_lookup_finds_a_published_post_by_its_text()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var found = await Client.FindAsync(Delivery() with { EarlierAttempt = DateTimeOffset.UtcNow.AddMinutes(-1) }, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, found!.Outcome);
        Assert.Equal(sent.RemoteId, found.RemoteId);
        var lookup = _graph.Requests.Last();
        Assert.Equal($"/{ThreadsClient.Version}/{User}/threads", lookup.Path);
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "id,text,permalink,timestamp", ["limit"] = "50", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(lookup));
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private List<WireMock.IRequestMessage> Refreshes() => [.. _graph.Server.LogEntries.Select(e => e.RequestMessage).Where(r => r.Path == "/refresh_access_token")];

    private static string TokenSet(DateTimeOffset expires) => new ThreadsToken(MetaGraphStub.Token, expires).ToJson();

    [Fact]
    public async Task A_token_set_a_week_old_is_refreshed_with_the_documented_request_and_kept_with_its_new_expiry()
    {
        _graph.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"THQWJrefreshed0123456789","token_type":"bearer","expires_in":5183944}"""));
        var secret = TokenSet(Now.AddDays(53));

        Assert.False(Client.NeedsRenewal(TokenSet(Now.AddDays(54)), Now));
        Assert.True(Client.NeedsRenewal(secret, Now));
        Assert.False(Client.NeedsRenewal(MetaGraphStub.Token, Now));
        Assert.False(Client.CanRenew(secret));
        var renewed = await Client.RenewAsync(Delivery(), secret, Now, CancellationToken.None);

        Assert.Null(renewed.Error);
        Assert.False(renewed.OldSpent);
        Assert.Equal(new ThreadsToken("THQWJrefreshed0123456789", Now.AddSeconds(5183944)), ThreadsToken.Parse(renewed.Value!));
        var request = Assert.Single(Refreshes());
        Assert.Equal("GET /refresh_access_token", $"{request.Method} {request.Path}");
        Assert.Equal(new Dictionary<string, string> { ["grant_type"] = "th_refresh_token", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(request));
    }

    [Theory]
    [InlineData("""{"access_token":"THQWJrefreshed0123456789","expires_in":"soon"}""")]
    [InlineData("""{"access_token":"THQWJrefreshed0123456789"}""")]
    public async Task A_refresh_that_does_not_say_how_long_the_token_lasts_is_taken_at_sixty_days(string body)
    {
        _graph.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(body));

        var renewed = await Client.RenewAsync(Delivery(), TokenSet(Now.AddDays(20)), Now, CancellationToken.None);

        Assert.Equal(new ThreadsToken("THQWJrefreshed0123456789", Now.AddDays(60)), ThreadsToken.Parse(renewed.Value!));
    }

    [Fact]
    public async Task An_expired_token_set_is_not_sent_to_be_refreshed_and_says_to_authorise_again()
    {
        var renewed = await Client.RenewAsync(Delivery(), TokenSet(Now.AddMinutes(-1)), Now, CancellationToken.None);

        Assert.Null(renewed.Value);
        Assert.Equal("the long-lived Threads token expired at 2026-11-30 11:59Z, and Threads refreshes only a token that has not: authorise the app again and store the new long-lived token with its expires_at.", renewed.Error);
        Assert.Empty(Refreshes());
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task A_refused_refresh_says_so_without_the_token_and_when_the_old_one_lapses()
    {
        _graph.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/refresh_access_token").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody($$$"""{"error":{"message":"Error validating access token: {{{MetaGraphStub.Token}}}","type":"OAuthException","code":190}}"""));

        var renewed = await Client.RenewAsync(Delivery(), TokenSet(Now.AddDays(10)), Now, CancellationToken.None);

        Assert.Null(renewed.Value);
        Assert.StartsWith("Threads did not refresh the long-lived token: ", renewed.Error, StringComparison.Ordinal);
        Assert.EndsWith("It still works until 2026-12-10; if it keeps failing, authorise the app again before then.", renewed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, renewed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_with_a_token_set_goes_out_with_its_access_token_alone()
    {
        var result = await Client.SendAsync(Delivery(), TokenSet(Now.AddDays(50)), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.All(_graph.Requests, r => Assert.Equal(MetaGraphStub.Token, (r.Method == "POST" ? MetaGraphStub.Form(r) : MetaGraphStub.Query(r))["access_token"]));
    }

    [Theory]
    [InlineData("{\"expires_at\": \"2027-01-29T12:00:00Z\"}")]
    [InlineData("{not json")]
    public async Task A_secret_that_is_JSON_but_no_token_is_rejected_with_nothing_sent(string secret)
    {
        var result = await Client.SendAsync(Delivery(), secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.StartsWith("The channel's secret is JSON but not a Threads token", result.Error, StringComparison.Ordinal);
        Assert.Empty(Refreshes());
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task Retract_deletes_the_post()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var retracted = await Client.RetractAsync(Delivery(), sent.RemoteId!, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, retracted.Outcome);
        Assert.Equal($"DELETE /{ThreadsClient.Version}/{sent.RemoteId}", $"{_graph.Requests.Last().Method} {_graph.Requests.Last().Path}");
        Assert.Empty(_graph.Objects($"{User}/threads"));
    }

    public void Dispose()
    {
        _services.Dispose();
        _graph.Dispose();
    }
}
