using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LondonTories.Publishing.Platforms.Bluesky;

/// <summary>
/// Posts to Bluesky on the account's Personal Data Server: a session from the handle and an app
/// password (<c>com.atproto.server.createSession</c>), then an <c>app.bsky.feed.post</c> record
/// (<c>com.atproto.repo.createRecord</c>) with the link as a rich-text facet and, where the post has a
/// JPEG or PNG, the picture uploaded first (<c>com.atproto.repo.uploadBlob</c>) and shown with its words
/// (<c>app.bsky.embed.images</c>). The record key is a
/// TID derived from the delivery key, so a repeat can only ever name the same record: the server
/// refuses the second write, and <c>com.atproto.repo.getRecord</c> says whether the post exists
/// before any failure is reported.
/// </summary>
public sealed partial class BlueskyClient(IHttpClientFactory http, TimeProvider clock) : IPlatformClient
{
    public const string HttpClientName = "bluesky";

    public const string Collection = "app.bsky.feed.post";

    public static readonly Uri DefaultApiUrl = new("https://bsky.social/");

    private const string Base32Sortable = "234567abcdefghijklmnopqrstuvwxyz";

    // Sessions last a couple of hours and creating them is rate limited, so each account's is kept
    // and made afresh only when the server says it has expired.
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public string Platform => "bluesky";

    public bool SafeToRepeat => true;

    /// <summary>Bluesky's rate-limit header: when the window resets, in seconds since the Unix epoch.</summary>
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers, DateTimeOffset now) =>
        PlatformHttp.UnixSecondsHeader(headers, "ratelimit-reset");

    /// <summary>
    /// The record key of a delivery: a TID, as the post lexicon requires, made from the key's hash
    /// rather than the clock so that every attempt of the delivery names the same record.
    /// </summary>
    public static string RecordKey(string deliveryKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey));
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) & 0x7FFF_FFFF_FFFF_FFFFUL;
        var tid = new char[13];
        for (var i = tid.Length - 1; i >= 0; i--)
        {
            tid[i] = Base32Sortable[(int)(value & 0x1F)];
            value >>= 5;
        }

        return new string(tid);
    }

    /// <summary>
    /// The post record: its text, languages, time and its rich-text facets. Bluesky shows as a link
    /// only what a facet marks, by UTF-8 byte offsets: the post's link wherever it appears, every other
    /// web address in the text, and hashtags.
    /// https://docs.bsky.app/docs/advanced-guides/post-richtext
    /// </summary>
    public static Dictionary<string, object> Record(Delivery delivery, DateTimeOffset createdAt, JsonElement? image = null)
    {
        var record = new Dictionary<string, object>
        {
            ["$type"] = Collection,
            ["text"] = delivery.Message,
            ["createdAt"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["langs"] = new[] { delivery.Language },
        };
        if (Facets(delivery) is { Count: > 0 } facets)
        {
            record["facets"] = facets;
        }

        // The lexicon requires the words for a picture, empty where the post gives none.
        if (image is { } blob)
        {
            record["embed"] = new Dictionary<string, object>
            {
                ["$type"] = "app.bsky.embed.images",
                ["images"] = new[] { new Dictionary<string, object> { ["alt"] = delivery.MediaAlt ?? string.Empty, ["image"] = blob } },
            };
        }

        return record;
    }

    /// <summary>The picture's media type, where the post has one Bluesky shows and within its size; else null, and the post goes out without it.</summary>
    private string? ImageType(Delivery delivery) =>
        delivery.MediaUrl is { } url && !delivery.MediaBytes.IsEmpty && Social.SocialPlatforms.Get(Platform).Shows(url, delivery.MediaBytes.Length)
            ? Social.ImageFormat.OfExtension(Path.GetExtension(url.AbsolutePath))?.MediaType
            : null;

    private static List<object> Facets(Delivery delivery)
    {
        var message = delivery.Message;
        var spans = new List<(int Start, int End, Dictionary<string, object> Feature)>();
        void Add(int index, int length, Dictionary<string, object> feature)
        {
            // Facets may not overlap; the first to claim a stretch of text keeps it.
            var start = Encoding.UTF8.GetByteCount(message.AsSpan(0, index));
            var end = start + Encoding.UTF8.GetByteCount(message.AsSpan(index, length));
            if (!spans.Any(s => s.Start < end && start < s.End))
            {
                spans.Add((start, end, feature));
            }
        }

        static Dictionary<string, object> LinkTo(string uri) => new() { ["$type"] = "app.bsky.richtext.facet#link", ["uri"] = uri };

        // The post's own link first: its host may be one the address pattern does not know. Where the
        // text writes it going on (the page's #fragment, a page below it), the address as written is
        // the one a reader means, so the facet covers and leads to all of it; punctuation after it stays text.
        if (delivery.Link is { Length: > 0 } link)
        {
            for (var at = message.IndexOf(link, StringComparison.Ordinal); at >= 0; at = message.IndexOf(link, at + 1, StringComparison.Ordinal))
            {
                var end = at + link.Length;
                while (end < message.Length && !char.IsWhiteSpace(message[end]))
                {
                    end++;
                }

                while (end > at + link.Length && char.IsPunctuation(message[end - 1]) && message[end - 1] != '/')
                {
                    end--;
                }

                Add(at, end - at, LinkTo(message[at..end]));
            }
        }

        foreach (var (index, length) in Social.SocialPlatforms.WebAddresses(message))
        {
            Add(index, length, LinkTo(message.Substring(index, length)));
        }

        foreach (Match tag in Hashtag().Matches(message))
        {
            // As Bluesky's own clients do: punctuation ending a tag is text, and a tag is at most 64 characters.
            var value = TrailingPunctuation().Replace(tag.Groups["tag"].Value, string.Empty);
            if (value.Length > 0 && new StringInfo(value).LengthInTextElements <= 64)
            {
                Add(tag.Index, value.Length + 1, new() { ["$type"] = "app.bsky.richtext.facet#tag", ["tag"] = value });
            }
        }

        return [.. spans.OrderBy(s => s.Start).Select(s => new Dictionary<string, object> { ["index"] = new { byteStart = s.Start, byteEnd = s.End }, ["features"] = new[] { s.Feature } })];
    }

    // Bluesky's hashtag rule (@atproto/api's TAG_REGEX): after a space or at the start, '#' and a run
    // of non-space characters with at least one that is neither an ASCII digit nor punctuation.
    [GeneratedRegex(@"(?<=^|\s)[#\uFF03](?<tag>(?!\uFE0F)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]*[^0-9\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]*)")]
    private static partial Regex Hashtag();

    [GeneratedRegex(@"\p{P}+$")]
    private static partial Regex TrailingPunctuation();

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (Handle(delivery) is not { } handle)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The Bluesky channel has no 'handle': set it to the account's handle (name.bsky.social).");
        }

        var rkey = RecordKey(delivery.Key);
        JsonElement? image = null;
        if (ImageType(delivery) is { } type)
        {
            var (uploaded, uploadSession, uploadRefused) = await WriteAsync(delivery, handle, secret, "com.atproto.repo.uploadBlob",
                _ => new ByteArrayContent(delivery.MediaBytes.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue(type) } }, cancellationToken).ConfigureAwait(false);
            if (uploaded is null)
            {
                return uploadRefused!;
            }

            var json = uploaded.IsSuccess ? uploaded.Json() : default;
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("blob", out var blob) || blob.ValueKind != JsonValueKind.Object)
            {
                // An upload makes no post: however it ended, nothing went out, and the next attempt uploads again.
                var notUploaded = uploaded.IsSuccess
                    ? new DeliveryResult(DeliveryOutcome.NotSent, Error: $"Bluesky answered {(int)uploaded.Status} to the picture's upload without the blob it made; nothing was posted.")
                    : Failed(uploaded, secret, uploadSession!);
                return notUploaded.Outcome == DeliveryOutcome.Unknown
                    ? notUploaded with { Outcome = DeliveryOutcome.NotSent, Error = $"{notUploaded.Error} An upload makes no post, so nothing was posted.", RetryAt = clock.GetUtcNow() + TimeSpan.FromMinutes(1) }
                    : notUploaded;
            }

            image = blob.Clone();
        }

        var record = Record(delivery, clock.GetUtcNow(), image);
        var (reply, session, refused) = await WriteAsync(delivery, handle, secret, "com.atproto.repo.createRecord",
            s => JsonContent.Create(new { repo = s.Did, collection = Collection, rkey, record }), cancellationToken).ConfigureAwait(false);
        if (reply is null)
        {
            return refused!;
        }

        if (reply.IsSuccess && RecordUri(reply, rkey) is { } made)
        {
            return Sent(made, handle, rkey);
        }

        if (reply.Delivered == Delivered.NotSent || reply.Status == HttpStatusCode.TooManyRequests)
        {
            return Failed(reply, secret, session!);
        }

        // The server answers a second write of the same record with an error, not a conflict, and a
        // lost answer may hide a post that was made: only the record itself can say.
        var found = await FindAsync(delivery, secret, cancellationToken).ConfigureAwait(false);
        if (found?.Outcome == DeliveryOutcome.Sent)
        {
            return found;
        }

        // A success that names no record (a proxy's page, a server that is not a PDS) proves nothing was written.
        var failed = reply.IsSuccess
            ? new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Bluesky answered {(int)reply.Status} without naming the record it made.")
            : Failed(reply, secret, session!);
        return found?.Outcome == DeliveryOutcome.NotSent && failed.Outcome == DeliveryOutcome.Unknown
            ? failed with { Outcome = DeliveryOutcome.NotSent, Error = $"{failed.Error} The account holds no such post, so it was not made." }
            : failed;
    }

    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (Handle(delivery) is not { } handle)
        {
            return null;
        }

        var rkey = RecordKey(delivery.Key);
        var query = $"com.atproto.repo.getRecord?repo={Uri.EscapeDataString(handle)}&collection={Collection}&rkey={rkey}";
        using var request = new HttpRequestMessage(HttpMethod.Get, Xrpc(delivery, query));
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        if (reply.IsSuccess && RecordUri(reply, rkey) is { } uri)
        {
            return Sent(uri, handle, rkey);
        }

        if (reply.IsSuccess)
        {
            return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Bluesky answered {(int)reply.Status} to the lookup of post {rkey} without naming the record.");
        }

        return reply.Status == HttpStatusCode.BadRequest && ErrorCode(reply) == "RecordNotFound"
            ? new DeliveryResult(DeliveryOutcome.NotSent, Error: $"Bluesky holds no post {rkey} for {handle}.")
            : new DeliveryResult(DeliveryOutcome.Unknown, Error: $"Bluesky could not be asked whether post {rkey} exists: {reply.Failure ?? reply.Problem(secret)}.");
    }

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        if (Handle(delivery) is not { } handle)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: "The Bluesky channel has no 'handle'.");
        }

        var rkey = remoteId.StartsWith("at://", StringComparison.Ordinal) ? remoteId[(remoteId.LastIndexOf('/') + 1)..] : RecordKey(delivery.Key);
        var (reply, session, refused) = await WriteAsync(delivery, handle, secret, "com.atproto.repo.deleteRecord",
            s => JsonContent.Create(new { repo = s.Did, collection = Collection, rkey }), cancellationToken).ConfigureAwait(false);
        if (reply is null)
        {
            return refused!;
        }

        return reply.IsSuccess ? new DeliveryResult(DeliveryOutcome.Sent, remoteId) : Failed(reply, secret, session!);
    }

    /// <summary>
    /// A write to the account's repository: signed in with the session kept for the account, and once
    /// more with a new one where the server says that session has expired. The answer and the session
    /// it was sent with, or what refused the sign-in.
    /// </summary>
    private async Task<(PlatformReply? Reply, Session? Session, DeliveryResult? Refused)> WriteAsync(
        Delivery delivery, string handle, string secret, string method, Func<Session, HttpContent> body, CancellationToken cancellationToken)
    {
        for (var fresh = false; ; fresh = true)
        {
            var (session, refused) = await SessionAsync(delivery, handle, secret, fresh, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return (null, null, refused);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc(delivery, method)) { Content = body(session) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessJwt);
            var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
            if (fresh || !Expired(reply))
            {
                return (reply, session, null);
            }
        }
    }

    // The session's token is as secret as the app password it came from.
    private static DeliveryResult Failed(PlatformReply reply, string secret, Session session) =>
        PlatformHttp.Failed(reply, "Bluesky", [secret, session.AccessJwt], RateLimitReset);

    private static DeliveryResult Sent(string uri, string handle, string rkey) =>
        new(DeliveryOutcome.Sent, uri, $"https://bsky.app/profile/{handle}/post/{rkey}");

    private static string? Handle(Delivery delivery) =>
        delivery.Account.TryGetValue("handle", out var handle) && handle.Trim().TrimStart('@') is { Length: > 0 } h ? h : null;

    /// <summary>The account's server: the channel's <c>api_url</c>, or its <c>service</c> field where the URL is left at Bluesky's own.</summary>
    private static Uri Service(Delivery delivery) =>
        delivery.ApiUrl == DefaultApiUrl && delivery.Account.TryGetValue("service", out var service) && Uri.TryCreate(service, UriKind.Absolute, out var url)
            ? url
            : delivery.ApiUrl;

    private static Uri Xrpc(Delivery delivery, string method) => PlatformHttp.Endpoint(Service(delivery), "xrpc/" + method);

    /// <summary>The record an answer names, where it is this delivery's record: only that proves the post is there.</summary>
    private static string? RecordUri(PlatformReply reply, string rkey) =>
        PlatformHttp.Text(reply.Json(), "uri") is { } uri && uri.StartsWith("at://", StringComparison.Ordinal) && uri.EndsWith($"/{Collection}/{rkey}", StringComparison.Ordinal)
            ? uri
            : null;

    private static string? ErrorCode(PlatformReply reply)
    {
        var json = reply.Json();
        return json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    private static bool Expired(PlatformReply reply) =>
        reply.Status == HttpStatusCode.Unauthorized || (reply.Status == HttpStatusCode.BadRequest && ErrorCode(reply) is "ExpiredToken" or "InvalidToken");

    private async Task<(Session? Session, DeliveryResult? Refused)> SessionAsync(Delivery delivery, string handle, string secret, bool fresh, CancellationToken cancellationToken)
    {
        var key = $"{Service(delivery).AbsoluteUri}\n{handle}\n{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))}";
        if (!fresh && _sessions.TryGetValue(key, out var kept))
        {
            return (kept, null);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc(delivery, "com.atproto.server.createSession"))
        {
            Content = JsonContent.Create(new { identifier = handle, password = secret }),
        };
        var reply = await PlatformHttp.SendAsync(http.CreateClient(HttpClientName), request, cancellationToken).ConfigureAwait(false);
        var json = reply.IsSuccess ? reply.Json() : default;
        if (PlatformHttp.Text(json, "accessJwt") is { Length: > 0 } jwt && PlatformHttp.Text(json, "did") is { Length: > 0 } did)
        {
            var session = new Session(jwt, did);
            _sessions[key] = session;
            return (session, null);
        }

        _sessions.TryRemove(key, out _);
        // A success without a token and an account (a proxy's page, a server that is not a PDS) is no session: posting with it would go out unsigned.
        var problem = reply.IsSuccess ? $"HTTP {(int)reply.Status} with no session in the answer"
            : reply.Delivered == Delivered.Answered ? reply.Problem(secret) : reply.Failure;
        var refused = (int)reply.Status switch
        {
            // Signing in makes no post, so however it failed, nothing went out.
            401 or 400 => new DeliveryResult(DeliveryOutcome.Rejected, Error: $"Bluesky refused the app password for {handle} ({problem}). Create a new app password and store it in the channel's secret."),
            429 => PlatformHttp.Failed(reply, "Bluesky", secret, RateLimitReset),
            _ => new DeliveryResult(DeliveryOutcome.NotSent, Error: $"Bluesky: could not sign in as {handle} ({problem})."),
        };
        return (null, refused);
    }

    private sealed record Session(string AccessJwt, string Did);
}

public static class BlueskyServices
{
    public static IServiceCollection AddBlueskyPlatform(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddPlatformHttpClient(BlueskyClient.HttpClientName, safeToRepeat: true, BlueskyClient.RateLimitReset);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformClient, BlueskyClient>());
        return services;
    }
}
