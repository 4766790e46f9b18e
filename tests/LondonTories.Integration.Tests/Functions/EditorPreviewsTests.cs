using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>Preview links asked for with a function key or by a signed-in editor; a signed-in stranger gets none.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EditorPreviewsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string EditorId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e04";
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 5)).ToArray());

    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly string _connection = azurite.NewAccount();
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), $"londontories-secrets-{Guid.NewGuid():N}.json");
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        _content.Write("site.yaml", File.ReadAllText(Path.Combine(_content.Root, "site.yaml")).TrimEnd('\n') + $"\neditors:\n  - id: {EditorId}\n    name: Alex Green (press officer)");
        File.WriteAllText(_secrets, $$"""{"{{PreviewKeys.SecretName}}": "{{Key}}"}""");
        _app = new FunctionsApp(_connection, new TestClock(TestContent.Now), new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" }, new UserSecretsStore("tests", _secrets));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
        File.Delete(_secrets);
    }

    private static Dictionary<string, string> SignedIn(string objectId, string name) => new()
    {
        ["X-MS-CLIENT-PRINCIPAL-ID"] = objectId,
        ["X-MS-CLIENT-PRINCIPAL-NAME"] = name,
        ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
    };

    private async Task<TestResponse> AskAsSignedInAsync(FunctionsApp app, Dictionary<string, string> headers)
    {
        var request = app.Request("POST", "/api/editor/previews", """{"seat": "battersea"}""", headers);
        request.ContentType = "application/json";
        return await FunctionsApp.SendAsync(request, await app.Create<EditorPreviews>().Run(request, CancellationToken.None));
    }

    [Theory]
    // A form in a layout or a page, shown in a preview on the app's own host, as a signed-in editor's browser sends it; text/plain can be made to read as JSON.
    [InlineData("{\"seat\": \"battersea\", \"markdown\": \"Draft\", \"x\": \"=\"}", "text/plain")]
    [InlineData("seat=battersea&markdown=Draft", "application/x-www-form-urlencoded")]
    public async Task A_form_cannot_ask_for_a_link_through_a_signed_in_editors_browser(string body, string contentType)
    {
        var headers = SignedIn(EditorId, "alex@example.org");
        headers["Origin"] = "https://londontories.example.net";
        var request = _app.Request("POST", "/api/editor/previews", body, headers);
        request.ContentType = contentType;

        var response = await FunctionsApp.SendAsync(request, await _app.Create<EditorPreviews>().Run(request, CancellationToken.None));

        Assert.Equal(415, response.Status);
        Assert.Contains("application/json", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/previews/", response.Text, StringComparison.Ordinal);
        Assert.False(await _app.Storage.Blobs.GetBlobContainerClient(HostedPreview.DraftContainer).ExistsAsync());
    }

    private async Task<int> OpenAsync(string url)
    {
        var token = url["https://londontories.example.net/api/previews/".Length..].TrimEnd('/');
        var request = _app.Request("GET", $"/api/previews/{token}/battersea/topic-1/");
        return (await FunctionsApp.SendAsync(request, await _app.Create<PreviewLink>().Run(request, token, "battersea/topic-1/", CancellationToken.None))).Status;
    }

    [Fact]
    public async Task A_function_key_and_a_signed_in_editor_or_approver_each_get_a_link_that_opens()
    {
        var keyed = _app.Request("POST", "/api/previews", """{"seat": "battersea"}""");
        var byKey = await FunctionsApp.SendAsync(keyed, await _app.Create<Previews>().Run(keyed, CancellationToken.None));
        var byEditor = await AskAsSignedInAsync(_app, SignedIn(EditorId, "alex@example.org"));
        var byApprover = await AskAsSignedInAsync(_app, SignedIn(ApprovalTests.BatterseaAgentId, "sam@example.org"));

        foreach (var response in new[] { byKey, byEditor, byApprover })
        {
            Assert.Equal(201, response.Status);
            using var answer = JsonDocument.Parse(response.Text);
            Assert.Equal(200, await OpenAsync(answer.RootElement.GetProperty("url").GetString()!));
        }
    }

    [Fact]
    public async Task A_signed_in_stranger_is_refused_and_so_is_nobody_signed_in()
    {
        var stranger = await AskAsSignedInAsync(_app, SignedIn(ApprovalTests.StrangerId, "someone@example.org"));
        Assert.Equal(403, stranger.Status);
        Assert.Contains($"someone@example.org ({ApprovalTests.StrangerId}) is not an editor or approver in site.yaml", stranger.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/previews/", stranger.Text, StringComparison.Ordinal);

        Assert.Equal(401, (await AskAsSignedInAsync(_app, [])).Status);

        var foreign = SignedIn(EditorId, "alex@example.org");
        foreign["Origin"] = "https://attacker.example.com";
        Assert.Equal(403, (await AskAsSignedInAsync(_app, foreign)).Status);
    }

    [Fact]
    public async Task While_the_key_cannot_be_read_a_stranger_is_refused_as_a_stranger_and_an_editor_is_not_told_where_the_key_is_kept()
    {
        File.WriteAllText(_secrets, "{}");

        var stranger = await AskAsSignedInAsync(_app, SignedIn(ApprovalTests.StrangerId, "someone@example.org"));
        var editor = await AskAsSignedInAsync(_app, SignedIn(EditorId, "alex@example.org"));

        Assert.Equal(403, stranger.Status);
        Assert.Contains("is not an editor or approver in site.yaml", stranger.Text, StringComparison.Ordinal);
        Assert.Equal(503, editor.Status);
        Assert.Contains("Preview links are not available just now", editor.Text, StringComparison.Ordinal);
        foreach (var detail in new[] { "preview-link-key", "user-secrets" })
        {
            Assert.DoesNotContain(detail, stranger.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(detail, editor.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Where_sign_in_is_off_the_headers_prove_nothing_and_no_link_is_made()
    {
        await using var app = new FunctionsApp(_connection, new TestClock(TestContent.Now), secrets: new UserSecretsStore("tests", _secrets));

        var response = await AskAsSignedInAsync(app, SignedIn(EditorId, "forged@example.org"));

        Assert.Equal(503, response.Status);
        Assert.Contains("POST /api/previews with a function key", response.Text, StringComparison.Ordinal);
    }
}
