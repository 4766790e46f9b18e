using System.Net;
using System.Net.Http.Headers;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;

namespace LondonTories.Publishing.Tests.Platforms.Meta;

public sealed class GraphApiTests
{
    private const string Token = "EAAGm0PX4ZCpsBAKexampletoken42";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Endpoints_name_the_pinned_version_below_any_base_url()
    {
        Assert.Equal("https://graph.facebook.com/v25.0/104729/feed", GraphApi.Endpoint(GraphApi.DefaultBaseUrl, "104729/feed").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9000/graph/v25.0/act_1/campaigns?fields=id%2Cname", GraphApi.Endpoint(new Uri("http://127.0.0.1:9000/graph"), "/act_1/campaigns", [new("fields", "id,name")]).AbsoluteUri);
    }

    [Fact]
    public async Task A_post_carries_the_token_in_its_form_body_and_a_lookup_in_its_query()
    {
        using var post = GraphApi.Request(HttpMethod.Post, GraphApi.DefaultBaseUrl, "104729/feed", Token, [new("message", "Hello & welcome")]);
        using var get = GraphApi.Request(HttpMethod.Get, GraphApi.DefaultBaseUrl, "104729/published_posts", Token, [new("limit", "100")]);

        Assert.Equal("https://graph.facebook.com/v25.0/104729/feed", post.RequestUri!.AbsoluteUri);
        Assert.Equal($"message=Hello+%26+welcome&access_token={Token}", await post.Content!.ReadAsStringAsync());
        Assert.Equal($"?limit=100&access_token={Token}", get.RequestUri!.Query);
    }

    [Theory]
    [InlineData($"Error validating access token (https://graph.facebook.com/v25.0/me?access_token={Token}&fields=id)", "Error validating access token (https://graph.facebook.com/v25.0/me?access_token=[secret]&fields=id)")]
    [InlineData($"token {Token} is invalid", "token [secret] is invalid")]
    [InlineData("input_token=abc123 appsecret_proof=ff00", "input_token=[secret] appsecret_proof=[secret]")]
    public void Scrub_removes_the_secret_and_any_echoed_token(string text, string expected) =>
        Assert.Equal(expected, GraphApi.Scrub(text, Token));

    [Fact]
    public void The_wait_comes_from_Retry_After_or_else_the_longest_estimated_time_to_regain_access()
    {
        using var retryAfter = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        retryAfter.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
        using var usage = new HttpResponseMessage(HttpStatusCode.BadRequest);
        usage.Headers.Add("X-Business-Use-Case-Usage", """{"104729":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3},{"type":"ads_management","estimated_time_to_regain_access":12}]}""");
        using var garbled = new HttpResponseMessage(HttpStatusCode.BadRequest);
        garbled.Headers.TryAddWithoutValidation("X-Business-Use-Case-Usage", "not json");

        Assert.Equal(TimeSpan.FromSeconds(42), GraphApi.WaitFrom(retryAfter, Now));
        Assert.Equal(TimeSpan.FromMinutes(12), GraphApi.WaitFrom(usage, Now));
        Assert.Null(GraphApi.WaitFrom(garbled, Now));
    }

    [Theory]
    [InlineData("\"5\"", null)]
    [InlineData("null", null)]
    [InlineData("""{"minutes":5}""", null)]
    [InlineData("\"5\"},{\"type\":\"ads_management\",\"estimated_time_to_regain_access\":7", 7)]
    public void An_estimated_time_to_regain_access_that_is_no_number_asks_for_no_wait(string regain, int? minutes)
    {
        using var usage = new HttpResponseMessage(HttpStatusCode.BadRequest);
        usage.Headers.Add("X-Business-Use-Case-Usage", $$"""{"104729":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":{{regain}}}]}""");

        Assert.Equal(minutes is { } m ? TimeSpan.FromMinutes(m) : null, GraphApi.WaitFrom(usage, Now));
    }

    [Theory]
    [InlineData(400, 190, false, true, DeliveryOutcome.Rejected)]
    [InlineData(403, 10, false, true, DeliveryOutcome.Rejected)]
    [InlineData(400, 200, false, true, DeliveryOutcome.Rejected)]
    [InlineData(400, 100, false, true, DeliveryOutcome.Rejected)]
    [InlineData(400, 4, false, true, DeliveryOutcome.NotSent)]
    [InlineData(400, 17, false, true, DeliveryOutcome.NotSent)]
    [InlineData(400, 32, false, true, DeliveryOutcome.NotSent)]
    [InlineData(400, 613, false, true, DeliveryOutcome.NotSent)]
    [InlineData(400, 80004, false, true, DeliveryOutcome.NotSent)]
    [InlineData(503, 2, false, true, DeliveryOutcome.NotSent)]
    [InlineData(500, 1, true, true, DeliveryOutcome.NotSent)]
    [InlineData(500, 1, false, true, DeliveryOutcome.Unknown)]
    [InlineData(500, 1, false, false, DeliveryOutcome.NotSent)]
    [InlineData(400, 1, false, true, DeliveryOutcome.Unknown)]
    [InlineData(400, 506, false, true, DeliveryOutcome.Unknown)]
    [InlineData(400, 368, false, true, DeliveryOutcome.Rejected)]
    public void Each_documented_error_means_one_outcome(int status, int code, bool transient, bool applied, DeliveryOutcome expected)
    {
        var result = GraphApi.Refused("Facebook", (HttpStatusCode)status, new GraphError(code, null, $"failed for {Token}", null, transient), null, Now, Token, applied);

        Assert.Equal(expected, result.Outcome);
        Assert.DoesNotContain(Token, result.Error, StringComparison.Ordinal);
        Assert.Equal(expected == DeliveryOutcome.NotSent, result.RetryAt is not null);
    }

    [Fact]
    public void Instagrams_spam_restriction_is_rejected_though_its_code_is_a_rate_limits()
    {
        var result = GraphApi.Refused("Instagram", HttpStatusCode.BadRequest, new GraphError(4, 2207051, "We restrict certain activity to protect our community.", null, false), null, Now, Token, applied: true);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public void A_rate_limit_says_when_to_try_again()
    {
        var result = GraphApi.Refused("Instagram", HttpStatusCode.BadRequest, new GraphError(4, null, "Application request limit reached", null, true), TimeSpan.FromMinutes(30), Now, Token, applied: true);

        Assert.Equal(Now.AddMinutes(30), result.RetryAt);
        Assert.Equal("Instagram rate limit (code 4: Application request limit reached); try again after 2026-11-30 09:30:00Z.", result.Error);
    }

    [Fact]
    public void An_answer_without_a_Graph_error_is_read_as_none()
    {
        Assert.Null(GraphApi.ReadError("<html>Bad gateway</html>"));
        Assert.Null(GraphApi.ReadError("""{"id":"1"}"""));
        Assert.Equal(new GraphError(190, 463, "Expired", "Log in again", false), GraphApi.ReadError("""{"error":{"message":"Expired","code":190,"error_subcode":463,"error_user_msg":"Log in again"}}"""));
    }
}
