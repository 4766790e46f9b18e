using System.Buffers;
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
/// answer leaves the delivery <see cref="DeliveryOutcome.Unknown"/>.
/// </summary>
public sealed class LinkedInClient(IHttpClientFactory http) : IPlatformClient
{
    public const string HttpClientName = "linkedin";

    /// <summary>
    /// The Posts API version every request asks for: July 2026, the newest in LinkedIn's versioning
    /// guide when it was pinned. LinkedIn serves each monthly version for at least a year and then
    /// refuses it, so move it on before July 2027.
    /// </summary>
    public const string ApiVersion = "202607";

    public static readonly Uri DefaultApiUrl = new("https://api.linkedin.com/");

    private const string OrganizationPrefix = "urn:li:organization:";

    // The Posts API reads commentary as "little text", where these characters are markup unless escaped.
    private static readonly SearchValues<char> LittleTextReserved = SearchValues.Create(@"\|{}@[]()<>#*_~");

    public string Platform => "linkedin";

    public bool SafeToRepeat => false;

    // LinkedIn documents no rate-limit reset header of its own; a Retry-After, where sent, is honoured.
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now) => null;

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
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
