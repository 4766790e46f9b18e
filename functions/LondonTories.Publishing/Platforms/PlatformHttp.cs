using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace LondonTories.Publishing.Platforms;

/// <summary>How long a platform request may take and how long a run waits for a rate limit to lift.</summary>
public sealed record PlatformHttpOptions
{
    /// <summary>One attempt's limit; past it the request is abandoned and its fate is unknown.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A rate limit that lifts within this is waited out in the run; a longer one ends the attempt with a time to try again.</summary>
    public TimeSpan LongestRateLimitWait { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRetries { get; init; } = 3;

    /// <summary>The first pause between retries; it doubles each time.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// What one platform's HttpClient retries and how long it waits: <see cref="ShouldRetry"/> decides
/// from the outcome and the request, <see cref="Wait"/> gives the pause the platform asked for
/// (null: the exponential backoff from <see cref="Backoff"/>).
/// </summary>
public sealed record RetryRules(int MaxRetries, TimeSpan Backoff, TimeSpan AttemptTimeout)
{
    public required Func<Outcome<HttpResponseMessage>, ResilienceContext, ValueTask<bool>> ShouldRetry { get; init; }

    public required Func<HttpResponseMessage, TimeSpan?> Wait { get; init; }
}

/// <summary>What became of one request once its retries are spent.</summary>
public enum Delivered
{
    /// <summary>The platform answered; the answer says what it did.</summary>
    Answered,

    /// <summary>The request never left: the host was not found or refused the connection.</summary>
    NotSent,

    /// <summary>The request left and no answer came back (a timeout, a dropped connection): it may have been applied.</summary>
    Lost,
}

/// <summary>One request's end: the platform's answer, or why there is none.</summary>
public sealed record PlatformReply(Delivered Delivered, HttpStatusCode Status, HttpResponseHeaders? Headers, string Body, string? Failure)
{
    public bool IsSuccess => Delivered == Delivered.Answered && (int)Status is >= 200 and < 300;

    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(Body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The platform's own words for an error, whichever field it puts them in, free of <paramref name="secrets"/> and cut short.</summary>
    public string Problem(params ReadOnlySpan<string> secrets)
    {
        var json = Json();
        var text = json.ValueKind == JsonValueKind.Object ? Describe(json) : null;
        text ??= string.IsNullOrWhiteSpace(Body) ? Status.ToString() : Body.Trim();

        // Blotted out before the cut, which could leave the start of a secret that no longer matches whole.
        foreach (var secret in secrets)
        {
            text = PlatformHttp.Redact(text, secret);
        }

        if (text.Length > 300)
        {
            text = string.Concat(text.AsSpan(0, 300), "…");
        }

        return $"{(int)Status}: {text}";
    }

    private static string? Describe(JsonElement json)
    {
        string? Field(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

        var code = Field(json, "error");
        var message = Field(json, "detail") ?? Field(json, "message") ?? Field(json, "error_description");
        if (message is null && json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            message = first.ValueKind == JsonValueKind.Object ? Field(first, "message") ?? Field(first, "detail") ?? Field(first, "title") : null;
        }

        message ??= Field(json, "title");
        return (code, message) switch
        {
            (null, null) => null,
            (null, _) => message,
            (_, null) => code,
            _ => $"{code}: {message}",
        };
    }
}

/// <summary>
/// The one way platform clients talk HTTP: a named client per platform whose retries are declared
/// once. A request that never left (no such host, connection refused) is always retried, and so is
/// a rate limit that lifts within <see cref="PlatformHttpOptions.LongestRateLimitWait"/>. A timeout,
/// a dropped connection or a 5xx is retried only where a repeat cannot make a second post: any
/// request but a POST, and every request of a platform that is safe to repeat.
/// </summary>
public static class PlatformHttp
{
    /// <summary>The rules of the platforms that share <see cref="PlatformHttpOptions"/>: X, Bluesky, Mastodon and LinkedIn.</summary>
    public static IHttpClientBuilder AddPlatformHttpClient(this IServiceCollection services, string name, bool safeToRepeat, Func<HttpResponseHeaders, DateTimeOffset, DateTimeOffset?> rateLimitReset)
    {
        services.TryAddSingleton(new PlatformHttpOptions());
        return services.AddPlatformHttpClient(name, provider =>
        {
            var options = provider.GetRequiredService<PlatformHttpOptions>();
            return new RetryRules(options.MaxRetries, options.Backoff, options.AttemptTimeout)
            {
                ShouldRetry = (outcome, context) => ValueTask.FromResult(ShouldRetry(outcome, context, safeToRepeat, options, rateLimitReset)),
                Wait = response => response.StatusCode == HttpStatusCode.TooManyRequests && ResetOf(response.Headers, rateLimitReset) is { } reset
                    ? Max(reset - Now, TimeSpan.Zero)
                    : null,
            };
        });
    }

    /// <summary>
    /// A named client whose retries and per-attempt timeout are declared once, from <paramref name="rules"/>:
    /// the one resilience setup every platform's HttpClient is built with. A client whose
    /// <paramref name="bypassProxy"/> is set connects to its server itself, never through a proxy.
    /// </summary>
    public static IHttpClientBuilder AddPlatformHttpClient(this IServiceCollection services, string name, Func<IServiceProvider, RetryRules> rules, bool bypassProxy = false)
    {
        if (services.Any(d => d.ServiceType == typeof(Registered) && d.ImplementationInstance is Registered { Name: var known } && known == name))
        {
            // Wired before (the app's wiring and a test's, say): a second retry pipeline would multiply every retry.
            return services.AddHttpClient(name);
        }

        services.AddSingleton(new Registered(name));
        var builder = services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan);

        // A redirect would carry the post, and for Graph its token, to a host nobody chose; an
        // api_url in content must not lead into the app's own network.
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = !bypassProxy, ConnectCallback = PublicConnections.ConnectAsync });
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            var declared = rules(context.ServiceProvider);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = declared.MaxRetries,
                Delay = declared.Backoff,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => declared.ShouldRetry(args.Outcome, args.Context),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? declared.Wait(response) : null),
            });
            pipeline.AddTimeout(declared.AttemptTimeout);
        });
        builder.AddHttpMessageHandler(() => new BoundedAnswers(BoundedAnswers.DefaultLimit));
        return builder;
    }

    /// <summary>Sends one request through the platform's client and says how it ended, never throwing for the network's failures.</summary>
    public static async Task<PlatformReply> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new PlatformReply(Delivered.Answered, response.StatusCode, response.Headers, body, null);
        }
        catch (HttpRequestException e) when (NeverLeft(e))
        {
            return new PlatformReply(Delivered.NotSent, 0, null, "", $"could not reach {request.RequestUri?.Host}: {e.HttpRequestError}");
        }
        catch (HttpRequestException e)
        {
            return new PlatformReply(Delivered.Lost, 0, null, "", $"the connection to {request.RequestUri?.Host} failed before an answer came: {e.HttpRequestError}");
        }
        catch (TimeoutRejectedException)
        {
            return new PlatformReply(Delivered.Lost, 0, null, "", $"{request.RequestUri?.Host} did not answer in time");
        }
        catch (IOException)
        {
            return new PlatformReply(Delivered.Lost, 0, null, "", $"the connection to {request.RequestUri?.Host} dropped before the whole answer came");
        }
    }

    /// <summary>
    /// What a failed request means for a delivery, in the words a person can act on: never sent or
    /// rate limited is worth another try; a lost answer or a 5xx may have made the post; a refusal
    /// of the token or of the post needs a person.
    /// </summary>
    public static DeliveryResult Failed(PlatformReply reply, string platform, string secret, Func<HttpResponseHeaders, DateTimeOffset, DateTimeOffset?> rateLimitReset) =>
        Failed(reply, platform, [secret], rateLimitReset);

    /// <param name="secrets">Every secret the request carried (a password and the session it opened), blotted out of the platform's words before they are cut short.</param>
    public static DeliveryResult Failed(PlatformReply reply, string platform, ReadOnlySpan<string> secrets, Func<HttpResponseHeaders, DateTimeOffset, DateTimeOffset?> rateLimitReset)
    {
        if (reply.Delivered == Delivered.NotSent)
        {
            return new DeliveryResult(DeliveryOutcome.NotSent, Error: $"{platform}: {reply.Failure}.");
        }

        if (reply.Delivered == Delivered.Lost)
        {
            return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"{platform}: {reply.Failure}; the request may or may not have taken effect.");
        }

        var problem = reply.Problem(secrets);
        if ((int)reply.Status is >= 300 and < 400)
        {
            var target = reply.Headers?.Location is { IsAbsoluteUri: true } location ? location.Authority : "another address";
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{platform} answered {(int)reply.Status} with a redirect to {target}, which is never followed: check the channel's api_url.");
        }

        return (int)reply.Status switch
        {
            429 => new DeliveryResult(DeliveryOutcome.NotSent, Error: $"{platform} is rate limiting this account ({problem}).",
                RetryAt: reply.Headers is { } headers ? ResetOf(headers, rateLimitReset) : null),
            401 => new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{platform} refused the channel's token: it has expired or been revoked ({problem}). Store a fresh one in the channel's secret.")
            {
                TokenRefused = true,
            },
            403 => new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{platform} forbade the post ({problem}). Check the token's permissions and the account's standing."),
            >= 500 => new DeliveryResult(DeliveryOutcome.Unknown, Error: $"{platform} failed while handling the request ({problem}); it may or may not have taken effect."),
            _ => new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{platform} refused the post ({problem})."),
        };
    }

    /// <summary>When a rate limit lifts: the platform's own header, else the standard Retry-After.</summary>
    public static DateTimeOffset? ResetOf(HttpResponseHeaders headers, Func<HttpResponseHeaders, DateTimeOffset, DateTimeOffset?> rateLimitReset)
    {
        var now = Now;
        return rateLimitReset(headers, now) ?? headers.RetryAfter switch
        {
            { Delta: { } delta } => now + delta,
            { Date: { } date } => date,
            _ => null,
        };
    }

    /// <summary>A header holding seconds since the Unix epoch, as X and Bluesky send; null where it holds no such date.</summary>
    public static DateTimeOffset? UnixSecondsHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds <= LastUnixSecond
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static readonly long LastUnixSecond = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>A header holding an ISO 8601 instant, as Mastodon sends.</summary>
    public static DateTimeOffset? InstantHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;

    /// <summary>Text with every occurrence of the secret blotted out, for anything that might echo a request back.</summary>
    public static string Redact(string text, string secret) =>
        secret.Length >= 4 ? text.Replace(secret, "[secret]", StringComparison.Ordinal) : text;

    /// <summary>
    /// Whether a platform's id is digits alone, as X's, Threads' and Graph's are: an id goes into a request's
    /// path or a post's address, where '.', '..' or '?' would lead somewhere else.
    /// </summary>
    public static bool IsNumericId(string id, int maxLength = 32) =>
        id.Length > 0 && id.Length <= maxLength && id.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>A string field of a platform's JSON answer; null where it is missing or not a string.</summary>
    public static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// A post the platform lists as made before <paramref name="delivery"/>'s first attempt, less a
    /// margin for the two clocks, is another post, however alike its words (last week's reminder).
    /// </summary>
    public static bool MadeBeforeAttempt(JsonElement post, string field, Delivery delivery)
    {
        if (delivery.EarlierAttempt is not { } attempt || Text(post, field) is not { Length: > 5 } made)
        {
            return false;
        }

        // Graph writes its offsets without a colon (+0000).
        if (made[^5] is '+' or '-' && made[^4..].All(char.IsAsciiDigit))
        {
            made = string.Concat(made.AsSpan(0, made.Length - 2), ":", made.AsSpan(made.Length - 2));
        }

        return DateTimeOffset.TryParse(made, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at < attempt - ClockMargin;
    }

    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(15);

    /// <summary>A message as compared with the text a platform lists for a post, to find the post: line ends alike, no space around it.</summary>
    public static string PostedText(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>A path below a platform's base URL, whether or not the URL ends in a slash.</summary>
    public static Uri Endpoint(Uri apiUrl, string path) =>
        new(apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/"), path);

    private sealed record Registered(string Name);

    // Rate limits are the platform's wall clock, so they are measured against the real one, whatever the app's notion of now.
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The request never reached the server: no name, no connection, no TLS, no proxy tunnel.</summary>
    public static bool NeverLeft(Exception exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, bool safeToRepeat, PlatformHttpOptions options,
        Func<HttpResponseHeaders, DateTimeOffset, DateTimeOffset?> rateLimitReset)
    {
        var repeatable = safeToRepeat || context.GetRequestMessage() is { } request && request.Method != HttpMethod.Post;
        return outcome switch
        {
            { Exception: HttpRequestException e } when NeverLeft(e) => true,
            { Exception: HttpRequestException or TimeoutRejectedException or IOException } => repeatable,
            { Result.StatusCode: HttpStatusCode.TooManyRequests } limited =>
                ResetOf(limited.Result.Headers, rateLimitReset) is not { } reset || reset - Now <= options.LongestRateLimitWait,
            { Result.StatusCode: >= HttpStatusCode.InternalServerError } => repeatable,
            _ => false,
        };
    }
}
