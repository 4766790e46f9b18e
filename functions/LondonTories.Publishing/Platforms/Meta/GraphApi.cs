using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>
/// Meta's Graph API as Facebook Pages, the Marketing API and Instagram share it: the pinned version,
/// the shape of its errors and what each error means for a delivery.
/// Errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
/// Rate limits and their headers: https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
/// </summary>
public static partial class GraphApi
{
    /// <summary>The one Graph API version every Meta request names; Meta keeps a version for about two years.</summary>
    public const string Version = "v25.0";

    public static readonly Uri DefaultBaseUrl = new("https://graph.facebook.com/");

    /// <summary>
    /// The versioned address of a node or edge below the channel's base URL (a local server in
    /// rehearsals); <paramref name="version"/> is another Graph's own (Threads keeps its own versions).
    /// </summary>
    public static Uri Endpoint(Uri baseUrl, string path, IEnumerable<KeyValuePair<string, string>>? query = null, string version = Version)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var uri = new UriBuilder(new Uri(root, $"{version}/{path.TrimStart('/')}"));
        if (query is not null)
        {
            uri.Query = string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        }

        return uri.Uri;
    }

    /// <summary>
    /// A request whose token travels in the form body (POST) or the query (GET, DELETE), as the
    /// Graph API documents; the HttpClient logging of .NET redacts query strings, and nothing here
    /// ever logs a URL itself.
    /// </summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri baseUrl, string path, string token, IEnumerable<KeyValuePair<string, string>>? parameters = null, string version = Version)
    {
        var all = (parameters ?? []).ToList();
        all.Add(new("access_token", token));
        if (method == HttpMethod.Post)
        {
            return new HttpRequestMessage(method, Endpoint(baseUrl, path, version: version)) { Content = new FormUrlEncodedContent(all) };
        }

        return new HttpRequestMessage(method, Endpoint(baseUrl, path, all, version));
    }

    /// <summary>Removes a secret, and any access token a Graph answer echoes in a URL, from text bound for an error.</summary>
    public static string Scrub(string text, string secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, "[secret]", StringComparison.Ordinal);
            text = text.Replace(Uri.EscapeDataString(secret), "[secret]", StringComparison.Ordinal);
        }

        return TokenParameter().Replace(text, "$1=[secret]");
    }

    [GeneratedRegex(@"(access_token|input_token|client_secret|appsecret_proof)=[^&\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenParameter();

    /// <summary>The Graph error codes that mean "too many calls": the request was refused, not applied.</summary>
    public static bool IsRateLimit(int code) => code is 4 or 17 or 32 or 341 or 613 or (>= 80000 and <= 80014);

    /// <summary>Codes the error guide says are temporary: wait and retry (code 1 only when marked transient).</summary>
    public static bool IsTransient(GraphError error) => error.Code == 2 || error.IsTransient;

    /// <summary>A token or permission problem: the channel's secret must be replaced or granted more.</summary>
    public static bool IsAuthorization(int code) => code is 102 or 190 or 10 or (>= 200 and <= 299);

    /// <summary>
    /// How long Meta asks callers to wait: Retry-After, else the longest
    /// <c>estimated_time_to_regain_access</c> (minutes) in X-Business-Use-Case-Usage.
    /// </summary>
    public static TimeSpan? WaitFrom(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (response.Headers.TryGetValues("X-Business-Use-Case-Usage", out var values))
        {
            double minutes = 0;
            foreach (var value in values)
            {
                minutes = Math.Max(minutes, RegainMinutes(value));
            }

            if (minutes > 0)
            {
                // Meta's estimates run to an hour or so; anything past a day is asked again then, and never overflows a date.
                return TimeSpan.FromMinutes(Math.Min(minutes, LongestRegain.TotalMinutes));
            }
        }

        return null;
    }

    private static readonly TimeSpan LongestRegain = TimeSpan.FromDays(1);

    private static double RegainMinutes(string header)
    {
        try
        {
            using var json = JsonDocument.Parse(header);
            double minutes = 0;
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            foreach (var business in json.RootElement.EnumerateObject())
            {
                if (business.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var usage in business.Value.EnumerateArray())
                {
                    // An estimate that is not a number says nothing of when to come back; reading it as one would throw and lose the answer.
                    if (usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("estimated_time_to_regain_access", out var regain) && regain.ValueKind == JsonValueKind.Number &&
                        regain.TryGetDouble(out var value))
                    {
                        minutes = Math.Max(minutes, value);
                    }
                }
            }

            return minutes;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    /// <summary>Reads the <c>error</c> object of a Graph answer; null when the body carries none (a proxy's page, an empty body).</summary>
    public static GraphError? ReadError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new GraphError(
                Int(error, "code") ?? 0,
                Int(error, "error_subcode"),
                Text(error, "message") ?? string.Empty,
                Text(error, "error_user_msg"),
                error.TryGetProperty("is_transient", out var transient) && transient.ValueKind == JsonValueKind.True);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// What a refused request means for the delivery. <paramref name="applied"/> says whether the
    /// request could have changed anything had it gone through (a POST), so an unexplained failure
    /// of a POST stays ambiguous while one of a lookup does not.
    /// </summary>
    public static DeliveryResult Refused(string platform, HttpStatusCode status, GraphError? error, TimeSpan? wait, DateTimeOffset now, string secret, bool applied)
    {
        var code = error?.Code ?? 0;
        var detail = error is null
            ? $"HTTP {(int)status}"
            : Scrub($"code {code}{(error.Subcode is { } sub ? $"/{sub}" : string.Empty)}: {error.UserMessage ?? error.Message}", secret);

        if (error is { Code: 4, Subcode: 2207051 })
        {
            return new(DeliveryOutcome.Rejected, Error: $"{platform} restricted the action as possible spam ({detail}): a person must check the account.");
        }

        if (status == HttpStatusCode.TooManyRequests || (error is not null && IsRateLimit(code)))
        {
            var retryAt = now + (wait ?? TimeSpan.FromMinutes(5));
            return new(DeliveryOutcome.NotSent, Error: $"{platform} rate limit ({detail}); try again after {retryAt.ToString("u", CultureInfo.InvariantCulture)}.", RetryAt: retryAt);
        }

        if (error is not null && IsTransient(error))
        {
            return new(DeliveryOutcome.NotSent, Error: $"{platform} reported a temporary problem ({detail}).", RetryAt: now + (wait ?? TimeSpan.FromMinutes(1)));
        }

        if (error is not null && IsAuthorization(code))
        {
            return new(DeliveryOutcome.Rejected, Error: $"{platform} refused the channel's token ({detail}): put a new token with the documented permissions in the channel's secret.");
        }

        if (error is not null && code == 506)
        {
            return new(DeliveryOutcome.Unknown, Error: $"{platform} says the same post was just made ({detail}): check the page and confirm.");
        }

        if (((int)status >= 500 || code == 1) && applied)
        {
            return new(DeliveryOutcome.Unknown, Error: $"{platform} failed while handling the request ({detail}); it may have been applied.");
        }

        if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
        {
            return new(DeliveryOutcome.NotSent, Error: $"{platform} failed ({detail}).", RetryAt: now + (wait ?? TimeSpan.FromMinutes(1)));
        }

        return new(DeliveryOutcome.Rejected, Error: $"{platform} refused the request ({detail}).");
    }
}

/// <summary>The <c>error</c> object of a Graph API answer.</summary>
public sealed record GraphError(int Code, int? Subcode, string Message, string? UserMessage, bool IsTransient);
