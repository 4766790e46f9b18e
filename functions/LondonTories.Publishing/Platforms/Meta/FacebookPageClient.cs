using System.Text.Json;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>
/// Posts to a Facebook Page as the Page, and runs a sponsored post as a Meta political ad.
/// Page feed (publish): https://developers.facebook.com/docs/graph-api/reference/page/feed
/// Pages API, getting started: https://developers.facebook.com/docs/pages/getting-started
/// Published posts (lookup): https://developers.facebook.com/docs/graph-api/reference/page/published_posts/
/// Post (delete): https://developers.facebook.com/docs/graph-api/reference/post
/// Account fields: <c>page_id</c>; for sponsored posts also <c>ad_account_id</c> (act_...).
/// The secret is a Page access token (pages_manage_posts, pages_read_engagement; ads_management for ads).
/// </summary>
public sealed class FacebookPageClient(IHttpClientFactory httpClients, TimeProvider clock) : IPlatformClient
{
    public const string HttpClientName = "facebook";

    /// <summary>How many of the Page's latest posts a lookup reads to find one this delivery made.</summary>
    private const int LookupDepth = 100;

    public string Platform => "facebook";

    /// <summary>A Page post takes no idempotency key: a repeat would make a second post.</summary>
    public bool SafeToRepeat => false;

    private GraphCaller Caller() => new(httpClients.CreateClient(HttpClientName), clock, "Facebook");

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (Field(delivery, "page_id") is not { } pageId)
        {
            return MissingField(delivery, "page_id");
        }

        var graph = Caller();
        if (delivery.Ad is not null)
        {
            return await new MetaAds(graph).RunAsync(delivery, pageId, secret, cancellationToken).ConfigureAwait(false);
        }

        return await PostAsync(graph, delivery, pageId, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST /{page-id}/feed with the message and link: the answer's id is <c>{page-id}_{post-id}</c>.</summary>
    internal static async Task<DeliveryResult> PostAsync(GraphCaller graph, Delivery delivery, string pageId, string secret, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("message", delivery.Message) };
        if (delivery.Link is { } link)
        {
            parameters.Add(new("link", link));
        }

        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Post, delivery.ApiUrl, $"{pageId}/feed", secret, parameters), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        return answer.Text("id") is { Length: > 0 } id
            ? new DeliveryResult(DeliveryOutcome.Sent, id, PostUrl(id))
            : new DeliveryResult(DeliveryOutcome.Unknown, Error: "Facebook answered the post without its id: check the Page and confirm.");
    }

    /// <summary>
    /// Reads the Page's latest posts for one made since the first attempt whose message is exactly this delivery's. Finding it
    /// settles an ambiguous post; not finding it settles nothing, since a post may take a moment to
    /// be listed, so the answer is then null.
    /// </summary>
    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (Field(delivery, "page_id") is not { } pageId)
        {
            return null;
        }

        var graph = Caller();
        DeliveryResult? post = null;
        if (delivery is { Ad: not null, EarlierRemoteId: { Length: > 0 } earlier })
        {
            // The recorded post, unless a person deleted it on the Page since: then only one made since the first attempt can be this delivery's.
            var (stands, unknown) = await PostStandsAsync(graph, delivery.ApiUrl, earlier, secret, cancellationToken).ConfigureAwait(false);
            if (unknown is not null)
            {
                return null;
            }

            post = stands ? new DeliveryResult(DeliveryOutcome.Sent, earlier, PostUrl(earlier)) : null;
        }

        post ??= (await FindPostAsync(graph, delivery, pageId, secret, cancellationToken).ConfigureAwait(false)).Post;
        if (post is null)
        {
            return null;
        }

        if (delivery.Ad is null)
        {
            return post;
        }

        // The post is up; the ad is whole only when the ad named for this delivery exists. If not,
        // sending again is safe: it finds the post and every ad object by name and makes only what is missing.
        var ads = new MetaAds(graph);
        var ad = await ads.FindAdAsync(delivery, secret, cancellationToken).ConfigureAwait(false);
        return ad switch
        {
            { Failure: null, Id: not null } => post,
            { Failure: null } => new DeliveryResult(DeliveryOutcome.NotSent, post.RemoteId, post.RemoteUrl, "The Page post is up but its ad is not complete; sending again completes it without a second post."),
            _ => null,
        };
    }

    /// <summary>The Page's post whose message is exactly this delivery's, if one is listed; or why the lookup failed.</summary>
    internal static async Task<(DeliveryResult? Post, DeliveryResult? Failure)> FindPostAsync(GraphCaller graph, Delivery delivery, string pageId, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, $"{pageId}/published_posts", secret,
            [new("fields", "id,message,permalink_url,created_time"), new("limit", LookupDepth.ToString(System.Globalization.CultureInfo.InvariantCulture))]), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return (null, failure);
        }

        var wanted = PlatformHttp.PostedText(delivery.Message);
        foreach (var post in answer.Data())
        {
            if (PlatformHttp.Text(post, "message") is { } message && PlatformHttp.PostedText(message) == wanted && PlatformHttp.Text(post, "id") is { } id &&
                !PlatformHttp.MadeBeforeAttempt(post, "created_time", delivery))
            {
                return (new DeliveryResult(DeliveryOutcome.Sent, id, PlatformHttp.Text(post, "permalink_url") ?? PostUrl(id)), null);
            }
        }

        return (null, null);
    }

    /// <summary>
    /// Whether a Page post is still up: GET /{post-id} answers code 100, subcode 33 ("Object with ID
    /// does not exist") for one deleted on the Page. Any other failure says nothing either way.
    /// </summary>
    internal static async Task<(bool Stands, DeliveryResult? Failure)> PostStandsAsync(GraphCaller graph, Uri apiUrl, string id, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, apiUrl, Uri.EscapeDataString(id), secret, [new("fields", "id")]), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded)
        {
            return (true, null);
        }

        return answer.Error is { Code: 100, Subcode: 33 } ? (false, null) : (false, answer.Failure);
    }

    /// <summary>DELETE /{post-id}; for a sponsored post the campaign named for the delivery goes first, taking its ad set and ad with it.</summary>
    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        var graph = Caller();
        if (delivery.Ad is not null)
        {
            var ads = new MetaAds(graph);
            var stopped = await ads.DeleteCampaignAsync(delivery, secret, cancellationToken).ConfigureAwait(false);
            if (stopped is not null)
            {
                return stopped;
            }
        }

        return await DeleteAsync(graph, delivery.ApiUrl, remoteId, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a Graph object; one already gone (code 100, subcode 33) counts as deleted.</summary>
    internal static async Task<DeliveryResult> DeleteAsync(GraphCaller graph, Uri apiUrl, string id, string secret, CancellationToken cancellationToken)
    {
        // Escaping leaves '.' and '..' as they are, and a URL reads them as a step up the path: the token would delete whatever lies there.
        if (!IsGraphId(id))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The post's recorded id is not a Graph id (digits, or a Page's digits and a post's joined by '_'), so nothing was deleted; remove the post by hand in Meta Business Suite.");
        }

        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Delete, apiUrl, Uri.EscapeDataString(id), secret), secret, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded || answer.Error is { Code: 100, Subcode: 33 })
        {
            return new DeliveryResult(DeliveryOutcome.Sent, id);
        }

        return answer.Failure!;
    }

    /// <summary>Whether <paramref name="id"/> is written as Graph writes the ids of posts and media: digits, or two runs of digits joined by '_'.</summary>
    internal static bool IsGraphId(string id) =>
        id.Split('_') switch { [var one] => Digits(one), [var page, var post] => Digits(page) && Digits(post), _ => false };

    private static bool Digits(string part) => part.Length > 0 && part.All(char.IsAsciiDigit);

    internal static string? Field(Delivery delivery, string name) =>
        delivery.Account.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    internal static DeliveryResult MissingField(Delivery delivery, string name) =>
        new(DeliveryOutcome.Rejected, Error: $"Channel '{delivery.ChannelId}' has no '{name}' in content/channels.yaml: add the {delivery.Platform} account's {name}.");

    /// <summary>A Page post's public address from its <c>{page-id}_{post-id}</c> id.</summary>
    internal static string PostUrl(string id) =>
        id.Split('_', 2) is [var page, var post] ? $"https://www.facebook.com/{page}/posts/{post}" : $"https://www.facebook.com/{id}";
}
