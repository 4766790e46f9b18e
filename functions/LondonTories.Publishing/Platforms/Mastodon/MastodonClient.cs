using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LondonTories.Publishing.Platforms.Mastodon;

/// <summary>
/// Posts a public status through <c>POST /api/v1/statuses</c> on the account's instance (the
/// channel's <c>api_url</c>) with an access token holding <c>write:statuses</c>. The delivery key
/// goes as the <c>Idempotency-Key</c>, so a repeat returns the status already made instead of a
/// second one. Mastodon keeps the key for an hour, so a repeat later than <see cref="RepeatWindow"/>
/// is never made: the account's latest statuses are read for it instead, and the delivery is left
/// for a person when it is not among them.
/// </summary>
public sealed partial class MastodonClient(IHttpClientFactory http) : IPlatformClient
{
    public const string HttpClientName = "mastodon";

    public string Platform => "mastodon";

    public bool SafeToRepeat => true;

    // Mastodon keeps an Idempotency-Key for an hour; ten minutes of it are left for the repeat's own retries and timeouts.
    public TimeSpan? RepeatWindow => TimeSpan.FromMinutes(50);

    /// <summary>Mastodon's rate-limit header: when the window resets, as an ISO 8601 instant.</summary>
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now) =>
        PlatformHttp.InstantHeader(headers, "X-RateLimit-Reset");

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Endpoint(delivery.ApiUrl, "api/v1/statuses"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("status", delivery.Message),
                new("language", delivery.Language),
                new("visibility", "public"),
            ]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        request.Headers.Add("Idempotency-Key", delivery.Key);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply.Status == HttpStatusCode.UnprocessableEntity
                ? new DeliveryResult(DeliveryOutcome.Rejected, Error: $"Mastodon refused the status as invalid ({reply.Problem(secret)}).")
                : PlatformHttp.Failed(reply, "Mastodon", secret, RateLimitReset);
        }

        // Read as strings only: a field of another type would otherwise throw, and a status that was made be left unknown.
        var json = reply.Json();
        return PlatformHttp.Text(json, "id") is { Length: > 0 } statusId
            ? new DeliveryResult(DeliveryOutcome.Sent, statusId, PlatformHttp.Text(json, "url"))
            : new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Mastodon answered {(int)reply.Status} without the new status's id.");
    }

    /// <summary>
    /// Past the idempotency key's hour, reads the account's latest statuses for one whose text as
    /// written (<c>GET /api/v1/statuses/:id/source</c>) is exactly this delivery's, trying only those
    /// whose rendered text reads the same. Finding it settles an ambiguous status; not finding it, or
    /// a token without <c>read:accounts</c> and <c>read:statuses</c>, settles nothing (null).
    /// </summary>
    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (await GetAsync(delivery, "api/v1/accounts/verify_credentials", secret, cancellationToken).ConfigureAwait(false) is not { } account
            || PlatformHttp.Text(account, "id") is not { } accountId
            || await GetAsync(delivery, $"api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={LookupDepth}&exclude_replies=true&exclude_reblogs=true", secret, cancellationToken)
                .ConfigureAwait(false) is not { ValueKind: JsonValueKind.Array } statuses)
        {
            return null;
        }

        var wanted = PlatformHttp.PostedText(delivery.Message);
        var reads = Squeezed(wanted);
        foreach (var status in statuses.EnumerateArray())
        {
            if (PlatformHttp.Text(status, "id") is not { } id || PlatformHttp.Text(status, "content") is not { } content || Squeezed(Visible(content)) != reads ||
                PlatformHttp.MadeBeforeAttempt(status, "created_at", delivery))
            {
                continue;
            }

            if (await GetAsync(delivery, $"api/v1/statuses/{Uri.EscapeDataString(id)}/source", secret, cancellationToken).ConfigureAwait(false) is { } source
                && PlatformHttp.Text(source, "text") is { } text && PlatformHttp.PostedText(text) == wanted)
            {
                return new DeliveryResult(DeliveryOutcome.Sent, id, PlatformHttp.Text(status, "url"));
            }
        }

        return null;
    }

    private const int LookupDepth = 40;

    private async Task<JsonElement?> GetAsync(Delivery delivery, string path, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Endpoint(delivery.ApiUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? reply.Json() : null;
    }

    /// <summary>A status's HTML as it reads: tags dropped (a link's hidden parts are text too), entities decoded.</summary>
    private static string Visible(string html) => WebUtility.HtmlDecode(Tags().Replace(html, string.Empty));

    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex Tags();

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        // Mastodon's ids are strings not promised to be numbers, so any is taken but those a URL reads as a step along the path.
        if (remoteId is "" or "." or "..")
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The post's recorded id is not a Mastodon status id, so nothing was deleted; remove the status by hand on its instance.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, PlatformHttp.Endpoint(delivery.ApiUrl, $"api/v1/statuses/{Uri.EscapeDataString(remoteId)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess || reply.Status == HttpStatusCode.NotFound
            ? new DeliveryResult(DeliveryOutcome.Sent, remoteId)
            : PlatformHttp.Failed(reply, "Mastodon", secret, RateLimitReset);
    }
}

public static class MastodonServices
{
    public static IServiceCollection AddMastodonPlatform(this IServiceCollection services)
    {
        services.AddPlatformHttpClient(MastodonClient.HttpClientName, safeToRepeat: true, MastodonClient.RateLimitReset);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, MastodonClient>());
        return services;
    }
}
