using System.Security.Cryptography;
using System.Text;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LondonTories.Integration.Tests.Platforms;

public sealed class WebhookTests : IDisposable
{
    private const string Key = "post-garden-battersea-en-webhook";
    private const string Document = """{"id":"garden","seat":"battersea","language":"en","message":"Our new community garden opens on Saturday. £0 to join — all welcome.","link":"https://example.org/battersea/garden/"}""";

    private readonly string _secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly List<IRequestMessage> _received = [];
    private readonly Queue<int> _statuses = new();
    private readonly Queue<TimeSpan> _delays = new();

    public WebhookTests()
    {
        _receiver.Given(Request.Create().WithPath("/hooks/posts").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            int status;
            TimeSpan delay;
            lock (_received)
            {
                _received.Add(request);
                status = _statuses.Count > 0 ? _statuses.Dequeue() : 204;
                delay = _delays.Count > 0 ? _delays.Dequeue() : TimeSpan.Zero;
            }

            Thread.Sleep(delay);

            var response = new ResponseMessage { StatusCode = status };
            if (status == 429)
            {
                response.AddHeader("Retry-After", "120");
            }

            return response;
        }));
    }

    private Delivery Delivery(string? url = null) => new(
        Key,
        "party-tools",
        "webhook",
        new Uri(_receiver.Url!),
        new Dictionary<string, string> { ["url"] = url ?? _receiver.Url + "/hooks/posts" },
        "Our new community garden opens on Saturday.",
        null,
        "en",
        null,
        null,
        Encoding.UTF8.GetBytes(Document));

    private static WebhookClient Client(ServiceProvider services) => MetaGraphStub.Client<WebhookClient>(services);

    [Fact]
    public async Task The_document_is_posted_as_json_with_a_signature_the_Standard_Webhooks_verifier_accepts()
    {
        using var services = MetaGraphStub.Services();
        var client = Client(services);

        var result = await client.SendAsync(Delivery(), _secret, CancellationToken.None);

        Assert.True(client.SafeToRepeat);
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(Key, result.RemoteId);
        var request = Assert.Single(_received);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Encoding.UTF8.GetBytes(Document), request.BodyAsBytes);
        Assert.Equal("application/json; charset=utf-8", request.Headers!["Content-Type"].Single());
        Assert.Equal(Key, request.Headers["webhook-id"].Single());
        Assert.Matches("^v1,[A-Za-z0-9+/]+=*$", request.Headers["webhook-signature"].Single());

        var headers = Headers(request);
        new StandardWebhook(_secret).Verify(Document, headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(_secret).Verify(Document.Replace("£0", "£5", StringComparison.Ordinal), headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Verify(Document, headers));
    }

    [Fact]
    public async Task A_failing_receiver_is_tried_again_with_the_same_webhook_id_until_it_answers()
    {
        _statuses.Enqueue(503);
        _statuses.Enqueue(500);
        using var services = MetaGraphStub.Services();

        var result = await Client(services).SendAsync(Delivery(), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(3, _received.Count);
        Assert.All(_received, r => Assert.Equal(Key, r.Headers!["webhook-id"].Single()));
        Assert.All(_received, r => new StandardWebhook(_secret).Verify(Document, Headers(r)));
    }

    [Fact]
    public async Task A_receiver_that_refuses_the_post_is_rejected_and_not_repeated()
    {
        _statuses.Enqueue(410);
        using var services = MetaGraphStub.Services();

        var result = await Client(services).SendAsync(Delivery(), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("The webhook receiver refused the post (HTTP 410): check the channel's url and secret.", result.Error);
        Assert.Single(_received);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_is_rejected_naming_the_host_it_points_to()
    {
        _receiver.Given(Request.Create().WithPath("/hooks/moved").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", "https://elsewhere.example/collect?key=abc"));
        using var services = MetaGraphStub.Services();

        var result = await Client(services).SendAsync(Delivery(_receiver.Url + "/hooks/moved"), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("The webhook receiver answered 307 with a redirect to elsewhere.example, which is never followed: check the channel's url.", result.Error);
        Assert.Single(_receiver.LogEntries);
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_runs_budget_is_not_sent_until_its_retry_after()
    {
        _statuses.Enqueue(429);
        using var services = MetaGraphStub.Services();
        var before = DateTimeOffset.UtcNow;

        var result = await Client(services).SendAsync(Delivery(), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.InRange(result.RetryAt!.Value, before + TimeSpan.FromSeconds(120), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(120));
        Assert.Single(_received);
    }

    [Fact]
    public async Task A_receiver_too_slow_to_answer_gets_the_same_signed_post_again()
    {
        _delays.Enqueue(StubFault.Timeout.Delay!.Value);
        using var services = MetaGraphStub.Services(StubFault.ShortTimeout, s => s.Configure<WebhookOptions>(o => o.MaxRetries = 1));

        var result = await Client(services).SendAsync(Delivery(), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal(2, _received.Count);
        Assert.Equal(_received[0].Headers!["webhook-signature"], _received[1].Headers!["webhook-signature"]);
        Assert.All(_received, r => Assert.Equal(Key, r.Headers!["webhook-id"].Single()));
    }

    [Fact]
    public async Task A_receiver_that_answers_and_never_finishes_its_body_is_given_up_within_the_timeout()
    {
        using var stalling = new StallingServer();
        using var services = MetaGraphStub.Services(StubFault.ShortTimeout, s => s.Configure<WebhookOptions>(o => o.MaxRetries = 1));

        var sending = Client(services).SendAsync(Delivery(url: stalling.BaseUrl + "hooks"), _secret, CancellationToken.None);
        var finished = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(sending, finished);
        Assert.Equal(2, stalling.Received);
        Assert.Equal(DeliveryOutcome.Unknown, (await sending).Outcome);
    }

    [Fact]
    public async Task A_dropped_answer_is_unknown_and_safe_to_send_again()
    {
        using var dropping = new DroppingServer();
        using var services = MetaGraphStub.Services(configure: s => s.Configure<WebhookOptions>(o => o.MaxRetries = 1));

        var result = await Client(services).SendAsync(Delivery(url: dropping.BaseUrl + "hooks"), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Equal(2, dropping.Received);
        Assert.Contains("sending again is safe", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_that_is_not_a_signing_secret_is_rejected_without_showing_it()
    {
        using var services = MetaGraphStub.Services();
        const string wrong = "whsec_not*base64*at*all";

        var result = await Client(services).SendAsync(Delivery(), wrong, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("The secret of channel 'party-tools' is not a Standard Webhooks signing secret: store a whsec_ secret (base64 after the prefix).", result.Error);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task A_channel_without_an_address_is_rejected_naming_the_field()
    {
        using var services = MetaGraphStub.Services();

        var result = await Client(services).SendAsync(Delivery(url: "not a url"), _secret, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Channel 'party-tools' needs a 'url' in content/channels.yaml: the receiver's https address.", result.Error);
        Assert.Empty(_received);
    }

    private static HeaderDictionary Headers(IRequestMessage request)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, values) in request.Headers!)
        {
            headers[name] = values.ToArray();
        }

        return headers;
    }

    public void Dispose() => _receiver.Stop();
}
