using System.Globalization;
using LondonTories.Publishing.Platforms.Meta;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LondonTories.Publishing.Platforms.Threads;

/// <summary>
/// Publishes a post to a Threads profile: a media container, then its publication, as Instagram does.
/// Posts: https://developers.facebook.com/docs/threads/posts
/// Publishing reference (threads, threads_publish, container status): https://developers.facebook.com/docs/threads/reference/publishing
/// Troubleshooting (container statuses, publishing limit): https://developers.facebook.com/docs/threads/troubleshooting
/// User posts (lookup): https://developers.facebook.com/docs/threads/retrieve-and-discover-posts/retrieve-posts
/// Delete posts: https://developers.facebook.com/docs/threads/posts/delete-posts
/// Refreshing long-lived tokens: https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/
/// Account field: <c>threads_user_id</c>, the profile's numeric Threads user id. The secret is a
/// long-lived Threads user access token with threads_basic and threads_content_publish
/// (threads_delete to retract), bare or as a <see cref="ThreadsToken"/> with its expiry, which is
/// renewed before it lapses. Errors take the Graph API's shape and codes.
/// </summary>
public sealed class ThreadsClient(IHttpClientFactory httpClients, TimeProvider clock, IOptions<MetaOptions> options) : IPlatformClient, ISecretRenewal
{
    private const string InvalidToken = "The channel's secret is JSON but not a Threads token: store the long-lived access token alone, or {\"access_token\": \"…\", \"expires_at\": \"2027-01-29T12:00:00Z\"}.";

    public const string HttpClientName = "threads";

    /// <summary>Threads versions its Graph apart from Facebook's.</summary>
    public const string Version = "v1.0";

    public static readonly Uri DefaultBaseUrl = new("https://graph.threads.net/");

    private const string UserField = "threads_user_id";

    private const int LookupDepth = 50;

    public string Platform => "threads";

    /// <summary>Publishing takes no idempotency key; only the container's own status can settle a lost answer.</summary>
    public bool SafeToRepeat => false;

    private GraphCaller Caller() => new(httpClients.CreateClient(HttpClientName), clock, "Threads");

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (User(delivery) is not { } user)
        {
            return BadUser(delivery);
        }

        if (ThreadsToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidToken);
        }

        secret = token.AccessToken;

        var graph = Caller();
        // Media Threads does not take goes out as a text post with its link, as the post's check warned.
        var image = delivery.MediaUrl is { } media && Social.SocialPlatforms.Get(Platform).Shows(media) ? media : null;
        List<KeyValuePair<string, string>> parameters = image is null
            ? [new("media_type", "TEXT"), new("text", delivery.Message)]
            : [new("media_type", "IMAGE"), new("image_url", image.AbsoluteUri), new("text", delivery.Message)];

        // Threads takes alt text for images and videos only.
        if (image is not null && delivery.MediaAlt is { } alt)
        {
            parameters.Add(new("alt_text", alt));
        }

        // Threads previews the first address in the text, which may be another than the seat's page.
        if (image is null && delivery.Link is { } link)
        {
            parameters.Add(new("link_attachment", link));
        }

        // A container is not a post: an unpublished one expires by itself, so a lost answer here is harmless.
        var container = await graph.SendAsync(Request(HttpMethod.Post, delivery, $"{user}/threads", secret, parameters), secret, cancellationToken).ConfigureAwait(false);
        if (container.Failure is { } failure)
        {
            return failure.Outcome == DeliveryOutcome.Unknown
                ? failure with { Outcome = DeliveryOutcome.NotSent, Error = failure.Error + " Nothing is published until the container is, so the next attempt starts afresh.", RetryAt = graph.Now + TimeSpan.FromMinutes(1) }
                : failure;
        }

        if (container.Text("id") is not { Length: > 0 } containerId || !IsId(containerId))
        {
            return new DeliveryResult(DeliveryOutcome.NotSent, Error: "Threads answered the media container without its id; nothing was published.", RetryAt: graph.Now + TimeSpan.FromMinutes(1));
        }

        if (await WaitUntilReadyAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false) is { } notReady)
        {
            return notReady;
        }

        var published = await graph.SendAsync(Request(HttpMethod.Post, delivery, $"{user}/threads_publish", secret, [new("creation_id", containerId)]), secret, cancellationToken)
            .ConfigureAwait(false);
        if (published.Failure is { } refused)
        {
            return published.Error switch
            {
                // Threads may not yet know a container it has just made; a publication it cannot find published nothing.
                { Code: 24, Subcode: 4279009 } => refused with
                {
                    Outcome = DeliveryOutcome.NotSent,
                    Error = $"Threads could not yet find container {containerId}; nothing was published.",
                    RetryAt = graph.Now + TimeSpan.FromMinutes(1),
                },

                // A lost answer or a server error may or may not have published: the container says which.
                _ when refused.Outcome == DeliveryOutcome.Unknown => await SettleAsync(graph, delivery, user, containerId, refused, secret, cancellationToken).ConfigureAwait(false),
                _ => refused,
            };
        }

        return published.Text("id") is { Length: > 0 } mediaId && IsId(mediaId)
            ? new DeliveryResult(DeliveryOutcome.Sent, mediaId, await PermalinkAsync(graph, delivery, mediaId, secret, cancellationToken).ConfigureAwait(false))
            : await SettleAsync(graph, delivery, user, containerId, new DeliveryResult(DeliveryOutcome.Unknown, Error: "Threads answered the publication without the post's id."), secret, cancellationToken)
                .ConfigureAwait(false);
    }

    /// <summary>The profile's latest post made since the first attempt whose text is exactly this delivery's; null when none is listed.</summary>
    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) =>
        User(delivery) is { } user && ThreadsToken.Parse(secret) is { } token ? await FindPostAsync(Caller(), delivery, user, token.AccessToken, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>DELETE /{threads-media-id}, which needs threads_delete.</summary>
    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        if (!IsId(remoteId))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"'{remoteId}' is not a Threads post id: a post id is digits only.");
        }

        if (ThreadsToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidToken);
        }

        secret = token.AccessToken;

        var answer = await Caller().SendAsync(Request(HttpMethod.Delete, delivery, remoteId, secret), secret, cancellationToken).ConfigureAwait(false);
        return answer.Failure ?? new DeliveryResult(DeliveryOutcome.Sent, remoteId);
    }

    public bool NeedsRenewal(string secret, DateTimeOffset now) => ThreadsToken.Parse(secret)?.Stale(now) == true;

    /// <summary>Never after a refusal: Threads refreshes only a token that still works, so a refused one cannot be.</summary>
    public bool CanRenew(string secret) => false;

    public bool StillWorks(string secret, DateTimeOffset now) => ThreadsToken.Parse(secret)?.ExpiresAt is { } expires && expires > now;

    /// <summary>GET /refresh_access_token?grant_type=th_refresh_token: the old token keeps working until its own expiry.</summary>
    public async Task<SecretRenewal> RenewAsync(Delivery delivery, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ThreadsToken.Parse(secret) is not { ExpiresAt: { } expires } token)
        {
            return new SecretRenewal(null, InvalidToken);
        }

        if (expires <= now)
        {
            return new SecretRenewal(null, string.Create(CultureInfo.InvariantCulture,
                $"the long-lived Threads token expired at {expires:yyyy-MM-dd HH:mm}Z, and Threads refreshes only a token that has not: authorise the app again and store the new long-lived token with its expires_at."));
        }

        var query = $"refresh_access_token?grant_type=th_refresh_token&access_token={Uri.EscapeDataString(token.AccessToken)}";
        var answer = await Caller().SendAsync(new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Endpoint(delivery.ApiUrl, query)), token.AccessToken, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return new SecretRenewal(null, string.Create(CultureInfo.InvariantCulture,
                $"Threads did not refresh the long-lived token: {failure.Error} It still works until {expires:yyyy-MM-dd}; if it keeps failing, authorise the app again before then."));
        }

        if (answer.Text("access_token") is not { Length: > 0 } fresh)
        {
            return new SecretRenewal(null, string.Create(CultureInfo.InvariantCulture,
                $"Threads answered the refresh without a token. The old one still works until {expires:yyyy-MM-dd}; if this keeps happening, authorise the app again before then."));
        }

        // Seconds from now, as documented; an answer that does not say is taken at the documented 60 days.
        var lifetime = answer.Body.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == System.Text.Json.JsonValueKind.Number
            && seconds.TryGetInt64(out var value) && value is > 0 and <= 366L * 24 * 3600
                ? TimeSpan.FromSeconds(value)
                : ThreadsToken.Lifetime;
        return new SecretRenewal(new ThreadsToken(fresh, now + lifetime).ToJson(), null);
    }

    /// <summary>Asks the container's status until it is FINISHED; null when it is ready to publish.</summary>
    private async Task<DeliveryResult?> WaitUntilReadyAsync(GraphCaller graph, Delivery delivery, string containerId, string secret, CancellationToken cancellationToken)
    {
        for (var poll = 0; ; poll++)
        {
            var (status, error, failure) = await StatusAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            switch (status)
            {
                case "FINISHED":
                    return null;
                case "IN_PROGRESS" when poll + 1 < options.Value.ContainerPolls:
                    // Real time, not the injected clock: a test's frozen clock must not freeze the wait.
                    await Task.Delay(options.Value.ContainerPollInterval, cancellationToken).ConfigureAwait(false);
                    continue;
                case "IN_PROGRESS":
                    return new DeliveryResult(DeliveryOutcome.NotSent, Error: "Threads was still processing the post; nothing was published.", RetryAt: graph.Now + TimeSpan.FromMinutes(5));
                default:
                    return new DeliveryResult(DeliveryOutcome.Rejected,
                        Error: $"Threads could not make the post (container status {status ?? "missing"}{(error is null ? string.Empty : $", {error}")}){(delivery.MediaUrl is { } media ? $": check that the image at {media} is public and within Threads' limits" : string.Empty)}.");
            }
        }
    }

    private static async Task<(string? Status, string? Error, DeliveryResult? Failure)> StatusAsync(GraphCaller graph, Delivery delivery, string containerId, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(Request(HttpMethod.Get, delivery, containerId, secret, [new("fields", "status,error_message")]), secret, cancellationToken).ConfigureAwait(false);
        return (answer.Text("status"), answer.Text("error_message"), answer.Failure);
    }

    /// <summary>
    /// After an ambiguous publication: a PUBLISHED container made the post, found then by its text;
    /// a container in any other state has not published yet, but a late publication cannot be ruled
    /// out, so the delivery stays unknown, and so does a post published that the profile does not list.
    /// </summary>
    private static async Task<DeliveryResult> SettleAsync(GraphCaller graph, Delivery delivery, string user, string containerId, DeliveryResult lost, string secret, CancellationToken cancellationToken)
    {
        var (status, _, _) = await StatusAsync(graph, delivery, containerId, secret, cancellationToken).ConfigureAwait(false);
        if (status == "PUBLISHED" && await FindPostAsync(graph, delivery with { EarlierAttempt = delivery.EarlierAttempt ?? graph.Now }, user, secret, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        return lost with { Outcome = DeliveryOutcome.Unknown, RetryAt = null, Error = $"{lost.Error} Container {containerId} was {status ?? "not readable"} afterwards." };
    }

    private static async Task<DeliveryResult?> FindPostAsync(GraphCaller graph, Delivery delivery, string user, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(Request(HttpMethod.Get, delivery, $"{user}/threads", secret,
            [new("fields", "id,text,permalink,timestamp"), new("limit", LookupDepth.ToString(CultureInfo.InvariantCulture))]), secret, cancellationToken).ConfigureAwait(false);
        var wanted = PlatformHttp.PostedText(delivery.Message);
        foreach (var post in answer.Data())
        {
            if (PlatformHttp.Text(post, "text") is { } text && PlatformHttp.PostedText(text) == wanted && PlatformHttp.Text(post, "id") is { } id && IsId(id) &&
                !PlatformHttp.MadeBeforeAttempt(post, "timestamp", delivery))
            {
                return new DeliveryResult(DeliveryOutcome.Sent, id, PlatformHttp.Text(post, "permalink"));
            }
        }

        return null;
    }

    private static async Task<string?> PermalinkAsync(GraphCaller graph, Delivery delivery, string mediaId, string secret, CancellationToken cancellationToken)
    {
        var answer = await graph.SendAsync(Request(HttpMethod.Get, delivery, mediaId, secret, [new("fields", "permalink")]), secret, cancellationToken).ConfigureAwait(false);
        return answer.Text("permalink");
    }

    private static HttpRequestMessage Request(HttpMethod method, Delivery delivery, string path, string secret, IEnumerable<KeyValuePair<string, string>>? parameters = null) =>
        GraphApi.Request(method, delivery.ApiUrl, path, secret, parameters, Version);

    /// <summary>The channel's user id, where it is one: it goes into the path, where anything but digits could name another node.</summary>
    private static string? User(Delivery delivery) =>
        FacebookPageClient.Field(delivery, UserField) is { } user && IsId(user) ? user : null;

    private static DeliveryResult BadUser(Delivery delivery) => FacebookPageClient.Field(delivery, UserField) is { } user
        ? new(DeliveryOutcome.Rejected, Error: $"Channel '{delivery.ChannelId}' has threads_user_id '{user}' in content/channels.yaml: write the profile's numeric Threads user id, digits only.")
        : FacebookPageClient.MissingField(delivery, UserField);

    /// <summary>Threads ids are digits; anything else from an answer is not trusted into a path.</summary>
    internal static bool IsId(string id) => PlatformHttp.IsNumericId(id);
}

public static class ThreadsServices
{
    /// <summary>
    /// The Threads client with its own HttpClient and Meta's Graph retry policy, as its errors and
    /// limits are Graph's. Its HttpClient carries no URL loggers, since lookups carry the token in the query.
    /// </summary>
    public static IServiceCollection AddThreadsPlatform(this IServiceCollection services)
    {
        services.AddOptions<MetaOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddPlatformHttpClient(ThreadsClient.HttpClientName, provider =>
                GraphResilience.Rules(provider.GetRequiredService<IOptions<MetaOptions>>().Value, provider.GetRequiredService<TimeProvider>()))
            .RemoveAllLoggers();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, ThreadsClient>());
        return services;
    }
}
