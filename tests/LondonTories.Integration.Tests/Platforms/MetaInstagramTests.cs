using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;

namespace LondonTories.Integration.Tests.Platforms;

public sealed class MetaInstagramTests : IDisposable
{
    private const string Caption = "Our new community garden opens on Saturday.\n\nPromoted by A. Agent on behalf of Battersea Conservatives, 1 High St, London SW11 1AA";
    private const string Image = "https://example.org/media/garden.jpg";

    private readonly MetaGraphStub _graph = new();
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider _services = MetaGraphStub.Services(StubFault.ShortTimeout);

    private InstagramClient Client => MetaGraphStub.Client<InstagramClient>(_services);

    private Delivery Delivery(Uri? media = null) => new(
        "post-garden-battersea-en-instagram",
        "battersea-instagram",
        "instagram",
        _graph.BaseUrl,
        new Dictionary<string, string> { ["instagram_account_id"] = MetaGraphStub.InstagramId },
        Caption,
        "https://example.org/battersea/garden/",
        "en",
        media ?? new Uri(Image),
        null,
        "{}"u8.ToArray());

    [Fact]
    public async Task A_post_makes_a_media_container_checks_it_is_ready_and_publishes_it()
    {
        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var container = Assert.Single(_graph.Objects($"{MetaGraphStub.InstagramId}/containers"));
        var media = Assert.Single(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
        var requests = _graph.Requests;
        Assert.Equal(
            [
                $"POST /{GraphApi.Version}/{MetaGraphStub.InstagramId}/media",
                $"GET /{GraphApi.Version}/{container["id"]}",
                $"POST /{GraphApi.Version}/{MetaGraphStub.InstagramId}/media_publish",
                $"GET /{GraphApi.Version}/{media["id"]}",
            ],
            requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(new Dictionary<string, string> { ["image_url"] = Image, ["caption"] = Caption, ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Form(requests[0]));
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "status_code", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(requests[1]));
        Assert.Equal(new Dictionary<string, string> { ["creation_id"] = (string)container["id"]!, ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Form(requests[2]));
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal((string?)media["id"], result.RemoteId);
        Assert.Equal($"https://www.instagram.com/p/{media["id"]}/", result.RemoteUrl);
    }

    [Fact]
    public async Task The_pictures_description_goes_with_the_container_as_its_alt_text()
    {
        await Client.SendAsync(Delivery() with { MediaAlt = "Volunteers planting the new community garden" }, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, string> { ["image_url"] = Image, ["caption"] = Caption, ["alt_text"] = "Volunteers planting the new community garden", ["access_token"] = MetaGraphStub.Token },
            MetaGraphStub.Form(_graph.Requests[0]));
        Assert.Single(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
    }

    [Fact]
    public async Task A_post_without_media_is_rejected_before_anything_is_sent()
    {
        var result = await Client.SendAsync(Delivery() with { MediaUrl = null }, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Equal("Instagram needs an image: give the post a media file to publish on channel 'battersea-instagram'.", result.Error);
        Assert.Empty(_graph.Requests);
    }

    [Theory]
    [InlineData("../17841400000000001/media_publish")]
    [InlineData("17841400000000001/media_publish")]
    [InlineData("1?fields=id")]
    [InlineData("1#status")]
    [InlineData("..")]
    public async Task A_container_id_that_is_not_digits_is_not_sent_and_never_becomes_a_path(string id)
    {
        _graph.Fail("POST", "/media", StubFault.Error(200, new System.Text.Json.Nodes.JsonObject { ["id"] = id }.ToJsonString()));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal("Instagram answered the media container without an id of digits; nothing is published until the container is, so the next attempt starts afresh.", result.Error);
        Assert.NotNull(result.RetryAt);
        Assert.Equal([$"POST /{GraphApi.Version}/{MetaGraphStub.InstagramId}/media"], _graph.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task A_container_still_processing_after_the_polls_is_not_sent_and_publishes_nothing()
    {
        _graph.ContainerStatus = "IN_PROGRESS";

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal(3, _graph.Requests.Count(r => r.Method == "GET"));
        Assert.Empty(_graph.Posts("/media_publish"));
    }

    [Fact]
    public async Task A_container_in_error_is_rejected_naming_the_image()
    {
        _graph.ContainerStatus = "ERROR";

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains(Image, result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/media_publish"));
    }

    [Fact]
    public async Task A_lost_answer_after_publishing_is_settled_by_the_containers_status_without_publishing_again()
    {
        _graph.Fail("POST", "/media_publish", StubFault.Timeout, applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var media = Assert.Single(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal((string?)media["id"], result.RemoteId);
        Assert.Single(_graph.Posts("/media_publish"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("90/permalink")]
    [InlineData("1?fields=id")]
    public async Task A_publication_answered_with_an_id_that_is_not_digits_is_settled_by_the_container_never_by_a_path_made_of_it(string id)
    {
        _graph.Fail("POST", "/media_publish", StubFault.Error(200, new System.Text.Json.Nodes.JsonObject { ["id"] = id }.ToJsonString()), applied: true);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var media = Assert.Single(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        Assert.Equal((string?)media["id"], result.RemoteId);
        Assert.Single(_graph.Posts("/media_publish"));
        Assert.DoesNotContain(_graph.Requests, r => r.Path.Contains(id, StringComparison.Ordinal) || r.Path.EndsWith("/..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_answer_before_publishing_took_effect_is_unknown_and_a_lookup_settles_nothing()
    {
        _graph.Fail("POST", "/media_publish", StubFault.Timeout);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);
        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Unknown, result.Outcome);
        Assert.Contains("was FINISHED afterwards", result.Error, StringComparison.Ordinal);
        Assert.Single(_graph.Posts("/media_publish"));
        Assert.Null(found);
    }

    [Fact]
    public async Task The_lookup_finds_a_published_post_by_its_caption()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var found = await Client.FindAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, found!.Outcome);
        Assert.Equal(sent.RemoteId, found.RemoteId);
        var lookup = _graph.Requests.Last();
        Assert.Equal($"/{GraphApi.Version}/{MetaGraphStub.InstagramId}/media", lookup.Path);
        Assert.Equal(new Dictionary<string, string> { ["fields"] = "id,caption,permalink,timestamp", ["limit"] = "50", ["access_token"] = MetaGraphStub.Token }, MetaGraphStub.Query(lookup));
    }

    [Fact]
    public async Task A_revoked_token_is_rejected_without_the_token_in_the_error()
    {
        _graph.Fail("POST", "/media", StubFault.Error(400, $$$"""
            {"error":{"message":"Error validating access token: The user has not authorized application 1234. access_token={{{MetaGraphStub.Token}}}","type":"OAuthException","code":190,"error_subcode":458}}
            """));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("code 190/458", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(MetaGraphStub.Token, result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/media_publish"));
    }

    [Fact]
    public async Task The_publishing_rate_limit_is_not_sent_with_the_time_Meta_gives()
    {
        _graph.Fail("POST", "/media_publish", StubFault.Error(400,
            """{"error":{"message":"Application request limit reached","type":"OAuthException","code":4,"is_transient":true}}""",
            new() { ["X-Business-Use-Case-Usage"] = """{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":30}]}""" }));
        var before = DateTimeOffset.UtcNow;

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.InRange(result.RetryAt!.Value, before + TimeSpan.FromMinutes(30), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
        Assert.Single(_graph.Posts("/media_publish"));
        Assert.Empty(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
    }

    [Fact]
    public async Task The_daily_publishing_limit_is_not_sent_and_publishes_nothing()
    {
        _graph.Fail("POST", "/media_publish", StubFault.Error(400,
            """{"error":{"message":"Application request limit reached","type":"OAuthException","code":9,"error_subcode":2207042,"is_transient":false,"error_user_msg":"You reached maximum number of posts that is allowed to be published by Content Publishing API."}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Equal("Instagram's limit of published posts per day for this account is reached; nothing was published.", result.Error);
        Assert.NotNull(result.RetryAt);
        Assert.Single(_graph.Posts("/media_publish"));
        Assert.Empty(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
    }

    [Theory]
    [InlineData(true, DeliveryOutcome.Sent)]
    [InlineData(false, DeliveryOutcome.Unknown)]
    public async Task A_server_error_while_publishing_is_settled_by_the_container(bool published, DeliveryOutcome expected)
    {
        _graph.Fail("POST", "/media_publish", StubFault.Error(400,
            """{"error":{"message":"Instagram server error. Try again.","type":"OAuthException","code":-1,"error_subcode":2207001,"is_transient":false}}"""), applied: published);

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Single(_graph.Posts("/media_publish"));
        Assert.Equal(published ? 1 : 0, _graph.Objects($"{MetaGraphStub.InstagramId}/media").Count);
    }

    [Fact]
    public async Task An_image_Instagram_could_not_download_is_not_sent_and_publishes_nothing()
    {
        _graph.Fail("POST", "/media", StubFault.Error(400,
            """{"error":{"message":"Timeout","type":"OAuthException","code":-2,"error_subcode":2207003,"is_transient":false,"error_user_msg":"It takes too long to download the media."}}"""));

        var result = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.NotSent, result.Outcome);
        Assert.Contains("It takes too long to download the media.", result.Error, StringComparison.Ordinal);
        Assert.Empty(_graph.Posts("/media_publish"));
    }

    [Fact]
    public async Task Retract_deletes_the_media()
    {
        var sent = await Client.SendAsync(Delivery(), MetaGraphStub.Token, CancellationToken.None);

        var retracted = await Client.RetractAsync(Delivery(), sent.RemoteId!, MetaGraphStub.Token, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, retracted.Outcome);
        Assert.Equal($"DELETE /{GraphApi.Version}/{sent.RemoteId}", $"{_graph.Requests.Last().Method} {_graph.Requests.Last().Path}");
        Assert.Empty(_graph.Objects($"{MetaGraphStub.InstagramId}/media"));
    }

    public void Dispose()
    {
        _services.Dispose();
        _graph.Dispose();
    }
}
