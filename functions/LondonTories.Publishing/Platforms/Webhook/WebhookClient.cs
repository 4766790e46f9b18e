using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polly.Timeout;
using StandardWebhooks;

namespace LondonTories.Publishing.Platforms.Webhook;

/// <summary>
/// POSTs the post's JSON document to the channel's <c>url</c>, signed per the Standard Webhooks
/// specification (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
/// <c>webhook-id</c> is the delivery's key, <c>webhook-timestamp</c> the Unix time of sending and
/// <c>webhook-signature</c> <c>v1,</c> and the base64 HMAC-SHA256 of <c>id.timestamp.body</c> under the
/// channel's <c>whsec_</c> secret. Receivers dedupe on the id, so sending again is always safe.
/// </summary>
public sealed class WebhookClient(IHttpClientFactory httpClients, TimeProvider clock) : IPlatformClient
{
    public const string HttpClientName = "webhook";

    public string Platform => "webhook";

    public bool SafeToRepeat => true;

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (!delivery.Account.TryGetValue("url", out var address) || !Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"Channel '{delivery.ChannelId}' needs a 'url' in content/channels.yaml: the receiver's https address.");
        }

        StandardWebhook signer;
        try
        {
            signer = new StandardWebhook(secret);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"The secret of channel '{delivery.ChannelId}' is not a Standard Webhooks signing secret: store a whsec_ secret (base64 after the prefix).");
        }

        // The signature covers the exact bytes sent, so the body is the payload string's own UTF-8.
        var payload = Encoding.UTF8.GetString(delivery.Document.Span);
        var body = Encoding.UTF8.GetBytes(payload);
        var now = clock.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", delivery.Key);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signer.Sign(delivery.Key, now, payload));

        var http = httpClients.CreateClient(HttpClientName);
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (response.IsSuccessStatusCode)
                {
                    return new DeliveryResult(DeliveryOutcome.Sent, delivery.Key);
                }

                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400)
                {
                    // Named by its host alone: the address it gave may carry a key in its query.
                    var target = response.Headers.Location is { IsAbsoluteUri: true } location ? location.Authority : "another address";
                    return new DeliveryResult(DeliveryOutcome.Rejected, Error: $"The webhook receiver answered {status} with a redirect to {target}, which is never followed: check the channel's url.");
                }

                var wait = RetryAfter(response, now);
                return response.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests => new(DeliveryOutcome.NotSent, Error: $"The webhook receiver asked to slow down (HTTP 429).", RetryAt: now + (wait ?? TimeSpan.FromMinutes(1))),
                    HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => new(DeliveryOutcome.Unknown, Error: $"The webhook receiver failed (HTTP {status}); sending again is safe, as it dedupes on webhook-id.", RetryAt: now + (wait ?? TimeSpan.FromMinutes(1))),
                    _ => new(DeliveryOutcome.Rejected, Error: $"The webhook receiver refused the post (HTTP {status}): check the channel's url and secret."),
                };
            }
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError)
        {
            return new DeliveryResult(DeliveryOutcome.NotSent, Error: $"The webhook receiver at {url.Host} could not be reached ({e.HttpRequestError}).", RetryAt: now + TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"The webhook receiver at {url.Host} gave no answer; sending again is safe, as it dedupes on webhook-id.", RetryAt: now + TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>The wait a receiver asks for in Retry-After, as a delay or a date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>A receiver keeps what it received; nothing here can ask whether it did.</summary>
    public Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken) =>
        Task.FromResult<DeliveryResult?>(null);

    public Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken) =>
        Task.FromResult(new DeliveryResult(DeliveryOutcome.Rejected, Error: $"A webhook cannot be called back: remove the post in the tool behind channel '{delivery.ChannelId}'."));
}
