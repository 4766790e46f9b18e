using System.Text.Json.Nodes;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;

namespace LondonTories.Integration.Tests.Platforms;

public sealed class MetaAdsTests : IDisposable
{
    private const string Key = "post-potholes-battersea-en-facebook";
    private const string Message = "Fixing the potholes on Lavender Hill starts Monday.\n\nPromoted by A. Agent on behalf of Battersea Conservatives, 1 High St, London SW11 1AA";

    private static readonly SponsoredAd Ad = new(
        125.509m,
        new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 8, 21, 0, 0, TimeSpan.Zero),
        51.4643,
        -0.1637,
        3.5,
        "Battersea Conservatives");

    private readonly MetaGraphStub _graph = new();
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _services = MetaGraphStub.Services(StubFault.ShortTimeout);

    private FacebookPageClient Client => MetaGraphStub.Client<FacebookPageClient>(_services);

    private Delivery Delivery(string adAccount = MetaGraphStub.AdAccount) => new(
        Key,
        "battersea-facebook",
        "facebook",
        _graph.BaseUrl,
        new Dictionary<string, string> { ["page_id"] = MetaGraphStub.PageId, ["ad_account_id"] = adAccount },
        Message,
        "https://example.org/battersea/potholes/",
        "en",
        null,
        Ad,
        "{}"u8.ToArray());

    [Fact]
    public async Task A_budget_below_the_ad_account_s_least_for_the_days_the_ad_runs_is_refused_before_anything_is_posted()
    {
        // £20 a day over the ad's seven and a half days is £150; the post gives £125.51.
        _graph.MinimumBudget["min_daily_budget_imp"] = 2000;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain(_graph.Requests, r => r.Method == "POST");
        Assert.Equal(
            "Ad account act_5550001 takes no less than £20.00 a day for an ad set that reaches people, £150.00 over this ad's 7.5 days, " +
            "and the sponsored post for channel 'battersea-facebook' gives it £125.50: raise its budget or shorten its run. Nothing was posted.",
            result.Error);
        Assert.DoesNotContain(MetaGraphStub.Token, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_budget_the_ad_account_s_least_allows_goes_out_as_before()
    {
        // £16.73 a day over seven and a half days is £125.475: under the post's £125.50.
        _graph.MinimumBudget["min_daily_budget_imp"] = 1673;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/ads"));
        var lookup = Assert.Single(_graph.Requests, r => r.Method == "GET" && r.Path.EndsWith("/minimum_budgets", StringComparison.Ordinal));
        Assert.Equal($"/{GraphApi.Version}/{MetaGraphStub.AdAccount}/minimum_budgets", lookup.Path);
    }

    [Fact]
    public async Task An_ad_account_that_bills_in_another_currency_is_refused_before_anything_is_posted()
    {
        _graph.MinimumBudget["currency"] = "EUR";

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain(_graph.Requests, r => r.Method == "POST");
        Assert.Equal(
            "Ad account act_5550001 bills in EUR, but a sponsored post's budget is in pounds, so channel 'battersea-facebook' would spend the wrong sum: " +
            "give the channel an ad account that bills in GBP. Nothing was posted.",
            result.Error);
    }

    [Fact]
    public async Task A_minimum_that_cannot_be_read_posts_nothing()
    {
        _graph.Fail("GET", "/minimum_budgets", StubFault.Error(403,
            """{"error":{"message":"(#200) Requires ads_read or ads_management permission","type":"OAuthException","code":200,"fbtrace_id":"A2"}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.NotEqual(DeliveryOutcome.Sent, result.Outcome);
        Assert.DoesNotContain(_graph.Requests, r => r.Method == "POST");
        Assert.Contains("ads_management", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sponsored_post_makes_the_page_post_then_a_political_campaign_an_ad_set_on_the_seat_a_creative_and_the_ad()
    {
        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var post = Assert.Single(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
        Assert.Equal((string?)post["id"], result.RemoteId);

        var writes = _graph.Requests.Where(r => r.Method == "POST").Select(r => r.Path).ToList();
        Assert.Equal(
            [
                $"/{GraphApi.Version}/{MetaGraphStub.PageId}/feed",
                $"/{GraphApi.Version}/{MetaGraphStub.AdAccount}/campaigns",
                $"/{GraphApi.Version}/{MetaGraphStub.AdAccount}/adsets",
                $"/{GraphApi.Version}/{MetaGraphStub.AdAccount}/adcreatives",
                $"/{GraphApi.Version}/{MetaGraphStub.AdAccount}/ads",
            ],
            writes);

        var campaign = MetaGraphStub.Form(_graph.Posts("/campaigns").Single());
        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = Key,
            ["objective"] = "OUTCOME_AWARENESS",
            ["special_ad_categories"] = "[\"ISSUES_ELECTIONS_POLITICS\"]",
            ["special_ad_category_country"] = "[\"GB\"]",
            ["buying_type"] = "AUCTION",
            ["is_adset_budget_sharing_enabled"] = "false",
            ["status"] = "ACTIVE",
            ["access_token"] = MetaGraphStub.Token,
        }, campaign);

        var campaignId = (string?)Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/campaigns"))["id"];
        var adSet = MetaGraphStub.Form(_graph.Posts("/adsets").Single());
        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = Key,
            ["campaign_id"] = campaignId!,
            ["lifetime_budget"] = "12550",
            ["start_time"] = "2026-12-01T09:00:00+00:00",
            ["end_time"] = "2026-12-08T21:00:00+00:00",
            ["billing_event"] = "IMPRESSIONS",
            ["optimization_goal"] = "REACH",
            ["bid_strategy"] = "LOWEST_COST_WITHOUT_CAP",
            ["targeting"] = """{"geo_locations":{"custom_locations":[{"latitude":51.4643,"longitude":-0.1637,"radius":3.5,"distance_unit":"kilometer"}]}}""",
            ["status"] = "ACTIVE",
            ["access_token"] = MetaGraphStub.Token,
        }, adSet);

        var creative = MetaGraphStub.Form(_graph.Posts("/adcreatives").Single());
        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = Key,
            ["object_story_id"] = result.RemoteId!,
            ["authorization_category"] = "POLITICAL",
            ["access_token"] = MetaGraphStub.Token,
        }, creative);

        var adSetId = (string?)Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/adsets"))["id"];
        var creativeId = (string?)Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/adcreatives"))["id"];
        var ad = MetaGraphStub.Form(_graph.Posts("/ads").Single());
        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = Key,
            ["adset_id"] = adSetId!,
            ["creative"] = $$"""{"creative_id":"{{creativeId}}"}""",
            ["status"] = "ACTIVE",
            ["access_token"] = MetaGraphStub.Token,
        }, ad);

        // Each object was looked up by its name before it was made.
        var lookup = _graph.Requests.First(r => r.Method == "GET" && r.Path.EndsWith("/campaigns", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, string>
        {
            ["fields"] = "id,name",
            ["filtering"] = $$"""[{"field":"name","operator":"EQUAL","value":"{{Key}}"}]""",
            ["limit"] = "10",
            ["access_token"] = MetaGraphStub.Token,
        }, MetaGraphStub.Query(lookup));
    }

    [Theory]
    [InlineData("/campaigns")]
    [InlineData("/adsets")]
    [InlineData("/adcreatives")]
    [InlineData("/ads")]
    public async Task A_lost_answer_while_making_an_ad_object_is_put_right_by_the_next_attempt_without_a_second_of_anything(string edge)
    {
        _graph.Fail("POST", edge, StubFault.Timeout, applied: true);

        var first = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, first.Outcome);
        Assert.NotNull(first.RemoteId);
        Assert.Contains("The Page post is up", first.Error, StringComparison.Ordinal);

        // The ledger keeps the Page post's id, and the next attempt carries on from it.
        var again = Delivery() with { EarlierRemoteId = first.RemoteId };
        var found = await Client.FindAsync(again, MetaGraphStub.Token, CancellationToken.None);
        var second = await Client.SendAsync(again, MetaGraphStub.Token, CancellationToken.None);
        var third = await Client.SendAsync(again, MetaGraphStub.Token, CancellationToken.None);
        var settled = await Client.FindAsync(again, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(edge == "/ads" ? DeliveryOutcome.Sent : DeliveryOutcome.NotSent, found!.Outcome);
        Assert.Equal(DeliveryOutcome.Sent, second.Outcome);
        Assert.Equal(DeliveryOutcome.Sent, third.Outcome);
        Assert.Equal(DeliveryOutcome.Sent, settled!.Outcome);
        Assert.Equal(first.RemoteId, second.RemoteId);
        Assert.Equal(first.RemoteId, third.RemoteId);
        Assert.Single(_graph.Posts("/feed"));
        foreach (var made in new[] { "campaigns", "adsets", "adcreatives", "ads" })
        {
            Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/{made}"));
            Assert.Single(_graph.Posts("/" + made));
        }
    }

    [Fact]
    public async Task A_lost_answer_to_the_page_post_of_a_sponsored_post_is_unknown_and_makes_no_ad()
    {
        _graph.Fail("POST", "/feed", StubFault.Timeout, applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Empty(_graph.Posts("/campaigns"));

        // The post was made after all: the next attempt finds it by its message and completes the ad.
        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);
        var resumed = await Client.SendAsync(Delivery() with { EarlierAttempt = DateTimeOffset.UtcNow.AddMinutes(-1) }, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, found!.Outcome);
        Assert.Equal(DeliveryOutcome.Sent, resumed.Outcome);
        Assert.Single(_graph.Posts("/feed"));
        Assert.Single(_graph.Objects($"{MetaGraphStub.AdAccount}/ads"));
    }

    [Fact]
    public async Task A_refused_ad_set_is_rejected_with_the_post_id_and_Metas_reason()
    {
        _graph.Fail("POST", "/adsets", StubFault.Error(400,
            """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":1487079,"error_user_msg":"Your ad account is not authorised to run ads about social issues, elections or politics."}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.NotNull(result.RemoteId);
        Assert.Contains("ad set was not made", result.Error, StringComparison.Ordinal);
        Assert.Contains("not authorised to run ads about social issues", result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/ads"));
    }

    [Fact]
    public async Task An_ad_account_without_its_act_prefix_is_rejected_before_anything_is_sent()
    {
        var result = await Client.SendAsync(Delivery(adAccount: "5550001"), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Channel 'battersea-facebook' has ad_account_id '5550001': write the ad account's id with its prefix, as act_<digits>.", result.Error);
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task Retracting_a_sponsored_post_deletes_its_campaign_and_the_post()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);
        var campaignId = (string?)_graph.Objects($"{MetaGraphStub.AdAccount}/campaigns").Single()["id"];

        var retracted = await Client.RetractAsync(Delivery(), sent.RemoteId!, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, retracted.Outcome);
        var deletes = _graph.Requests.Where(r => r.Method == "DELETE").Select(r => r.Path).ToList();
        Assert.Equal([$"/{GraphApi.Version}/{campaignId}", $"/{GraphApi.Version}/{sent.RemoteId}"], deletes);
        Assert.Empty(_graph.Objects($"{MetaGraphStub.PageId}/posts"));
        Assert.Empty(_graph.Objects($"{MetaGraphStub.AdAccount}/campaigns"));
    }

    public void Dispose()
    {
        _services.Dispose();
        _graph.Dispose();
    }
}
