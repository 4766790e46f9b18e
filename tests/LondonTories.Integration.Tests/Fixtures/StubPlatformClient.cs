using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LondonTories.Publishing.Platforms;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// A platform client for the delivery core's own tests: it speaks plain HTTP to a WireMock.Net
/// server standing in for a platform (POST /posts, GET /posts/{key}, DELETE /posts/{id}), with a
/// bearer token, and reports outcomes as the contract says real clients must.
/// </summary>
public sealed class StubPlatformClient(string platform, HttpClient http, TimeProvider clock, bool safeToRepeat = false, bool canFind = false) : IPlatformClient
{
    public string Platform => platform;

    public bool SafeToRepeat => safeToRepeat;

    /// <summary>Runs before the request leaves and after its answer arrived: a test stops the process there.</summary>
    public Func<Task>? BeforeSend { get; set; }

    public Func<Task>? AfterSend { get; set; }

    public async Task<DeliveryResult> SendAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (BeforeSend is not null)
        {
            await BeforeSend().ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(delivery.ApiUrl, "posts"))
        {
            Content = JsonContent.Create(new { key = delivery.Key, message = delivery.Message, language = delivery.Language, link = delivery.Link }),
        };
        request.Headers.Authorization = new("Bearer", secret);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return new DeliveryResult(DeliveryOutcome.NotSent, Error: "connection refused");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryOutcome.Unknown, Error: "no answer in time");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (AfterSend is not null)
            {
                await AfterSend().ConfigureAwait(false);
            }

            return response.StatusCode switch
            {
                HttpStatusCode.OK or HttpStatusCode.Created => Sent(body),
                HttpStatusCode.TooManyRequests => new DeliveryResult(DeliveryOutcome.NotSent, Error: "rate limited",
                    RetryAt: response.Headers.RetryAfter?.Delta is { } delta ? clock.GetUtcNow() + delta : null),
                HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest => new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{(int)response.StatusCode}: {body}"),
                HttpStatusCode.ServiceUnavailable => new DeliveryResult(DeliveryOutcome.NotSent, Error: "503: not applied"),
                _ => new DeliveryResult(DeliveryOutcome.Unknown, Error: $"{(int)response.StatusCode}"),
            };
        }
    }

    public async Task<DeliveryResult?> FindAsync(Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        if (!canFind)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(delivery.ApiUrl, $"posts/{delivery.Key}"));
        request.Headers.Authorization = new("Bearer", secret);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => Sent(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)),
            HttpStatusCode.NotFound => new DeliveryResult(DeliveryOutcome.NotSent),
            _ => null,
        };
    }

    public async Task<DeliveryResult> RetractAsync(Delivery delivery, string remoteId, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(delivery.ApiUrl, $"posts/{remoteId}"));
        request.Headers.Authorization = new("Bearer", secret);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? new DeliveryResult(DeliveryOutcome.Sent, remoteId)
            : new DeliveryResult(DeliveryOutcome.Rejected, Error: $"{(int)response.StatusCode}");
    }

    private static DeliveryResult Sent(string body)
    {
        using var json = JsonDocument.Parse(body);
        var id = json.RootElement.GetProperty("id").GetString();
        return new DeliveryResult(DeliveryOutcome.Sent, id, $"https://platform.example/posts/{id}");
    }
}
