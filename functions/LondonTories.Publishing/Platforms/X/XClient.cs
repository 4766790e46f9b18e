using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LondonTories.Publishing.Platforms.X;

/// <summary>
/// Posts on X through <c>POST /2/tweets</c> with the account's user-context OAuth 2.0 token. X
/// takes no idempotency key and offers no lookup that could tell a lost post from one never
/// made, so a request whose answer is lost is left <see cref="DeliveryOutcome.Unknown"/> for a person.
/// </summary>
public sealed class XClient(IHttpClientFactory http) : IPlatformClient
{
    public const string HttpClientName = "x";

    public static readonly Uri DefaultApiUrl = new("https://api.x.com/");

    public string Platform => "x";

    public bool SafeToRepeat => false;

    /// <summary>
    /// When X lets the account post again, in seconds since the Unix epoch: the endpoint's
    /// 15-minute window, or the user's 24-hour posting allowance where that is what ran out.
    /// </summary>
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var window = PlatformHttp.UnixSecondsHeader(headers, "x-rate-limit-reset");
        var daily = headers.TryGetValues("x-user-limit-24hour-remaining", out var remaining) && remaining.FirstOrDefault() == "0"
            ? PlatformHttp.UnixSecondsHeader(headers, "x-user-limit-24hour-reset")
            : null;
        return daily is null || window > daily ? window : daily;
    }

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Endpoint(delivery.ApiUrl, "2/tweets"))
        {
            Content = JsonContent.Create(new { text = delivery.Message }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return PlatformHttp.Failed(reply, "X", secret, RateLimitReset);
        }

        var json = reply.Json();
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var data) && data.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } postId)
        {
            return new DeliveryResult(DeliveryOutcome.Sent, postId, $"https://x.com/i/web/status/{postId}");
        }

        // A success without the post's id: it was very likely made, but nothing here can prove it.
        return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"X answered {(int)reply.Status} without the new post's id.");
    }

    public Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult?>(null);

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, PlatformHttp.Endpoint(delivery.ApiUrl, $"2/tweets/{Uri.EscapeDataString(remoteId)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess || reply.Status == HttpStatusCode.NotFound
            ? new DeliveryResult(DeliveryOutcome.Sent, remoteId)
            : PlatformHttp.Failed(reply, "X", secret, RateLimitReset);
    }
}

public static class XServices
{
    public static IServiceCollection AddXPlatform(this IServiceCollection services)
    {
        services.AddPlatformHttpClient(XClient.HttpClientName, safeToRepeat: false, XClient.RateLimitReset);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, XClient>());
        return services;
    }
}
