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
/// The secret is an access token or a renewable <see cref="XToken"/> set, refreshed through
/// <c>POST /2/oauth2/token</c> before it expires, and once more if X refuses it before then.
/// </summary>
public sealed class XClient(IHttpClientFactory http) : IPlatformClient, ISecretRenewal
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
        if (XToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidTokenSet);
        }

        secret = token.AccessToken;
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

        // Read as strings only: a field of another type would otherwise throw, and a post that was made be left unsettled.
        var json = reply.Json();
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var data) && PlatformHttp.Text(data, "id") is { Length: > 0 } postId)
        {
            // The id becomes the post's address and, to retract it, a request's path: only an X post id (digits) may.
            return IsPostId(postId)
                ? new DeliveryResult(DeliveryOutcome.Sent, postId, $"https://x.com/i/web/status/{postId}")
                : new DeliveryResult(DeliveryOutcome.Unknown, Error: $"X answered {(int)reply.Status} with a post id that is not an X post id (digits), so the post cannot be found or retracted from here; check the account on x.com.");
        }

        // A success without the post's id: it was very likely made, but nothing here can prove it.
        return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"X answered {(int)reply.Status} without the new post's id.");
    }

    public Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult?>(null);

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        if (XToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidTokenSet);
        }

        // Escaping leaves '.' and '..' as they are, and a URL reads them as a step up the path.
        if (!IsPostId(remoteId))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The post's recorded id is not an X post id (digits), so nothing was deleted; remove the post by hand on x.com.");
        }

        secret = token.AccessToken;
        using var request = new HttpRequestMessage(HttpMethod.Delete, PlatformHttp.Endpoint(delivery.ApiUrl, $"2/tweets/{remoteId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess || reply.Status == HttpStatusCode.NotFound
            ? new DeliveryResult(DeliveryOutcome.Sent, remoteId)
            : PlatformHttp.Failed(reply, "X", secret, RateLimitReset);
    }

    private static bool IsPostId(string id) => PlatformHttp.IsNumericId(id, maxLength: 20);

    public bool NeedsRenewal(string secret, DateTimeOffset now) => XToken.Parse(secret)?.Stale(now) == true;

    public bool CanRenew(string secret) => XToken.Parse(secret)?.Renewable == true;

    public bool StillWorks(string secret, DateTimeOffset now) => XToken.Parse(secret)?.ExpiresAt is { } expires && expires > now;

    public async Task<SecretRenewal> RenewAsync(Delivery delivery, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (XToken.Parse(secret) is not { Renewable: true } token)
        {
            return new SecretRenewal(null, InvalidTokenSet);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Endpoint(delivery.ApiUrl, "2/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", token.RefreshToken!),
                new("client_id", token.ClientId!),
            ]),
        };
        if (token.ClientSecret is { Length: > 0 } clientSecret)
        {
            // A confidential client authenticates with Basic auth of its id and secret.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{token.ClientId}:{clientSecret}")));
        }

        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        string Blot(string text) => token.Secrets.Aggregate(text, (t, s) => PlatformHttp.Redact(t, s));
        if (reply.Delivered == Delivered.NotSent)
        {
            return new SecretRenewal(null, Blot($"X's token endpoint could not be reached to renew the access token: {reply.Failure}."));
        }

        if (reply.Delivered == Delivered.Lost)
        {
            return new SecretRenewal(null, Blot($"the answer to renewing the access token was lost ({reply.Failure}); X may have spent the refresh token, and if the next run cannot renew it, authorise the app again and store the new token set.")) { OldSpent = true };
        }

        var json = reply.Json();
        string? Text(string name) => PlatformHttp.Text(json, name);
        if (!reply.IsSuccess || Text("access_token") is not { Length: > 0 } access)
        {
            var problem = reply.Problem([.. token.Secrets]);
            return new SecretRenewal(null, (int)reply.Status is 400 or 401
                ? $"X refused to renew the access token ({problem}): the refresh token was revoked or already used, or the client id or secret is wrong; authorise the app again (scope offline.access) and store the new token set."
                : $"X did not renew the access token ({problem}).")
            { OldSpent = reply.IsSuccess };
        }

        // X has spent the old refresh token by now, so a lifetime it cannot give is taken as its documented two hours
        // rather than the answer thrown away with the rotated refresh token, which would lock the account out.
        var lifetime = json.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt32(out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromHours(2);
        var renewed = token with { AccessToken = access, RefreshToken = Text("refresh_token") ?? token.RefreshToken, ExpiresAt = now + lifetime };
        return new SecretRenewal(renewed.ToJson(), null);
    }

    private const string InvalidTokenSet =
        "The X channel's secret starts like a JSON token set but is not one: give access_token, and for renewal refresh_token and client_id (client_secret for a confidential client).";
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
