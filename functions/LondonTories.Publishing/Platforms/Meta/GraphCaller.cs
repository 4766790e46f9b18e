using System.Text.Json;
using Polly.Timeout;

namespace LondonTories.Publishing.Platforms.Meta;

/// <summary>One Graph answer: its JSON body, or what its failure means for the delivery.</summary>
public sealed record GraphAnswer(JsonElement Body, DeliveryResult? Failure, GraphError? Error = null)
{
    public bool Succeeded => Failure is null;

    public string? Text(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The items of a <c>data</c> list.</summary>
    public IEnumerable<JsonElement> Data() =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : [];
}

/// <summary>
/// Sends Graph requests through a platform's configured HttpClient and turns every way a request
/// can end (an answer, a refusal, a lost connection, a timeout) into a <see cref="GraphAnswer"/>,
/// with the secret scrubbed from anything it says.
/// </summary>
public sealed class GraphCaller(HttpClient http, TimeProvider clock, string platform)
{
    public string Platform => platform;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<GraphAnswer> SendAsync(HttpRequestMessage request, string secret, CancellationToken cancellationToken)
    {
        // A POST creates something; once sent, only its answer can say whether it did.
        var applied = request.Method == HttpMethod.Post;
        var what = $"{request.Method} {Describe(request.RequestUri)}";
        using var sent = request;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return new GraphAnswer(Parse(body), null);
            }

            var error = GraphApi.ReadError(body);
            return new GraphAnswer(default, GraphApi.Refused(platform, response.StatusCode, error, GraphApi.WaitFrom(response, Now), Now, secret, applied), error);
        }
        catch (Exception e) when (PlatformHttp.NeverLeft(e))
        {
            return new GraphAnswer(default, new DeliveryResult(DeliveryOutcome.NotSent, Error: $"{platform} could not be reached for {what}: {GraphApi.Scrub(e.Message, secret)}", RetryAt: Now + TimeSpan.FromMinutes(1)));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var how = e is HttpRequestException ? "the connection dropped" : "no answer came in time";
            return new GraphAnswer(default, applied
                ? new DeliveryResult(DeliveryOutcome.Unknown, Error: $"{platform}: {how} after {what} was sent; it may have been applied.")
                : new DeliveryResult(DeliveryOutcome.NotSent, Error: $"{platform}: {how} for {what}.", RetryAt: Now + TimeSpan.FromMinutes(1)));
        }
    }

    /// <summary>The path alone: queries carry the token.</summary>
    private static string Describe(Uri? uri) => uri is null ? string.Empty : uri.AbsolutePath;

    private static JsonElement Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
