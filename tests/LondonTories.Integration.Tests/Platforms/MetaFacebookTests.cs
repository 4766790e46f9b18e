using System.Net;
using System.Net.Sockets;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;

namespace LondonTories.Integration.Tests.Platforms;

public sealed class MetaFacebookTests : IDisposable
{
    private const string Message = "Fixing the potholes on Lavender Hill starts Monday.\n\nPromoted by A. Agent on behalf of Battersea Conservatives, 1 High St, London SW11 1AA";

    private readonly MetaGraphStub _graph = new();
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _services = MetaGraphStub.Services(StubFault.ShortTimeout);

    private FacebookPageClient Client => MetaGraphStub.Client<FacebookPageClient>(_services);

    private Delivery Delivery(SponsoredAd? ad = null, Uri? apiUrl = null) => new(
        "post-potholes-battersea-en-facebook",
        "battersea-facebook",
        "facebook",
        apiUrl ?? _graph.BaseUrl,
        new Dictionary<string, string> { ["page_id"] = MetaGraphStub.PageId, ["ad_account_id"] = MetaGraphStub.AdAccount },
        Message,
        "https://example.org/battersea/potholes/",
        "en",
        null,
        ad,
        "{}"u8.ToArray());

    [Fact]
    public async Task A_page_post_sends_the_message_and_link_to_the_pages_feed_with_the_page_token()
    {
        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var request = Assert.Single(_graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/{GraphApi.Version}/{MetaGraphStub.PageId}/feed", request.Path);
        Assert.Empty(MetaGraphStub.Query(request));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string> { ["message"] = Message, ["link"] = "https://example.org/battersea/potholes/", ["access_token"] = MetaGraphStub.Token },
            MetaGraphStub.Form(request));
        var post = Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal((string?)post["id"], result.RemoteId);
        Assert.Equal($"https://www.facebook.com/{MetaGraphStub.PageId}/posts/{result.RemoteId!.Split('_')[1]}", result.RemoteUrl);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task An_expired_token_is_rejected_with_a_message_naming_the_fix_and_never_the_token()
    {
        // Graph echoes the request URL, token included, in some error messages.
        _graph.Fail("POST", "/feed", StubFault.Error(400, $$$"""
            {"error":{"message":"Error validating access token: Session has expired on Friday, 27-Nov-26 09:00:00 PST. (https://graph.facebook.com/{{{GraphApi.Version}}}/{{{MetaGraphStub.PageId}}}/feed?access_token={{{MetaGraphStub.Token}}})","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}}
            """));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Single(_graph.Requests);
        Assert.Contains("code 190/463", result.Error, StringComparison.Ordinal);
        Assert.Contains("put a new token", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token[..20], result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Fact]
    public async Task A_revoked_token_on_a_lookup_is_rejected_without_the_token()
    {
        var result = await Client.FindAsync(Delivery(), "EAAGrevokedtoken999", CancellationToken.None);

        Assert.Null(result);
        var request = Assert.Single(_graph.Requests);
        Assert.Equal("GET", request.Method);
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_runs_budget_is_not_sent_and_names_when_to_try_again()
    {
        var usage = """{"104729":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":40,"estimated_time_to_regain_access":7}]}""";
        _graph.Fail("POST", "/feed", StubFault.Error(400,
            """{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"X1"}}""",
            new() { ["X-Business-Use-Case-Usage"] = usage }));
        var before = DateTimeOffset.UtcNow;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Single(_graph.Requests);
        Assert.NotNull(result.RetryAt);
        Assert.InRange(result.RetryAt!.Value, before + TimeSpan.FromMinutes(7), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(7));
        Assert.Contains("rate limit (code 32", result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("99999999999")]
    public async Task A_rate_limit_that_lifts_beyond_any_date_is_not_sent_and_certain_of_it(string minutes)
    {
        var usage = $$"""{"104729":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":40,"estimated_time_to_regain_access":{{minutes}}}]}""";
        _graph.Fail("POST", "/feed", StubFault.Error(400,
            """{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"X1"}}""",
            new() { ["X-Business-Use-Case-Usage"] = usage }));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Single(_graph.Requests);
        Assert.Contains("rate limit (code 32", result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Fact]
    public async Task A_rate_limit_within_the_budget_is_waited_out_and_the_post_goes_once()
    {
        _graph.Fail("POST", "/feed", StubFault.Error(429,
            """{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"is_transient":true}}""",
            new() { ["Retry-After"] = "1", ["X-App-Usage"] = """{"call_count":100,"total_cputime":25,"total_time":25}""" }));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, _graph.Posts("/feed").Count);
        Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Fact]
    public async Task A_validation_error_is_rejected_and_not_repeated()
    {
        _graph.Fail("POST", "/feed", StubFault.Error(400,
            """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_user_msg":"The link could not be read.","fbtrace_id":"Q"}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Facebook refused the request (code 100: The link could not be read.).", result.Error);
        Assert.Single(_graph.Requests);
    }

    [Fact]
    public async Task A_documented_temporary_error_is_retried_and_the_post_goes_once()
    {
        _graph.Fail("POST", "/feed", StubFault.Error(503,
            """{"error":{"message":"(#2) Service temporarily unavailable","type":"OAuthException","code":2,"is_transient":true}}"""), times: 2);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(3, _graph.Posts("/feed").Count);
        Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Fact]
    public async Task An_unexplained_5xx_after_a_post_is_unknown_and_not_repeated()
    {
        _graph.Fail("POST", "/feed", StubFault.Error(500, """{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1}}"""), applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Single(_graph.Requests);
        Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Fact]
    public async Task A_timeout_after_the_post_was_received_is_unknown_and_the_lookup_then_finds_the_post()
    {
        _graph.Fail("POST", "/feed", StubFault.Timeout, applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Single(_graph.Posts("/feed"));
        Assert.Contains("no answer came in time", result.Error, StringComparison.Ordinal);

        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var post = Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
        Assert.Equal(DeliveryOutcome.Sent, found!.Outcome);
        Assert.Equal((string?)post["id"], found.RemoteId);
        var lookup = _graph.Requests.Last();
        Assert.Equal($"/{GraphApi.Version}/{MetaGraphStub.PageId}/published_posts", lookup.Path);
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "id,message,permalink_url,created_time", ["limit"] = "100", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(lookup));
        Assert.Single(_graph.Posts("/feed"));
    }

    [Fact]
    public async Task A_lookup_takes_only_a_post_made_since_the_first_attempt_not_an_older_one_that_reads_the_same()
    {
        // Last week's post said the same words; this week's attempt may or may not have made its own.
        await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);
        var post = Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
        post["created_time"] = "2026-11-23T12:00:00+0000";
        var attempt = Delivery() with { EarlierAttempt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero) };

        Assert.Null(await Client.FindAsync(attempt, MetaGraphStub.Token, CancellationToken.None));

        post["created_time"] = "2026-11-30T12:00:02+0000";
        Assert.Equal((string?)post["id"], (await Client.FindAsync(attempt, MetaGraphStub.Token, CancellationToken.None))!.RemoteId);
    }

    [Fact]
    public async Task A_dropped_connection_after_the_post_was_received_is_unknown_and_a_lookup_that_finds_nothing_settles_nothing()
    {
        using var dropping = new DroppingServer();

        var result = await Client.SendAsync(Delivery(apiUrl: dropping.BaseUrl), MetaGraphStub.Token, CancellationToken.None);
        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Contains("the connection dropped", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, dropping.Received);
        Assert.Null(found);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_then_not_sent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Client.SendAsync(Delivery(apiUrl: new Uri($"http://127.0.0.1:{port}/")), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Contains("could not be reached", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retract_deletes_the_post_and_a_post_already_gone_counts_as_deleted()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var retracted = await Client.RetractAsync(Delivery(), sent.RemoteId!, MetaGraphStub.Token, CancellationToken.None);
        var again = await Client.RetractAsync(Delivery(), sent.RemoteId!, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, retracted.Outcome);
        Assert.Equal(DeliveryOutcome.Sent, again.Outcome);
        var delete = _graph.Requests[1];
        Assert.Equal("DELETE", delete.Method);
        Assert.Equal($"/{GraphApi.Version}/{sent.RemoteId}", delete.Path);
        Assert.Empty(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("104000000000001_5?fields=id")]
    public async Task Retracting_by_an_id_that_is_no_Graph_id_sends_nothing_and_says_so(string id)
    {
        var retracted = await Client.RetractAsync(Delivery(), id, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, retracted.Outcome);
        Assert.Contains("not a Graph id", retracted.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, retracted.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task Ten_deliveries_sent_at_once_through_the_one_client_make_one_post_each()
    {
        var deliveries = Enumerable.Range(1, 10).Select(i => Delivery() with { Key = $"post-potholes-seat-{i}-en-facebook", Message = $"{Message} ({i})" }).ToList();

        var results = await Task.WhenAll(deliveries.Select(d => Client.SendAsync(d, MetaGraphStub.Token, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Sent, r.Outcome));
        Assert.Equal(10, results.Select(r => r.RemoteId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(10, _graph.Posts("/feed").Count);
        Assert.Equal(
            deliveries.Select(d => d.Message).Order(StringComparer.Ordinal),
            _graph.Objects($"{MetaGraphStub.PageId}/posts").Select(p => (string)p["message"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_channel_without_a_page_id_is_rejected_naming_the_field()
    {
        var delivery = Delivery() with { Account = new Dictionary<string, string>() };

        var result = await Client.SendAsync(delivery, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Channel 'battersea-facebook' has no 'page_id' in content/channels.yaml: add the facebook account's page_id.", result.Error);
        Assert.Empty(_graph.Requests);
    }

    public void Dispose()
    {
        _services.Dispose();
        _graph.Dispose();
    }
}
