using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LondonTories.Publishing.Platforms.LinkedIn;

/// <summary>
/// Posts as an organization through the versioned Posts API (<c>POST /rest/posts</c>) with a
/// member token holding <c>w_organization_social</c> from an administrator of the Page. The link
/// goes as an article, with its title set here since the API does not scrape it. The new post's
/// URN comes back in the <c>x-restli-id</c> header. LinkedIn takes no idempotency key, so a lost
/// answer leaves the delivery <see cref="DeliveryOutcome.Unknown"/>. The secret is an access token or
/// a renewable <see cref="LinkedInToken"/> set, renewed through LinkedIn's OAuth token endpoint a
/// week after it was issued, long before its 60 days run out.
/// </summary>
public sealed class LinkedInClient(IHttpClientFactory http) : IPlatformClient, ISecretRenewal
{
    public const string HttpClientName = "linkedin";

    /// <summary>
    /// The Posts API version every request asks for: July 2026, the newest in LinkedIn's versioning
    /// guide when it was pinned. LinkedIn serves each monthly version for at least a year and then
    /// refuses it, so move it on before July 2027.
    /// </summary>
    public const string ApiVersion = "202607";

    public static readonly Uri DefaultApiUrl = new("https://api.linkedin.com/");

    private static readonly Uri AuthorizationServer = new("https://www.linkedin.com/");

    private const string OrganizationPrefix = "urn:li:organization:";

    // The Posts API reads commentary as "little text", where these characters are markup unless escaped.
    private static readonly SearchValues<char> LittleTextReserved = SearchValues.Create(@"\|{}@[]()<>#*_~");

    public string Platform => "linkedin";

    public bool SafeToRepeat => false;

    // LinkedIn documents no rate-limit reset header of its own; a Retry-After, where sent, is honoured.
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now) => null;

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (LinkedInToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidTokenSet);
        }

        secret = token.AccessToken;
        if (!delivery.Account.TryGetValue("organization", out var organization) || organization.Length == 0)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The LinkedIn channel has no 'organization': set it to the Page's organization URN (urn:li:organization:123).");
        }

        var post = new Dictionary<string, object>
        {
            ["author"] = organization.StartsWith(OrganizationPrefix, StringComparison.Ordinal) ? organization : OrganizationPrefix + organization,
            ["commentary"] = Escape(delivery.Message),
            ["visibility"] = "PUBLIC",
            ["distribution"] = new { feedDistribution = "MAIN_FEED", targetEntities = Array.Empty<object>(), thirdPartyDistributionChannels = Array.Empty<object>() },
            ["lifecycleState"] = "PUBLISHED",
            ["isReshareDisabledByAuthor"] = false,
        };
        if (delivery.Link is { } link)
        {
            post["content"] = new { article = new { source = link, title = Title(delivery.Message, link) } };
        }

        using var request = Request(HttpMethod.Post, PlatformHttp.Endpoint(delivery.ApiUrl, "rest/posts"), secret);
        request.Content = JsonContent.Create(post);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return Refused(reply, secret);
        }

        // Only a post's URN proves the post was made, and it becomes the address a person is shown and a retraction deletes.
        return reply.Headers is { } headers && headers.TryGetValues("x-restli-id", out var ids) && ids.FirstOrDefault() is { } urn && IsPostUrn(urn)
            ? new DeliveryResult(DeliveryOutcome.Sent, urn, $"https://www.linkedin.com/feed/update/{urn}/")
            : new DeliveryResult(DeliveryOutcome.Unknown, Error: $"LinkedIn answered {(int)reply.Status} without the new post's id.");
    }

    public Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult?>(null);

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        if (LinkedInToken.Parse(secret) is not { } token)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: InvalidTokenSet);
        }

        secret = token.AccessToken;
        if (!IsPostUrn(remoteId))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The post's recorded id is not a LinkedIn post URN (urn:li:share: or urn:li:ugcPost: and digits), so nothing was deleted; remove the post by hand on LinkedIn.");
        }

        using var request = Request(HttpMethod.Delete, PlatformHttp.Endpoint(delivery.ApiUrl, $"rest/posts/{Uri.EscapeDataString(remoteId)}"), secret);
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess || reply.Status == HttpStatusCode.NotFound
            ? new DeliveryResult(DeliveryOutcome.Sent, remoteId)
            : Refused(reply, secret);
    }

    private static bool IsPostUrn(string id) =>
        (id.StartsWith("urn:li:share:", StringComparison.Ordinal) || id.StartsWith("urn:li:ugcPost:", StringComparison.Ordinal)) &&
        id[(id.LastIndexOf(':') + 1)..] is { Length: > 0 } number && number.All(char.IsAsciiDigit);

    private static DeliveryResult Refused(PlatformReply reply, string secret)
    {
        if (RetiredVersion(reply))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected,
                Error: $"LinkedIn no longer accepts the API version this app asks for ({ApiVersion}): move LinkedInClient.ApiVersion on to a current version from https://learn.microsoft.com/linkedin/marketing/versioning and deploy again. ({reply.Problem(secret)})");
        }

        return reply.Status == HttpStatusCode.UnprocessableEntity
            ? new DeliveryResult(DeliveryOutcome.Rejected, Error: $"LinkedIn refused the post as invalid ({reply.Problem(secret)}).")
            : PlatformHttp.Failed(reply, "LinkedIn", secret, RateLimitReset);
    }

    /// <summary>LinkedIn answers a sunset or unknown version with 426, and names a version it cannot serve with its own error codes.</summary>
    private static bool RetiredVersion(PlatformReply reply)
    {
        if (reply.Delivered != Delivered.Answered)
        {
            return false;
        }

        if (reply.Status == HttpStatusCode.UpgradeRequired)
        {
            return true;
        }

        var json = reply.Json();
        return json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String &&
               code.GetString() is "NONEXISTENT_VERSION" or "VERSION_MISSING" or "DEPRECATED_VERSION";
    }

    /// <summary>Text as the Posts API's commentary: every reserved character escaped, so it shows as written.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (LittleTextReserved.Contains(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>The article's title: the message's opening line, which is what the post says of the page it links to.</summary>
    private static string Title(string message, string link)
    {
        var first = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(line => line != link) ?? link;
        if (first.Length <= 200)
        {
            return first;
        }

        var cut = char.IsHighSurrogate(first[198]) ? 198 : 199;
        return string.Concat(first.AsSpan(0, cut), "…");
    }

    public bool NeedsRenewal(string secret, DateTimeOffset now) => LinkedInToken.Parse(secret)?.Stale(now) == true;

    public bool CanRenew(string secret) => LinkedInToken.Parse(secret)?.Renewable == true;

    public bool StillWorks(string secret, DateTimeOffset now) => LinkedInToken.Parse(secret)?.ExpiresAt is { } expires && expires > now;

    /// <summary>A renewable token set lasts as long as its refresh token's year; one that cannot be renewed, as long as its access token.</summary>
    public DateTimeOffset? AuthorisationEnds(string secret) => LinkedInToken.Parse(secret) is { } token
        ? token.Renewable ? token.RefreshExpiresAt : token.ExpiresAt
        : null;

    /// <summary>
    /// LinkedIn's token endpoint, on its own host rather than the API's; a channel whose api_url names
    /// another server (a proxy, a test server) finds it there.
    /// </summary>
    public static Uri TokenEndpoint(Uri apiUrl) => PlatformHttp.Endpoint(apiUrl == DefaultApiUrl ? AuthorizationServer : apiUrl, "oauth/v2/accessToken");

    public async Task<SecretRenewal> RenewAsync(Delivery delivery, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (LinkedInToken.Parse(secret) is not { Renewable: true } token)
        {
            return new SecretRenewal(null, InvalidTokenSet);
        }

        var works = token.ExpiresAt is { } expires
            ? expires > now ? string.Create(CultureInfo.InvariantCulture, $"before the access token lapses at {expires:yyyy-MM-dd HH:mm}Z") : string.Create(CultureInfo.InvariantCulture, $"(the access token lapsed at {expires:yyyy-MM-dd HH:mm}Z)")
            : "(when the access token lapses is not known)";
        if (token.RefreshExpiresAt is { } refreshExpires && refreshExpires <= now)
        {
            // LinkedIn would only refuse it, and a request would send a spent secret for nothing.
            return new SecretRenewal(null, string.Create(CultureInfo.InvariantCulture,
                $"the LinkedIn refresh token expired at {refreshExpires:yyyy-MM-dd HH:mm}Z (LinkedIn gives a year from the first authorisation, and renewals do not extend it): ask an administrator of the Page to authorise the app again and store the new token set {works}."));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint(delivery.ApiUrl))
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", token.RefreshToken!),
                new("client_id", token.ClientId!),
                new("client_secret", token.ClientSecret!),
            ]),
        };
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        string Blot(string text) => token.Secrets.Aggregate(text, (t, s) => PlatformHttp.Redact(t, s));

        // LinkedIn keeps the refresh token through a renewal, so an answer lost on the way spends nothing.
        if (reply.Delivered != Delivered.Answered)
        {
            return new SecretRenewal(null, Blot($"LinkedIn's token endpoint did not answer the renewal of the access token ({reply.Failure}); the next delivery run tries again. If it keeps failing, store a new token set {works}."));
        }

        var json = reply.Json();
        string? Text(string name) => PlatformHttp.Text(json, name);
        TimeSpan? Seconds(string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var seconds) && seconds is > 0 and <= 400L * 24 * 3600 ? TimeSpan.FromSeconds(seconds) : null;
        if (!reply.IsSuccess || Text("access_token") is not { Length: > 0 } access)
        {
            var problem = reply.Problem([.. token.Secrets]);
            return new SecretRenewal(null, (int)reply.Status is 400 or 401
                ? $"LinkedIn refused to renew the access token ({problem}): the refresh token was revoked, or the client id or secret is wrong; ask an administrator of the Page to authorise the app again and store the new token set."
                : $"LinkedIn did not renew the access token ({problem}); the next delivery run tries again. If it keeps failing, store a new token set {works}.");
        }

        var renewed = token with
        {
            AccessToken = access,
            RefreshToken = Text("refresh_token") is { Length: > 0 } refresh ? refresh : token.RefreshToken,
            ExpiresAt = now + (Seconds("expires_in") ?? LinkedInToken.Lifetime),
            RefreshExpiresAt = Seconds("refresh_token_expires_in") is { } left ? now + left : token.RefreshExpiresAt,
        };
        return new SecretRenewal(renewed.ToJson(), null);
    }

    private const string InvalidTokenSet =
        "The LinkedIn channel's secret starts like a JSON token set but is not one: give access_token, and for renewal refresh_token, client_id and client_secret.";

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string secret)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        request.Headers.Add("LinkedIn-Version", ApiVersion);
        request.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return request;
    }
}

public static class LinkedInServices
{
    public static IServiceCollection AddLinkedInPlatform(this IServiceCollection services)
    {
        services.AddPlatformHttpClient(LinkedInClient.HttpClientName, safeToRepeat: false, LinkedInClient.RateLimitReset);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, LinkedInClient>());
        return services;
    }
}
