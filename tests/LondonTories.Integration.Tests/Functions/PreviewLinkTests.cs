using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>Signed, expiring preview links through the app's wiring: forged and expired ones refused, a valid one shows the draft.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreviewLinkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly TestClock _clock = new(TestContent.Now);
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), $"londontories-secrets-{Guid.NewGuid():N}.json");
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        SetKey(Key);
        _app = new FunctionsApp(azurite.NewAccount(), _clock, secrets: new UserSecretsStore("tests", _secrets));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
        File.Delete(_secrets);
    }

    /// <summary>Sets the key as the vault would hold it: the secret <c>preview-link-key</c>.</summary>
    private void SetKey(string key) => File.WriteAllText(_secrets, $$"""{"{{PreviewKeys.SecretName}}": "{{key}}"}""");

    private async Task<string> CreateLinkAsync(string body)
    {
        var request = _app.Request("POST", "/api/previews", body);
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));
        Assert.Equal(201, response.Status);
        using var answer = JsonDocument.Parse(response.Text);
        var url = answer.RootElement.GetProperty("url").GetString()!;
        Assert.StartsWith("https://londontories.example.net/api/previews/", url, StringComparison.Ordinal);
        // The tests' clock keeps ticking from the tests' moment: the link lasts 72 hours from when it was made.
        var expires = DateTimeOffset.Parse(answer.RootElement.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, TestContent.Now.AddHours(72), TestContent.Now.AddHours(72).AddMinutes(5));
        return url["https://londontories.example.net/api/previews/".Length..].TrimEnd('/');
    }

    private async Task<TestResponse> OpenAsync(string token, string path)
    {
        var request = _app.Request("GET", $"/api/previews/{token}/{path}");
        return await FunctionsApp.SendAsync(request, await _app.Create<PreviewLink>().Run(request, token, path, CancellationToken.None));
    }

    [Theory]
    [InlineData("battersea", "battersea/")]
    [InlineData("battersea/topic-1", "battersea/topic-1/")]
    [InlineData("//battersea/topic-1", "battersea/topic-1/")]
    public async Task A_page_of_a_link_typed_without_its_final_slash_is_sent_to_it_within_the_link(string typed, string folder)
    {
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");

        var answer = await OpenAsync(token, typed);

        Assert.Equal(302, answer.Status);
        var location = answer.Headers.Location.ToString();
        Assert.Equal($"/api/previews/{token}/{folder}", location);
        Assert.Equal(200, (await OpenAsync(token, folder)).Status);
        Assert.Equal(404, (await OpenAsync(token, "battersea/no-such-page")).Status);
    }

    [Fact]
    public async Task A_valid_link_shows_the_draft_marked_as_a_preview_and_writes_nothing_to_the_site()
    {
        var token = await CreateLinkAsync("""
            {"seat": "battersea", "path": "pages/winter-plan.md", "markdown": "---\ntitle: \"Winter plan for {{ constituency.name }}\"\n---\nDraft words for {{ constituency.boroughs[0] }}.\n"}
            """);
        _app.Log.Clear();

        var page = await OpenAsync(token, "battersea/winter-plan/");

        Assert.Equal(200, page.Status);
        Assert.Contains("<h1>Winter plan for Battersea</h1>", page.Text, StringComparison.Ordinal);
        Assert.Contains("Draft words for Wandsworth.", page.Text, StringComparison.Ordinal);
        Assert.Contains("Preview: not published.", page.Text, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"robots\" content=\"noindex, nofollow\">", page.Text, StringComparison.Ordinal);
        Assert.Equal("noindex, nofollow", page.Headers["X-Robots-Tag"].ToString());
        Assert.DoesNotContain("\"https://test.example.org/", page.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/previews/{token}/battersea/topic-1/\"", page.Text, StringComparison.Ordinal);
        Assert.Empty(_app.Log.Writes);
        Assert.False(await _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).ExistsAsync());

        var home = await OpenAsync(token, string.Empty);
        Assert.Equal(200, home.Status);
        Assert.Contains("Winter plan for Battersea", home.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_keeps_its_address_which_is_its_credential_from_the_sites_its_pages_link_to()
    {
        var token = await CreateLinkAsync("""
            {"seat": "battersea", "path": "pages/winter-plan.md", "markdown": "---\ntitle: Winter plan\n---\nSee [the council](https://www.wandsworth.gov.uk/winter) for more.\n"}
            """);

        foreach (var path in new[] { "battersea/winter-plan/", string.Empty, "_posts", "not-a-page/" })
        {
            var answer = await OpenAsync(token, path);

            // A browser that follows the council link, or fetches a picture from elsewhere, would
            // otherwise be free to send this page's address, token and all, to that site.
            Assert.Equal("same-origin", answer.Headers["Referrer-Policy"].ToString());
        }

        Assert.Contains("href=\"https://www.wandsworth.gov.uk/winter\"", (await OpenAsync(token, "battersea/winter-plan/")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_whose_draft_is_no_longer_kept_is_gone_saying_so_rather_than_failing()
    {
        var token = await CreateLinkAsync("""
            {"seat": "battersea", "path": "pages/winter-plan.md", "markdown": "---\ntitle: Winter plan\n---\nDraft words.\n"}
            """);
        var drafts = _app.Storage.Blobs.GetBlobContainerClient(HostedPreview.DraftContainer);
        // As the previews container's lifecycle rule removes it, or someone by hand.
        await foreach (var draft in drafts.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "drafts/" }))
        {
            await drafts.DeleteBlobAsync(draft.Name);
        }

        foreach (var path in new[] { string.Empty, "battersea/winter-plan/", "_posts" })
        {
            var answer = await OpenAsync(token, path);

            Assert.Equal(410, answer.Status);
            Assert.Contains("The draft this preview link shows is no longer kept: it expired or was removed. Ask for a new link.", answer.Text, StringComparison.Ordinal);
            Assert.Equal("noindex, nofollow", answer.Headers["X-Robots-Tag"].ToString());
        }
    }

    [Fact]
    public async Task A_draft_sent_again_for_a_new_link_is_kept_from_that_link_on_so_it_ages_out_after_the_last_link_to_it()
    {
        const string body = """{"seat": "battersea", "path": "pages/winter-plan.md", "markdown": "---\ntitle: Winter plan\n---\nDraft words.\n"}""";
        await CreateLinkAsync(body);
        var drafts = _app.Storage.Blobs.GetBlobContainerClient(HostedPreview.DraftContainer);
        var draft = Assert.Single(await drafts.GetBlobsAsync().ToListAsync());
        // Storage keeps modification times to the second.
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var token = await CreateLinkAsync(body);

        var again = Assert.Single(await drafts.GetBlobsAsync().ToListAsync());
        Assert.Equal(draft.Name, again.Name);
        Assert.True(again.Properties.LastModified > draft.Properties.LastModified, $"{again.Properties.LastModified} is not after {draft.Properties.LastModified}");
        Assert.Equal(200, (await OpenAsync(token, "battersea/winter-plan/")).Status);
    }

    [Fact]
    public async Task A_link_whose_kept_draft_was_replaced_shows_nothing_of_it_and_says_to_ask_for_a_new_link()
    {
        var token = await CreateLinkAsync("""
            {"seat": "battersea", "path": "pages/winter-plan.md", "markdown": "---\ntitle: Winter plan\n---\nDraft words.\n"}
            """);
        var drafts = _app.Storage.Blobs.GetBlobContainerClient(HostedPreview.DraftContainer);
        // Someone with write access to the previews container puts other words under the signed link.
        await foreach (var draft in drafts.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "drafts/" }))
        {
            await drafts.GetBlobClient(draft.Name).UploadAsync(new BinaryData("---\ntitle: Winter plan\n---\nWords nobody asked to be shown.\n"), overwrite: true);
        }

        foreach (var path in new[] { string.Empty, "battersea/winter-plan/", "_posts" })
        {
            var answer = await OpenAsync(token, path);

            Assert.Equal(410, answer.Status);
            Assert.DoesNotContain("Words nobody asked", answer.Text, StringComparison.Ordinal);
            Assert.Contains("The draft this preview link shows is no longer kept as it was given. Ask for a new link.", answer.Text, StringComparison.Ordinal);
            Assert.Equal("noindex, nofollow", answer.Headers["X-Robots-Tag"].ToString());
        }
    }

    [Fact]
    public async Task A_script_in_the_content_never_runs_in_a_preview_where_a_signed_in_reviewer_could_approve_through_it()
    {
        // Layouts are published as written, and a preview is served on the app's own host, where the
        // approvals route trusts requests from its own pages.
        const string script = "<script>fetch('/api/approvals', { method: 'POST', body: 'post=winter-fuel' })</script>";
        _content.Write("layouts/partials/head.html", $"<meta charset=\"utf-8\">\n<title>{{{{ head_title | html.escape }}}}</title>\n{script}\n");
        _content.Write("static/assets/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"9\" height=\"9\"/></svg>\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");
        Assert.Contains(script, (await OpenAsync(token, "battersea/")).Text, StringComparison.Ordinal);

        foreach (var path in new[] { "assets/logo.svg", "battersea/", "_posts" })
        {
            var answer = await OpenAsync(token, path);

            Assert.Equal(200, answer.Status);
            var policy = answer.Headers.ContentSecurityPolicy.ToString();
            Assert.Contains("script-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", answer.Headers.XContentTypeOptions.ToString());
        }
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00")]
    [InlineData("9999-12-31T23:59:59Z")]
    public async Task A_link_for_a_moment_centuries_away_is_refused_when_asked_for_rather_than_failing_at_every_open(string at)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "at": "{{at}}"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains("at: ", response.Text, StringComparison.Ordinal);
        Assert.Contains("between 1970 and 2999", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_altered_link_is_refused_and_an_expired_one_is_gone()
    {
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");
        Assert.Equal(200, (await OpenAsync(token, string.Empty)).Status);

        var payload = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
        var otherSeat = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json.Replace("battersea", "bromley", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var altered = await OpenAsync(otherSeat + token[token.IndexOf('.', StringComparison.Ordinal)..], string.Empty);
        Assert.Equal(403, altered.Status);
        Assert.Contains("This preview link is not valid", altered.Text);
        Assert.Equal(403, (await OpenAsync(token[..^2] + (token[^2] == 'A' ? "BA" : "AA"), string.Empty)).Status);
        Assert.Equal(403, (await OpenAsync("not-a-token", string.Empty)).Status);
        Assert.Equal(403, (await OpenAsync(token + "=", string.Empty)).Status);
        Assert.Equal(403, (await OpenAsync(token + " ", string.Empty)).Status);

        _clock.Shift = TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1);
        var expired = await OpenAsync(token, string.Empty);
        Assert.Equal(410, expired.Status);
        Assert.Contains("This preview link expired at 2026-12-03 12:0", expired.Text);
    }

    [Fact]
    public async Task The_posts_view_shows_approval_state_and_an_approve_button_bound_to_what_it_shows()
    {
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");

        var posts = await OpenAsync(token, "_posts");

        Assert.Equal(200, posts.Status);
        Assert.Contains("Winter fuel help for Battersea", posts.Text, StringComparison.Ordinal);
        Assert.Contains("awaiting approval; Priya Shah (campaign agent) or Sam Okafor (Battersea agent) may approve it", posts.Text, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/api/approvals\">", posts.Text, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"seat\" value=\"battersea\">", posts.Text, StringComparison.Ordinal);
        var digest = System.Text.RegularExpressions.Regex.Match(posts.Text, "name=\"digest\" value=\"([0-9a-f]{64})\"").Groups[1].Value;

        var content = await _app.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>().LoadAsync(_app.Storage.Content, CancellationToken.None);
        var decision = await _app.Services.GetRequiredService<ApprovalDesk>().ApproveAsync(content, new SignedInUser(ApprovalTests.AgentId, "Priya"),
            new ApprovalRequest("winter-fuel", "battersea", digest), "http", _app.Storage.Approvals, CancellationToken.None);
        Assert.Equal(ApprovalOutcome.Approved, decision.Outcome);

        var after = await OpenAsync(token, "_posts");
        Assert.Matches("approved by Priya Shah \\(campaign agent\\) at 2026-11-30 12:0\\dZ", after.Text);
        Assert.DoesNotContain("<form method=\"post\"", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_key_is_rotated_an_old_link_is_refused_and_a_new_one_works()
    {
        var old = await CreateLinkAsync("""{"seat": "battersea"}""");
        Assert.Equal(200, (await OpenAsync(old, string.Empty)).Status);

        SetKey(Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 11)).ToArray()));

        var refused = await OpenAsync(old, string.Empty);
        Assert.Equal(403, refused.Status);
        Assert.Contains("This preview link is not valid", refused.Text, StringComparison.Ordinal);
        Assert.Equal(200, (await OpenAsync(await CreateLinkAsync("""{"seat": "battersea"}"""), string.Empty)).Status);
    }

    [Fact]
    public async Task Without_a_key_no_link_is_made_and_the_answer_names_the_secret_but_never_a_value()
    {
        SetKey("c2hvcnQ=");

        var request = _app.Request("POST", "/api/previews", """{"seat": "battersea"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(503, response.Status);
        Assert.Contains("The secret 'preview-link-key' in dotnet user-secrets is not a base64 key of at least 32 bytes", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_that_cannot_be_one_is_refused_without_the_key_being_read_and_a_missing_key_is_not_described_to_anyone()
    {
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");
        // The key unreadable: a link that could never be valid is refused as such, without reading the
        // store (every anonymous guess would otherwise cost a vault read), and a link that could be valid
        // is told only that previews are unavailable, not where or how the key is kept.
        SetKey("c2hvcnQ=");

        foreach (var junk in new[] { "not-a-token", "abc.def", token + "x", token[..token.IndexOf('.', StringComparison.Ordinal)] + ".AAAA" })
        {
            var refused = await OpenAsync(junk, string.Empty);
            Assert.Equal(403, refused.Status);
            Assert.Contains("This preview link is not valid", refused.Text, StringComparison.Ordinal);
        }

        var unavailable = await OpenAsync(token, string.Empty);
        Assert.Equal(503, unavailable.Status);
        Assert.Contains("Preview links are not available just now", unavailable.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("user-secrets", unavailable.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("preview-link-key", unavailable.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_opened_while_the_key_cannot_be_read_is_logged_without_its_token()
    {
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");
        SetKey("c2hvcnQ=");
        var log = new LogCapture<PreviewLink>();
        var function = new PreviewLink(_app.Storage, _app.Services.GetRequiredService<HostedPreview>(), _app.Services.GetRequiredService<PreviewKeys>(), _clock, log);

        var request = _app.Request("GET", $"/api/previews/{token}/battersea/topic-1/");
        var unavailable = await FunctionsApp.SendAsync(request, await function.Run(request, token, "battersea/topic-1/", CancellationToken.None));

        Assert.Equal(503, unavailable.Status);
        // The operators are told why, for which page, but whoever reads the log must not be able to open the link.
        var line = Assert.Single(log.Lines);
        Assert.Contains("preview-link-key", line, StringComparison.Ordinal);
        Assert.Contains("battersea/topic-1/", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.DoesNotContain(token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..], line, StringComparison.Ordinal);
    }

    /// <summary>Turns page approval on and opens Battersea's topic-1 through a new link: the link and the page.</summary>
    private async Task<(string Token, TestResponse Page)> OpenPageAwaitingApprovalAsync()
    {
        _content.Write("site.yaml", File.ReadAllText(Path.Combine(_content.Root, "site.yaml")).Replace("pages: false", "pages: true", StringComparison.Ordinal).TrimEnd('\n'));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        var token = await CreateLinkAsync("""{"seat": "battersea"}""");

        var page = await OpenAsync(token, "battersea/topic-1/");
        return (token, page);
    }

    [Fact]
    public async Task A_page_awaiting_approval_is_shown_with_its_state_and_a_button_bound_to_every_seats_version()
    {
        var (token, page) = await OpenPageAwaitingApprovalAsync();

        Assert.Equal(200, page.Status);
        Assert.Contains("Topic 1 in Battersea", page.Text, StringComparison.Ordinal);
        Assert.Contains("Page approval: awaiting approval; Priya Shah (campaign agent) may approve it", page.Text, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"page\" value=\"topic-1\">", page.Text, StringComparison.Ordinal);
        var forms = System.Text.RegularExpressions.Regex.Matches(page.Text, "<form .*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(2, forms.Count);
        Assert.Contains("Approve this page as every seat has it (3 seats)", forms[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"seat\"", forms[1].Value, StringComparison.Ordinal);
        var digest = System.Text.RegularExpressions.Regex.Match(forms[1].Value, "name=\"digest\" value=\"([0-9a-f]{64})\"").Groups[1].Value;

        var content = await _app.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>().LoadAsync(_app.Storage.Content, CancellationToken.None);
        var decision = await _app.Services.GetRequiredService<ApprovalDesk>().ApproveAsync(content, new SignedInUser(ApprovalTests.AgentId, "Priya"),
            new ApprovalRequest("page:topic-1", Digest: digest), "http", _app.Storage.Approvals, CancellationToken.None);
        Assert.Equal(("battersea,bethnal-green,bromley", ApprovalOutcome.Approved), (decision.Record?.Seats, decision.Outcome));

        var after = await OpenAsync(token, "battersea/topic-1/");
        Assert.Matches("Page approval: approved by Priya Shah \\(campaign agent\\) at 2026-11-30 12:0\\dZ", after.Text);
        Assert.DoesNotContain("name=\"page\"", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Page approval", (await OpenAsync(token, string.Empty)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_can_be_approved_for_the_seat_the_link_shows_alone_as_that_is_all_the_reviewer_saw()
    {
        // Its only button approved every seat's version, of which the link shows one.
        var (token, page) = await OpenPageAwaitingApprovalAsync();

        var form = System.Text.RegularExpressions.Regex.Match(page.Text, "<form .*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("Approve Battersea's version only", System.Net.WebUtility.HtmlDecode(form), StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"seat\" value=\"battersea\">", form, StringComparison.Ordinal);
        var digest = System.Text.RegularExpressions.Regex.Match(form, "name=\"digest\" value=\"([0-9a-f]{64})\"").Groups[1].Value;
        var signed = System.Text.RegularExpressions.Regex.Match(form, "name=\"token\" value=\"([^\"]+)\"").Groups[1].Value;
        var key = PreviewLinks.FromBase64(Key)!;
        Assert.True(key.CheckApproval(signed, ApprovalBook.PageItem("topic-1"), "battersea", digest, TestContent.Now));

        var content = await _app.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>().LoadAsync(_app.Storage.Content, CancellationToken.None);
        var decision = await _app.Services.GetRequiredService<ApprovalDesk>().ApproveAsync(content, new SignedInUser(ApprovalTests.AgentId, "Priya"),
            new ApprovalRequest("page:topic-1", "battersea", digest), "http", _app.Storage.Approvals, CancellationToken.None);
        Assert.Equal(("battersea", ApprovalOutcome.Approved), (decision.Record?.Seats, decision.Outcome));

        Assert.Matches("Page approval: approved by Priya Shah", (await OpenAsync(token, "battersea/topic-1/")).Text);
        var bromley = await OpenAsync(await CreateLinkAsync("""{"seat": "bromley"}"""), "bromley/topic-1/");
        Assert.Contains("Page approval: awaiting approval", bromley.Text, StringComparison.Ordinal);
    }
}
