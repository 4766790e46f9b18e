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
/// is never made: the delivery is left for a person.
/// </summary>
public sealed class MastodonClient(IHttpClientFactory http) : IPlatformClient
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

        var json = reply.Json();
        return json.ValueKind == JsonValueKind.Object && json.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } statusId
            ? new DeliveryResult(DeliveryOutcome.Sent, statusId, json.TryGetProperty("url", out var url) ? url.GetString() : null)
            : new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Mastodon answered {(int)reply.Status} without the new status's id.");
    }

    // Mastodon has no lookup by idempotency key; a repeat of the same request is its way to find out.
    public Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult?>(null);

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
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
