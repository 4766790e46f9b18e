using System.Globalization;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>
/// Publishes an image post to an Instagram professional account: a media container, then its publication.
/// Content publishing: https://developers.facebook.com/docs/instagram-platform/content-publishing/
/// IG User Media (create container, list media): https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
/// IG User Media Publish: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media_publish
/// IG Container (status_code: EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED): https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
/// IG Media: https://developers.facebook.com/docs/instagram-platform/reference/instagram-media
/// Error codes: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
/// Account field: <c>instagram_account_id</c>. The secret is a token of the Facebook Page linked to
/// the account, with instagram_basic, instagram_content_publish and pages_read_engagement.
/// </summary>
public sealed class InstagramClient(IHttpClientFactory httpClients, TimeProvider clock, Microsoft.Extensions.Options.IOptions<MetaOptions> options) : IPlatformClient
{
    public const string HttpClientName = "instagram";

    private const int LookupDepth = 50;

    public string Platform => "instagram";

    /// <summary>Publishing takes no idempotency key; only the container's own status can settle a lost answer.</summary>
    public bool SafeToRepeat => false;

    private GraphCaller Caller() => new(httpClients.CreateClient(HttpClientName), clock, "Instagram");

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (FacebookPageClient.Field(delivery, "instagram_account_id") is not { } account)
        {
            return FacebookPageClient.MissingField(delivery, "instagram_account_id");
        }

        if (delivery.MediaUrl is not { } media)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"Instagram needs an image: give the post a media file to publish on channel '{delivery.ChannelId}'.");
        }

        var graph = Caller();

        // A container is not a post: an unpublished one expires by itself, so a lost answer here is harmless.
        List<KeyValuePair<string, string>> parameters = [new("image_url", media.AbsoluteUri), new("caption", delivery.Message)];
        if (delivery.MediaAlt is { } alt)
        {
            parameters.Add(new("alt_text", alt));
        }

        var container = await graph.SendAsync(GraphApi.Request(HttpMethod.Post, delivery.ApiUrl, $"{account}/media", secret, parameters), secret, cancellationToken).ConfigureAwait(false);
        if (container.Failure is { } failure)
        {
            // Codes -1 and -2 are Instagram's server and download errors, which its table says to try again.
            return failure.Outcome == DeliveryOutcome.Unknown || container.Error is { Code: -1 or -2 }
                ? failure with { Outcome = DeliveryOutcome.NotSent, Error = failure.Error + " Nothing is published until the container is, so the next attempt starts afresh.", RetryAt = graph.Now + TimeSpan.FromMinutes(1) }
                : failure;
        }

        // The id goes into the next requests' paths, where a '/', '?', '#' or '..' would send them, and the token, to another node.
        if (container.Text("id") is not { Length: > 0 } containerId || !containerId.All(char.IsAsciiDigit))
        {
            return new DeliveryResult(DeliveryOutcome.NotSent,
                Error: "Instagram answered the media container without an id of digits; nothing is published until the container is, so the next attempt starts afresh.", RetryAt: graph.Now + TimeSpan.FromMinutes(1));
        }

        var ready = await WaitUntilReadyAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false);
        if (ready is not null)
        {
            return ready;
        }

        var published = await graph.SendAsync(GraphApi.Request(HttpMethod.Post, delivery.ApiUrl, $"{account}/media_publish", secret,
            [new("creation_id", containerId)]), secret, cancellationToken).ConfigureAwait(false);
        if (published.Failure is { } refused)
        {
            return published.Error switch
            {
                // A server error while publishing may or may not have published: the container says which.
                { Code: -1 or -2 } => await SettleAsync(graph, delivery, account, containerId, refused with { Outcome = DeliveryOutcome.Unknown, RetryAt = null }, secret, cancellationToken).ConfigureAwait(false),
                { Code: 9, Subcode: 2207042 } => refused with { Outcome = DeliveryOutcome.NotSent, Error = "Instagram's limit of published posts per day for this account is reached; nothing was published.", RetryAt = graph.Now + TimeSpan.FromHours(1) },
                { Code: 9007 } => refused with { Outcome = DeliveryOutcome.NotSent, Error = "Instagram had not finished the image; nothing was published.", RetryAt = graph.Now + TimeSpan.FromMinutes(5) },
                _ when refused.Outcome == DeliveryOutcome.Unknown => await SettleAsync(graph, delivery, account, containerId, refused, secret, cancellationToken).ConfigureAwait(false),
                _ => refused,
            };
        }

        // The media id goes into the permalink's path and, later, a retraction's: only Graph's digits may.
        return published.Text("id") is { Length: > 0 } mediaId && mediaId.All(char.IsAsciiDigit)
            ? new DeliveryResult(DeliveryOutcome.Sent, mediaId, await PermalinkAsync(graph, delivery, mediaId, secret, cancellationToken).ConfigureAwait(false))
            : await SettleAsync(graph, delivery, account, containerId, new DeliveryResult(DeliveryOutcome.Unknown, Error: "Instagram answered the publication without a media id of digits."), secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account's recent media whose caption is exactly this delivery's message; null when none is listed.</summary>
    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (FacebookPageClient.Field(delivery, "instagram_account_id") is not { } account)
        {
            return null;
        }

        return await FindMediaAsync(Caller(), delivery, account, secret, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DELETE /{ig-media-id}, which Meta allows for accounts connected through Facebook Login.</summary>
    public Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken) =>
        FacebookPageClient.DeleteAsync(Caller(), delivery.ApiUrl, remoteId, secret, cancellationToken);

    /// <summary>Asks the container's status until it is FINISHED; null when it is ready to publish.</summary>
    private async Task<DeliveryResult?> WaitUntilReadyAsync(GraphCaller graph, Delivery delivery, string containerId, string secret, CancellationToken cancellationToken)
    {
        for (var poll = 0; ; poll++)
        {
            var status = await StatusAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case (_, { } failure):
                    return failure;
                case ("FINISHED", _):
                    return null;
                case ("IN_PROGRESS", _) when poll + 1 < options.Value.ContainerPolls:
                    // Real time, not the injected clock: a test's frozen clock must not freeze the wait.
                    await Task.Delay(options.Value.ContainerPollInterval, cancellationToken).ConfigureAwait(false);
                    continue;
                case ("IN_PROGRESS", _):
                    return new DeliveryResult(DeliveryOutcome.NotSent, Error: "Instagram was still processing the image; nothing was published.", RetryAt: graph.Now + TimeSpan.FromMinutes(5));
                case (var code, _):
                    return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"Instagram could not use the image at {delivery.MediaUrl} (container status {code ?? "missing"}): check that it is public and a JPEG within Instagram's size limits.");
            }
        }
    }

    private static async Task<(string? Status, DeliveryResult? Failure)> StatusAsync(GraphCaller graph, Delivery delivery, string containerId, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, containerId, secret, [new("fields", "status_code")]), secret, cancellationToken).ConfigureAwait(false);
        return (answer.Text("status_code"), answer.Failure);
    }

    /// <summary>
    /// After a lost answer to media_publish: a PUBLISHED container made the post (found then by its
    /// caption); a container in any other state did not publish, yet a late publication cannot be
    /// ruled out, so the delivery stays unknown.
    /// </summary>
    private static async Task<DeliveryResult> SettleAsync(GraphCaller graph, Delivery delivery, string account, string containerId, DeliveryResult lost, string secret, CancellationToken cancellationToken)
    {
        var (status, _) = await StatusAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false);
        if (status == "PUBLISHED")
        {
            return await FindMediaAsync(graph, delivery, account, secret, cancellationToken).ConfigureAwait(false)
                ?? new DeliveryResult(DeliveryOutcome.Sent, Error: $"Instagram published container {containerId}; its media id could not be read.");
        }

        return lost with { Error = $"{lost.Error} Container {containerId} was {status ?? "not readable"} afterwards." };
    }

    private static async Task<DeliveryResult?> FindMediaAsync(GraphCaller graph, Delivery delivery, string account, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, $"{account}/media", secret,
            [new("fields", "id,caption,permalink,timestamp"), new("limit", LookupDepth.ToString(CultureInfo.InvariantCulture))]), secret, cancellationToken).ConfigureAwait(false);
        var wanted = PlatformHttp.PostedText(delivery.Message);
        foreach (var media in answer.Data())
        {
            if (PlatformHttp.Text(media, "caption") is { } caption && PlatformHttp.PostedText(caption) == wanted && PlatformHttp.Text(media, "id") is { } id && id.All(char.IsAsciiDigit) &&
                !PlatformHttp.MadeBeforeAttempt(media, "timestamp", delivery))
            {
                return new DeliveryResult(DeliveryOutcome.Sent, id, PlatformHttp.Text(media, "permalink"));
            }
        }

        return null;
    }

    private static async Task<string?> PermalinkAsync(GraphCaller graph, Delivery delivery, string mediaId, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(GraphApi.Request(HttpMethod.Get, delivery.ApiUrl, mediaId, secret, [new("fields", "permalink")]), secret, cancellationToken).ConfigureAwait(false);
        return answer.Text("permalink");
    }
}
