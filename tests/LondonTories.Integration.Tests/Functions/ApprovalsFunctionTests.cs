using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>POST /api/approvals and /api/rollback through the app's own wiring, with App Service authentication's headers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalsFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly string _connection = azurite.NewAccount();
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionsApp(_connection, new TestClock(TestContent.Now), new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" });
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    private Task<TestResponse> ApproveAsync(string body, Dictionary<string, string> headers) => ApproveAsync(_app, body, headers);

    private static async Task<TestResponse> ApproveAsync(FunctionsApp app, string body, Dictionary<string, string> headers)
    {
        var request = app.Request("POST", "/api/approvals", body, headers);
        request.ContentType = "application/json";
        return await FunctionsApp.SendAsync(request, await app.Create<global::LondonTories.Functions.Approvals>().Run(request, CancellationToken.None));
    }

    private static Dictionary<string, string> SignedIn(string objectId, string name) => new()
    {
        ["X-MS-CLIENT-PRINCIPAL-ID"] = objectId,
        ["X-MS-CLIENT-PRINCIPAL-NAME"] = name,
        ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
    };

    [Fact]
    public async Task Where_app_service_authentication_is_off_the_headers_prove_nothing_and_approving_is_refused()
    {
        await using var app = new FunctionsApp(_connection, new TestClock(TestContent.Now));
        var response = await ApproveAsync(app, """{"post": "winter-fuel"}""", SignedIn(ApprovalTests.AgentId, "forged@example.org"));

        Assert.Equal(503, response.Status);
        Assert.Contains("approve with 'londontories approve' instead", response.Text);
        Assert.Empty(await app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_signed_in_user_approving_is_401_and_nothing_is_recorded()
    {
        var response = await ApproveAsync("""{"post": "winter-fuel"}""", []);

        Assert.Equal(401, response.Status);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unlisted_user_is_403_and_a_listed_approver_is_recorded_with_the_verified_identity()
    {
        var refused = await ApproveAsync("""{"post": "winter-fuel"}""", SignedIn(ApprovalTests.StrangerId, "someone@example.org"));
        Assert.Equal(403, refused.Status);
        Assert.Contains("is not an approver in site.yaml", refused.Text);

        var scoped = await ApproveAsync("""{"post": "winter-fuel", "seat": "bromley"}""", SignedIn(ApprovalTests.BatterseaAgentId, "sam@example.org"));
        Assert.Equal(403, scoped.Status);

        var approved = await ApproveAsync("""{"post": "winter-fuel"}""", SignedIn(ApprovalTests.AgentId, "priya@example.org"));
        Assert.Equal(201, approved.Status);
        using var answer = JsonDocument.Parse(approved.Text);
        Assert.Equal(["battersea", "bethnal-green", "bromley"], answer.RootElement.GetProperty("seats").EnumerateArray().Select(s => s.GetString()));
        var record = Assert.Single(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
        Assert.Equal((ApprovalTests.AgentId, "Priya Shah (campaign agent)", "http"), (record.ApproverId, record.ApproverName, record.Via));

        var publish = _app.Request("POST", "/api/publish");
        var run = await FunctionsApp.SendAsync(publish, await _app.Create<Publish>().Run(publish, CancellationToken.None));
        Assert.Equal(200, run.Status);
        Assert.Contains("Social posts: 3 filed as documents under social/", run.Text);
    }

    [Fact]
    public async Task An_approver_site_yaml_lists_but_the_app_setting_does_not_is_refused_and_the_run_says_why()
    {
        await using var app = new FunctionsApp(_connection, new TestClock(TestContent.Now), new Dictionary<string, string?>
        {
            ["WEBSITE_AUTH_ENABLED"] = "True",
            [AppSettings.Approvers] = ApprovalTests.AgentId,
        });
        var refused = await ApproveAsync(app, """{"post": "winter-fuel", "seat": "battersea"}""", SignedIn(ApprovalTests.BatterseaAgentId, "sam@example.org"));

        Assert.Equal(403, refused.Status);
        Assert.Contains("is not among the people the app setting LONDONTORIES_APPROVERS lets approve, whatever site.yaml says", refused.Text);
        Assert.Empty(await app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
        var publish = app.Request("POST", "/api/publish");
        var run = await FunctionsApp.SendAsync(publish, await app.Create<Publish>().Run(publish, CancellationToken.None));
        Assert.Equal(200, run.Status);
        Assert.Contains("approver-not-allowed", run.Text);
        Assert.Contains("Sam Okafor (Battersea agent)", run.Text);
        Assert.Equal(201, (await ApproveAsync(app, """{"post": "winter-fuel"}""", SignedIn(ApprovalTests.AgentId, "priya@example.org"))).Status);
    }

    [Fact]
    public async Task An_approval_posted_from_another_site_is_refused()
    {
        var headers = SignedIn(ApprovalTests.AgentId, "priya@example.org");
        headers["Origin"] = "https://attacker.example.com";

        var response = await ApproveAsync("""{"post": "winter-fuel"}""", headers);

        Assert.Equal(403, response.Status);
        Assert.Contains("not from another site", response.Text);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));

        headers["Origin"] = "https://londontories.example.net";
        Assert.Equal(201, (await ApproveAsync("""{"post": "winter-fuel"}""", headers)).Status);
    }

    [Theory]
    [InlineData(ApprovalTests.StrangerId)]
    [InlineData(ApprovalTests.AgentId)]
    public async Task A_preview_button_pressed_while_the_key_cannot_be_read_is_told_to_try_later_and_not_where_the_key_is_kept(string objectId)
    {
        // This app has no preview key: its store is the environment, which lacks the variable.
        var headers = SignedIn(objectId, "someone@example.org");
        headers["Origin"] = "https://londontories.example.net";
        var request = _app.Request("POST", "/api/approvals", "post=winter-fuel&token=abc.def", headers);
        request.ContentType = "application/x-www-form-urlencoded";

        var response = await FunctionsApp.SendAsync(request, await _app.Create<global::LondonTories.Functions.Approvals>().Run(request, CancellationToken.None));

        Assert.Equal(503, response.Status);
        Assert.Contains("Approve buttons are not available just now", response.Text, StringComparison.Ordinal);
        foreach (var detail in new[] { "preview-link-key", "PREVIEW_LINK_KEY", "environment", "Key Vault" })
        {
            Assert.DoesNotContain(detail, response.Text, StringComparison.Ordinal);
        }

        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Referer", "https://attacker.example.com/page")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task An_approval_from_another_site_is_refused_even_from_a_browser_that_sends_no_origin(string header, string value)
    {
        // Older browsers send no Origin with a form's POST; what they do send still names the page it came from.
        var headers = SignedIn(ApprovalTests.AgentId, "priya@example.org");
        headers[header] = value;

        var response = await ApproveAsync("""{"post": "winter-fuel"}""", headers);

        Assert.Equal(403, response.Status);
        Assert.Contains("not from another site", response.Text);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Referer", "https://londontories.example.net/api/approvals")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Sec-Fetch-Site", "none")]
    public async Task An_approval_from_the_app_s_own_pages_without_an_origin_is_taken(string header, string value)
    {
        var headers = SignedIn(ApprovalTests.AgentId, "priya@example.org");
        headers[header] = value;

        Assert.Equal(201, (await ApproveAsync("""{"post": "winter-fuel"}""", headers)).Status);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"someone\"")]
    [InlineData("{\"claims\": [1]}")]
    [InlineData("{\"claims\": [{\"typ\": 1, \"val\": \"0b5c6a1e\"}]}")]
    [InlineData("{\"claims\": [{\"typ\": \"oid\", \"val\": null}]}")]
    public async Task A_principal_header_that_is_not_the_sign_ins_json_is_401_not_a_server_error(string principal)
    {
        var headers = new Dictionary<string, string>
        {
            ["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(principal)),
            ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
        };

        var response = await ApproveAsync("""{"post": "winter-fuel"}""", headers);

        Assert.Equal(401, response.Status);
        Assert.Contains("Sign in", response.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"post": "winter-fuel", "seat": ["battersea"]}""", "seat")]
    [InlineData("""{"post": "winter-fuel", "seat": 1}""", "seat")]
    [InlineData("""{"post": "winter-fuel", "digest": 0}""", "digest")]
    [InlineData("""{"post": ["winter-fuel"]}""", "post")]
    public async Task A_field_that_is_not_a_string_is_400_not_an_approval_wider_than_asked(string body, string field)
    {
        var response = await ApproveAsync(body, SignedIn(ApprovalTests.AgentId, "priya@example.org"));

        Assert.Equal(400, response.Status);
        Assert.Contains($"{field}:", response.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"post": "winter-fuel", "seat": ""}""", "seat")]
    [InlineData("""{"post": "winter-fuel", "seat": "  "}""", "seat")]
    [InlineData("""{"post": "winter-fuel", "digest": ""}""", "digest")]
    public async Task A_blank_seat_or_digest_is_400_naming_it_not_a_seat_that_does_not_exist_or_words_that_changed(string body, string field)
    {
        var response = await ApproveAsync(body, SignedIn(ApprovalTests.AgentId, "priya@example.org"));

        Assert.Equal(400, response.Status);
        Assert.Contains($"{field}: ", response.Text, StringComparison.Ordinal);
        Assert.Contains("leave it out", response.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_approval_naming_both_a_post_and_a_page_is_400_not_the_post_approved_and_the_page_passed_over()
    {
        var response = await ApproveAsync("""{"post": "winter-fuel", "page": "topic-1"}""", SignedIn(ApprovalTests.AgentId, "priya@example.org"));

        Assert.Equal(400, response.Status);
        Assert.Contains("post and page: approve one at a time", response.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("{'post': 'winter-fuel'}", "line 1, byte 2")]
    [InlineData("{\"post\": \"winter-fuel\",}", "line 1, byte 24")]
    [InlineData("{\n  \"post\": \"winter-fuel\"", "line 2")]
    public async Task An_approval_that_is_not_json_is_400_saying_where_not_a_request_to_say_what_to_approve(string body, string where)
    {
        var response = await ApproveAsync(body, SignedIn(ApprovalTests.AgentId, "priya@example.org"));

        Assert.Equal(400, response.Status);
        var detail = JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith("The body is not JSON", detail, StringComparison.Ordinal);
        Assert.Contains(where, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_digest_the_approver_saw_that_no_longer_matches_is_409()
    {
        var response = await ApproveAsync("""{"post": "winter-fuel", "digest": "0000000000000000000000000000000000000000000000000000000000000000"}""",
            SignedIn(ApprovalTests.AgentId, "priya@example.org"));

        Assert.Equal(409, response.Status);
        Assert.Contains("changed since it was shown to you", response.Text);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Rolling_back_to_an_unknown_run_is_404()
    {
        var request = _app.Request("POST", "/api/rollback?to=20260101T000000Z-nosuchrun");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Rollback>().Run(request, CancellationToken.None));

        Assert.Equal(404, response.Status);
        Assert.Equal("No run '20260101T000000Z-nosuchrun' recorded its files, so the site cannot be rolled back to it; 'runs' lists the runs that did.", JsonDocument.Parse(response.Text).RootElement.GetProperty("summary").GetString());
    }
}
