using System.Globalization;
using System.Text.Json;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>
/// A sponsored post run as a Meta ad about social issues, elections or politics: the Page post,
/// then a campaign, an ad set targeted at the seat, a creative from the post and the ad.
/// Campaigns: https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group
///   (special_ad_categories, special_ad_category_country) and
///   https://developers.facebook.com/docs/marketing-api/audiences/special-ad-category
/// Ad sets and targeting (geo_locations.custom_locations: latitude, longitude, radius, distance_unit):
///   https://developers.facebook.com/docs/marketing-api/reference/ad-campaign
/// Creatives (object_story_id; authorization_category POLITICAL):
///   https://developers.facebook.com/docs/marketing-api/reference/ad-creative/
/// Ads: https://developers.facebook.com/docs/marketing-api/reference/adgroup
/// Lookups by name use the edges' field filtering:
///   https://developers.facebook.com/docs/marketing-api/reference/ad-label
/// Every object is named with the delivery's key and looked up by that name before it is made, so
/// an attempt after a lost answer finds what exists and makes only what is missing. The "Paid for
/// by" disclaimer is not a request field: Meta attaches the one the Page's authorisations hold,
/// which must name <see cref="SponsoredAd.FundingEntity"/>.
/// </summary>
public sealed class MetaAds(GraphCaller graph)
{
    public async Task<DeliveryResult> RunAsync(Delivery delivery, string pageId, string secret, CancellationToken cancellationToken)
    {
        var ad = delivery.Ad ?? throw new ArgumentException("A sponsored delivery carries its ad.", nameof(delivery));
        if (Check(delivery, ad) is { } invalid)
        {
            return invalid;
        }

        var account = FacebookPageClient.Field(delivery, "ad_account_id")!;

        // The creative named for this delivery remembers which Page post it runs, so a later
        // attempt never posts again; before it exists, the post an earlier attempt recorded, and only
        // where an attempt may have posted without a record, the Page's own list of posts by its text.
        var creative = await FindAsync(delivery, account, "adcreatives", "id,name,object_story_id", secret, cancellationToken).ConfigureAwait(false);
        if (creative.Failure is { } creativeLookup)
        {
            return creativeLookup;
        }

        string? postId = null;
        string? postUrl = null;
        var creativeId = creative.Item is { } made ? PlatformHttp.Text(made, "id") : null;
        var carried = creative.Item is { } existing && PlatformHttp.Text(existing, "object_story_id") is { Length: > 0 } storyId ? storyId
            : delivery.EarlierRemoteId is { Length: > 0 } earlier ? earlier
            : null;
        if (carried is not null)
        {
            // A person may have deleted the Page post on Facebook since. Meta then says the object does
            // not exist, and a creative from it can never be made: the post goes up again and the ad
            // runs from the new one, so the paid post is not lost and only one Page post is ever up.
            var (stands, unknown) = await FacebookPageClient.PostStandsAsync(graph, delivery.ApiUrl, carried, secret, cancellationToken).ConfigureAwait(false);
            if (unknown is not null)
            {
                return unknown;
            }

            if (stands)
            {
                (postId, postUrl) = (carried, FacebookPageClient.PostUrl(carried));
            }
            else if (creativeId is not null)
            {
                // The creative named for this delivery runs the deleted post: it goes, so one can be made from the new post.
                var removed = await FacebookPageClient.DeleteAsync(graph, delivery.ApiUrl, creativeId, secret, cancellationToken).ConfigureAwait(false);
                if (removed.Outcome != DeliveryOutcome.Sent)
                {
                    return removed;
                }

                creativeId = null;
            }
        }

        if (postId is null)
        {
            // Meta judges the budget only once the ad set is made, after the Page post is up: an ad it
            // can never run is refused here, before anything goes out under the party's name.
            if (await BudgetRefusalAsync(delivery, account, ad, secret, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }

            DeliveryResult? found = null;
            if (delivery.EarlierAttempt is not null)
            {
                (found, var lookup) = await FacebookPageClient.FindPostAsync(graph, delivery, pageId, secret, cancellationToken).ConfigureAwait(false);
                if (lookup is not null)
                {
                    return lookup;
                }
            }

            var post = found ?? await FacebookPageClient.PostAsync(graph, delivery, pageId, secret, cancellationToken).ConfigureAwait(false);
            if (post.Outcome != DeliveryOutcome.Sent)
            {
                return post;
            }

            (postId, postUrl) = (post.RemoteId!, post.RemoteUrl);
        }

        var campaign = await EnsureAsync(delivery, account, "campaigns", secret, cancellationToken,
        [
            new("objective", "OUTCOME_AWARENESS"),
            new("special_ad_categories", "[\"ISSUES_ELECTIONS_POLITICS\"]"),
            new("special_ad_category_country", "[\"GB\"]"),
            new("buying_type", "AUCTION"),
            new("is_adset_budget_sharing_enabled", "false"),
            new("status", "ACTIVE"),
        ]).ConfigureAwait(false);
        if (campaign.Failure is { } campaignFailure)
        {
            return AfterPost(campaignFailure, "campaign", postId, postUrl);
        }

        var adSet = await EnsureAsync(delivery, account, "adsets", secret, cancellationToken,
        [
            new("campaign_id", campaign.Id!),
            new("lifetime_budget", Pence(ad.LifetimeBudgetGbp).ToString(CultureInfo.InvariantCulture)),
            new("start_time", ad.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            new("end_time", ad.End.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            new("billing_event", "IMPRESSIONS"),
            new("optimization_goal", "REACH"),
            new("bid_strategy", "LOWEST_COST_WITHOUT_CAP"),
            new("targeting", Targeting(ad)),
            new("status", "ACTIVE"),
        ]).ConfigureAwait(false);
        if (adSet.Failure is { } adSetFailure)
        {
            return AfterPost(adSetFailure, "ad set", postId, postUrl);
        }

        if (creativeId is null)
        {
            var created = await EnsureAsync(delivery, account, "adcreatives", secret, cancellationToken,
            [
                new("object_story_id", postId),
                new("authorization_category", "POLITICAL"),
            ]).ConfigureAwait(false);
            if (created.Failure is { } creativeFailure)
            {
                return AfterPost(creativeFailure, "ad creative", postId, postUrl);
            }

            creativeId = created.Id!;
        }

        var advert = await EnsureAsync(delivery, account, "ads", secret, cancellationToken,
        [
            new("adset_id", adSet.Id!),
            new("creative", JsonSerializer.Serialize(new { creative_id = creativeId })),
            new("status", "ACTIVE"),
        ]).ConfigureAwait(false);
        if (advert.Failure is { } adFailure)
        {
            return AfterPost(adFailure, "ad", postId, postUrl);
        }

        return new DeliveryResult(DeliveryOutcome.Sent, postId, postUrl);
    }

    /// <summary>The ad named for this delivery, if it exists.</summary>
    public async Task<(string? Id, DeliveryResult? Failure)> FindAdAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (FacebookPageClient.Field(delivery, "ad_account_id") is not { } account)
        {
            return (null, FacebookPageClient.MissingField(delivery, "ad_account_id"));
        }

        var found = await FindAsync(delivery, account, "ads", "id,name", secret, cancellationToken).ConfigureAwait(false);
        return (found.Item is { } item ? PlatformHttp.Text(item, "id") : null, found.Failure);
    }

    /// <summary>Deletes the campaign named for this delivery (Meta deletes its ad sets and ads with it); null when done or when there is none.</summary>
    public async Task<DeliveryResult?> DeleteCampaignAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (FacebookPageClient.Field(delivery, "ad_account_id") is not { } account)
        {
            return FacebookPageClient.MissingField(delivery, "ad_account_id");
        }

        var found = await FindAsync(delivery, account, "campaigns", "id,name", secret, cancellationToken).ConfigureAwait(false);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        if (found.Item is not { } campaign || PlatformHttp.Text(campaign, "id") is not { } id)
        {
            return null;
        }

        var deleted = await FacebookPageClient.DeleteAsync(graph, delivery.ApiUrl, id, secret, cancellationToken).ConfigureAwait(false);
        return deleted.Outcome == DeliveryOutcome.Sent ? null : deleted;
    }

    private static DeliveryResult? Check(Delivery delivery, SponsoredAd ad)
    {
        if (FacebookPageClient.Field(delivery, "ad_account_id") is not { } account)
        {
            return FacebookPageClient.MissingField(delivery, "ad_account_id");
        }

        if (!account.StartsWith("act_", StringComparison.Ordinal) || account.Length == 4 || !account[4..].All(char.IsAsciiDigit))
        {
            return new(DeliveryOutcome.Rejected, Error: $"Channel '{delivery.ChannelId}' has ad_account_id '{account}': write the ad account's id with its prefix, as act_<digits>.");
        }

        if (string.IsNullOrWhiteSpace(ad.FundingEntity))
        {
            return new(DeliveryOutcome.Rejected, Error: $"The sponsored post for channel '{delivery.ChannelId}' names no funding entity: the imprint must say who pays for it.");
        }

        // Content refuses such a budget; any other caller's is refused here, as an overflow would read as a send that may have reached Meta.
        if (ad.LifetimeBudgetGbp >= long.MaxValue / 100m)
        {
            return new(DeliveryOutcome.Rejected, Error: $"The sponsored post for channel '{delivery.ChannelId}' has a budget of £{ad.LifetimeBudgetGbp.ToString(CultureInfo.InvariantCulture)} a seat, more than any ad can be given: it is surely a typo.");
        }

        if (Pence(ad.LifetimeBudgetGbp) <= 0 || ad.End <= ad.Start)
        {
            return new(DeliveryOutcome.Rejected, Error: $"The sponsored post for channel '{delivery.ChannelId}' needs a budget above zero and an end after its start.");
        }

        return null;
    }

    /// <summary>
    /// A failure once the Page post is up. Every object is found by name before it is made, so an
    /// attempt after a lost answer is safe: what was ambiguous is reported as not sent, with the post's id.
    /// </summary>
    private DeliveryResult AfterPost(DeliveryResult failure, string step, string postId, string? postUrl)
    {
        var outcome = failure.Outcome == DeliveryOutcome.Unknown ? DeliveryOutcome.NotSent : failure.Outcome;
        var retryAt = outcome == DeliveryOutcome.NotSent ? failure.RetryAt ?? graph.Now + TimeSpan.FromMinutes(1) : failure.RetryAt;
        return new DeliveryResult(outcome, postId, postUrl,
            $"The Page post is up, but the {step} was not made: {failure.Error} The next attempt finds what exists by name and makes only what is missing.", retryAt)
        {
            // A lost answer may hide an ad set or ad that is running: its budget stays committed until the next attempt finds it.
            MayHaveApplied = failure.Outcome == DeliveryOutcome.Unknown,
        };
    }

    /// <summary>Finds the object named for this delivery, or makes it: GET with a name filter, then POST.</summary>
    private async Task<(string? Id, DeliveryResult? Failure)> EnsureAsync(Delivery delivery, string account, string edge, string secret, CancellationToken cancellationToken, List<KeyValuePair<string, string>> parameters)
    {
        var found = await FindAsync(delivery, account, edge, "id,name", secret, cancellationToken).ConfigureAwait(false);
        if (found.Failure is { } failure)
        {
            return (null, failure);
        }

        if (found.Item is { } item && PlatformHttp.Text(item, "id") is { } existing)
        {
            return (existing, null);
        }

        parameters.Insert(0, new("name", delivery.Key));
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Post, delivery.ApiUrl, $"{account}/{edge}", secret, parameters), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } refused)
        {
            return (null, refused);
        }

        return answer.Text("id") is { Length: > 0 } id
            ? (id, null)
            : (null, new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Facebook answered the new {edge} without its id."));
    }

    private async Task<(JsonElement? Item, DeliveryResult? Failure)> FindAsync(Delivery delivery, string account, string edge, string fields, string secret, CancellationToken cancellationToken)
    {
        var filter = JsonSerializer.Serialize(new[] { new { field = "name", @operator = "EQUAL", value = delivery.Key } });
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, $"{account}/{edge}", secret,
            [new("fields", fields), new("filtering", filter), new("limit", "10")]), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return (null, failure);
        }

        foreach (var item in answer.Data())
        {
            if (PlatformHttp.Text(item, "name") == delivery.Key)
            {
                return (item, null);
            }
        }

        return (null, null);
    }

    /// <summary>
    /// Why the ad account would refuse this ad set's budget, or null when it would take it. The account's
    /// <c>minimum_budgets</c> edge (https://developers.facebook.com/docs/marketing-api/reference/minimum-budget)
    /// gives the least an ad set may spend a day, by what it is optimised for, in the currency the account
    /// bills in; a lifetime budget must cover that least for each day of its run. Only a budget surely too
    /// small is refused: the run's days are counted exactly, not rounded up, and an edge that lists
    /// nothing leaves the judgement to Meta.
    /// </summary>
    private async Task<DeliveryResult?> BudgetRefusalAsync(Delivery delivery, string account, SponsoredAd ad, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, $"{account}/minimum_budgets", secret), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return failure with { Error = $"{failure.Error} Nothing was posted." };
        }

        foreach (var least in answer.Data())
        {
            if (PlatformHttp.Text(least, "currency") is { } currency && currency != "GBP")
            {
                return new(DeliveryOutcome.Rejected, Error: $"Ad account {account} bills in {currency}, but a sponsored post's budget is in pounds, so channel '{delivery.ChannelId}' " +
                    "would spend the wrong sum: give the channel an ad account that bills in GBP. Nothing was posted.");
            }

            if (least.ValueKind != JsonValueKind.Object || !least.TryGetProperty(LeastField, out var daily) || !daily.TryGetInt64(out var pencePerDay) || pencePerDay <= 0)
            {
                continue;
            }

            var days = (decimal)(ad.End - ad.Start).TotalDays;
            var needed = pencePerDay * days;
            var given = Pence(ad.LifetimeBudgetGbp);
            if (given < needed)
            {
                return new(DeliveryOutcome.Rejected, Error: string.Create(CultureInfo.InvariantCulture,
                    $"Ad account {account} takes no less than £{pencePerDay / 100m:0.00} a day for an ad set that reaches people, £{needed / 100m:0.00} over this ad's {days:0.##} days, ") +
                    string.Create(CultureInfo.InvariantCulture, $"and the sponsored post for channel '{delivery.ChannelId}' gives it £{given / 100m:0.00}: raise its budget or shorten its run. Nothing was posted."));
            }
        }

        return null;
    }

    /// <summary>The ad set is optimised for reach and billed by impressions: its least is the one for impressions.</summary>
    private const string LeastField = "min_daily_budget_imp";

    /// <summary>Meta takes budgets in the account currency's minor unit; rounding down never spends more than allowed.</summary>
    private static long Pence(decimal pounds) => (long)decimal.Round(pounds * 100m, 0, MidpointRounding.ToZero);

    private static string Targeting(SponsoredAd ad) => JsonSerializer.Serialize(new
    {
        geo_locations = new
        {
            custom_locations = new[]
            {
                new { latitude = ad.Latitude, longitude = ad.Longitude, radius = ad.RadiusKm, distance_unit = "kilometer" },
            },
        },
    });
}
