using System.Text.Json;
using System.Text.RegularExpressions;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Mvc;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>What a careless or hostile caller sends to the app's HTTP routes: each is answered with a 4xx or served safely, never a 500.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpSurfaceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 5)).ToArray());

    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), $"londontories-secrets-{Guid.NewGuid():N}.json");
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(_secrets, $$"""{"{{PreviewKeys.SecretName}}": "{{Key}}"}""");
        // A layout with a script, as an editor may write one: on the app's own host it would act for a signed-in approver.
        var layout = File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "functions", "LondonTories.Publishing", "Rendering", "DefaultLayouts", "page.html"));
        _content.Write("layouts/page.html", layout.Replace("</body>", "<script>fetch('/api/approvals', {method: 'POST', body: '{\"post\": \"winter-fuel\"}'})</script>\n</body>", StringComparison.Ordinal));
        _app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now), new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = "True" },
            new UserSecretsStore("tests", _secrets));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
        File.Delete(_secrets);
    }

    [Theory]
    [InlineData("html")]
    [InlineData("fragment")]
    public async Task A_published_page_served_on_the_apps_own_host_can_run_no_script_and_post_no_form(string format)
    {
        var request = _app.Request("GET", $"/api/constituencies/bromley/pages/topic-1?format={format}");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPage>().Run(request, "bromley", "topic-1", CancellationToken.None));

        Assert.Equal(200, response.Status);
        if (format == "html")
        {
            Assert.Contains("<script>fetch('/api/approvals'", response.Text, StringComparison.Ordinal);
        }

        var policy = response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
    }

    [Theory]
    // What a form or a URL template sends for a field left blank: the same as leaving it out.
    [InlineData("?lang=")]
    [InlineData("?format=")]
    [InlineData("?lang=&format=")]
    public async Task A_page_asked_for_with_an_empty_lang_or_format_is_the_page_in_its_defaults(string query)
    {
        var plain = _app.Request("GET", "/api/constituencies/bromley/pages/topic-1");
        var expected = await FunctionsApp.SendAsync(plain, await _app.Create<ConstituencyPage>().Run(plain, "bromley", "topic-1", CancellationToken.None));
        var request = _app.Request("GET", $"/api/constituencies/bromley/pages/topic-1{query}");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPage>().Run(request, "bromley", "topic-1", CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal(expected.Body, response.Body);
    }

    [Fact]
    public async Task Pages_json_and_problems_are_not_sniffed_as_html()
    {
        var request = _app.Request("GET", "/api/constituencies/bromley/pages");
        var pages = await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPages>().Run(request, "bromley", CancellationToken.None));
        var missing = _app.Request("GET", "/api/constituencies/bromley/pages/%3Cscript%3E");
        var problem = await FunctionsApp.SendAsync(missing, await _app.Create<ConstituencyPage>().Run(missing, "bromley", "<script>alert(1)</script>", CancellationToken.None));

        Assert.Equal("nosniff", pages.Headers.XContentTypeOptions.ToString());
        Assert.Equal(404, problem.Status);
        Assert.Equal("nosniff", problem.Headers.XContentTypeOptions.ToString());
    }

    [Theory]
    [InlineData("\"72\"")]
    [InlineData("1e300")]
    [InlineData("true")]
    [InlineData("null")]
    public async Task A_link_asked_for_a_lifetime_that_is_not_a_number_of_hours_is_400(string hours)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "hours": {{hours}}}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains("hours", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e-300")]
    [InlineData("0.001")]
    public async Task A_link_asked_for_a_lifetime_that_ends_before_anybody_could_open_it_is_400_not_201_for_a_link_already_gone(string hours)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "hours": {{hours}}}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("hours: a link lasts at least a minute and at most 720 hours.", JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"seat": "battersea", "at": 1796112000}""", "at")]
    [InlineData("""{"seat": "battersea", "language": ["bn"]}""", "language")]
    [InlineData("""{"seat": "battersea", "markdown": {"text": "Draft"}}""", "markdown")]
    [InlineData("""{"seat": "battersea", "markdown": "Draft", "path": 7}""", "path")]
    public async Task A_link_asked_for_with_a_field_that_is_not_a_string_is_400_not_a_link_to_something_else(string body, string field)
    {
        var request = _app.Request("POST", "/api/previews", body);
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains($"{field}:", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/previews/", response.Text.Replace("\"instance\":\"/api/previews\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batersea", "seat: no constituency has that slug. Did you mean 'battersea'?")]
    [InlineData("Bethnal Green and Stepney", "seat: no constituency has that slug. Did you mean 'bethnal-green'?")]
    [InlineData("nowhere-at-all", "seat: no constituency has that slug; name one by its slug, e.g. {\"seat\": \"battersea\"}.")]
    public async Task A_link_asked_for_a_seat_that_is_not_one_says_so_and_suggests_the_nearest_not_to_say_which_seat(string seat, string detail)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "{{seat}}"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal(detail, JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("pages/policy\\\\housing.md", "---\\ntitle: Housing\\n---\\nWords.\\n", "pages/policy\\housing.md")]
    [InlineData("pages/housing\\n.md", "---\\ntitle: Housing\\n---\\nWords.\\n", "\\u000A")]
    [InlineData("pages/Housing Plan.md", "---\\ntitle: Housing\\n---\\nWords.\\n", "Housing Plan")]
    [InlineData("pages/housing.md", "---\\ntitel: Housing\\n---\\nWords.\\n", "titel")]
    public async Task A_link_to_a_draft_the_content_cannot_hold_is_422_naming_the_errors_not_a_link_that_opens_on_them_alone(string path, string markdown, string named)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "path": "{{path}}", "markdown": "{{markdown}}"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(422, response.Status);
        var diagnostics = JsonDocument.Parse(response.Text).RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(diagnostics, d => d.Contains(named, StringComparison.Ordinal) && d.Contains(": error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("/api/previews/", response.Text.Replace("\"instance\":\"/api/previews\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_asked_for_with_a_path_but_no_draft_is_400_not_a_link_to_the_seat_s_home_that_shows_no_draft()
    {
        var request = _app.Request("POST", "/api/previews", """{"seat": "battersea", "path": "pages/housing.md"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("path: it says where a draft goes, and no markdown was sent;", JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_draft_is_made_while_the_content_has_errors_of_its_own_elsewhere()
    {
        _content.Write("pages/broken.md", "---\ntitel: Broken\n---\nWords.\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);

        var request = _app.Request("POST", "/api/previews", """{"seat": "battersea", "path": "pages/housing.md", "markdown": "---\ntitle: Housing\n---\nWords.\n"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(201, response.Status);
    }

    [Fact]
    public async Task A_link_asked_for_a_seat_of_a_megabyte_is_refused_at_once_not_compared_with_every_seat_letter_by_letter()
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "{{new string('b', 1_000_000)}}"}""");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_link_asked_for_with_a_blank_language_is_to_the_seat_s_main_language_as_when_it_is_left_out()
    {
        var request = _app.Request("POST", "/api/previews", """{"seat": "battersea", "language": ""}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(201, response.Status);
        Assert.Equal("en", JsonDocument.Parse(response.Text).RootElement.GetProperty("language").GetString());
    }

    [Theory]
    [InlineData("../../battersea")]
    [InlineData("xx")]
    [InlineData("BN")]
    public async Task A_link_asked_for_a_language_the_seat_does_not_publish_is_400(string language)
    {
        var request = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "language": "{{language}}"}""");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Previews>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains("language", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(language, response.Text, StringComparison.Ordinal);

        var bengali = _app.Request("POST", "/api/previews", """{"seat": "bethnal-green", "language": "bn"}""");
        Assert.Equal(201, (await FunctionsApp.SendAsync(bengali, await _app.Create<Previews>().Run(bengali, CancellationToken.None))).Status);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_malformed_approval_form_is_400_not_a_server_error(string contentType)
    {
        var request = _app.Request("POST", "/api/approvals", "--x\r\nContent-Disposition: form-data\r\n\r\n" + new string('%', 10) + "&=%zz", new Dictionary<string, string>
        {
            ["X-MS-CLIENT-PRINCIPAL-ID"] = ApprovalTests.AgentId,
            ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
        });
        request.ContentType = contentType;
        var response = await FunctionsApp.SendAsync(request, await _app.Create<global::LondonTories.Functions.Approvals>().Run(request, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Approving_from_one_seats_preview_approves_that_seats_post_only_not_versions_the_approver_never_saw()
    {
        var create = _app.Request("POST", "/api/previews", """{"seat": "battersea"}""");
        var created = await FunctionsApp.SendAsync(create, await _app.Create<Previews>().Run(create, CancellationToken.None));
        using var link = JsonDocument.Parse(created.Text);
        var token = link.RootElement.GetProperty("url").GetString()!.Split('/')[^2];
        var open = _app.Request("GET", $"/api/previews/{token}/_posts");
        var posts = await FunctionsApp.SendAsync(open, await _app.Create<PreviewLink>().Run(open, token, "_posts", CancellationToken.None));
        Assert.Contains("Winter fuel help for Battersea", posts.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Winter fuel help for Bromley", posts.Text, StringComparison.Ordinal);

        // The button's form, sent as the reviewer's browser sends it.
        var fields = Regex.Matches(posts.Text, "<input type=\"hidden\" name=\"([a-z]+)\" value=\"([^\"]*)\">")
            .Select(m => $"{m.Groups[1].Value}={Uri.EscapeDataString(System.Net.WebUtility.HtmlDecode(m.Groups[2].Value))}");
        var approve = _app.Request("POST", "/api/approvals", string.Join('&', fields), new Dictionary<string, string>
        {
            ["X-MS-CLIENT-PRINCIPAL-ID"] = ApprovalTests.AgentId,
            ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
            ["Origin"] = "https://londontories.example.net",
        });
        approve.ContentType = "application/x-www-form-urlencoded";
        var response = await FunctionsApp.SendAsync(approve, await _app.Create<global::LondonTories.Functions.Approvals>().Run(approve, CancellationToken.None));

        Assert.Equal(201, response.Status);
        var record = Assert.Single(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
        Assert.Equal("battersea", record.Seats);
    }

    private static Dictionary<string, string> Approver() => new()
    {
        ["X-MS-CLIENT-PRINCIPAL-ID"] = ApprovalTests.AgentId,
        ["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad",
        ["Origin"] = "https://londontories.example.net",
    };

    private async Task<TestResponse> ApproveAsync(string body, string contentType)
    {
        var approve = _app.Request("POST", "/api/approvals", body, Approver());
        approve.ContentType = contentType;
        return await FunctionsApp.SendAsync(approve, await _app.Create<global::LondonTories.Functions.Approvals>().Run(approve, CancellationToken.None));
    }

    [Theory]
    // A form written into a layout or a page, shown in a preview on the app's own host, as a signed-in approver's browser sends it.
    [InlineData("post=winter-fuel", "application/x-www-form-urlencoded")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"post\"\r\n\r\nwinter-fuel\r\n--b--\r\n", "multipart/form-data; boundary=b")]
    // A form may send text/plain, which can be made to read as JSON: {"post": "winter-fuel", "x": "="}.
    [InlineData("{\"post\": \"winter-fuel\", \"x\": \"=\"}", "text/plain")]
    public async Task A_form_the_app_did_not_make_cannot_approve_through_a_signed_in_approvers_browser(string body, string contentType)
    {
        var response = await ApproveAsync(body, contentType);

        Assert.InRange(response.Status, 400, 499);
        Assert.Contains(response.Status == 415 ? "application/json" : "approve button", response.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_approval_or_a_preview_link_asked_for_with_a_huge_body_is_413_before_it_is_read_whole()
    {
        // A field padded out to 8 MB: the route needs a few hundred bytes, and the host would take 100 MB.
        var padding = new string('a', 8 * 1024 * 1024);
        var approval = await ApproveAsync($$"""{"post": "winter-fuel", "x": "{{padding}}"}""", "application/json");
        var form = await ApproveAsync($"post=winter-fuel&x={padding}", "application/x-www-form-urlencoded");
        var previews = _app.Request("POST", "/api/previews", $$"""{"seat": "battersea", "draft": "{{padding}}"}""");
        var preview = await FunctionsApp.SendAsync(previews, await _app.Create<Previews>().Run(previews, CancellationToken.None));

        Assert.Equal((413, 413, 413), (approval.Status, form.Status, preview.Status));
        Assert.Contains("at most", approval.Text, StringComparison.Ordinal);
        Assert.Contains("at most", preview.Text, StringComparison.Ordinal);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_preview_buttons_form_approves_only_what_it_was_made_for()
    {
        var create = _app.Request("POST", "/api/previews", """{"seat": "battersea"}""");
        var created = await FunctionsApp.SendAsync(create, await _app.Create<Previews>().Run(create, CancellationToken.None));
        using var link = JsonDocument.Parse(created.Text);
        var token = link.RootElement.GetProperty("url").GetString()!.Split('/')[^2];
        var open = _app.Request("GET", $"/api/previews/{token}/_posts");
        var posts = await FunctionsApp.SendAsync(open, await _app.Create<PreviewLink>().Run(open, token, "_posts", CancellationToken.None));
        var fields = Regex.Matches(posts.Text, "<input type=\"hidden\" name=\"([a-z]+)\" value=\"([^\"]*)\">")
            .ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
        string Form(IReadOnlyDictionary<string, string> values) => string.Join('&', values.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));

        // The same token with another seat, or without the seat (every seat), is not the form the app made.
        var otherSeat = await ApproveAsync(Form(new Dictionary<string, string>(fields) { ["seat"] = "bromley" }), "application/x-www-form-urlencoded");
        var everySeat = await ApproveAsync(Form(fields.Where(f => f.Key != "seat").ToDictionary()), "application/x-www-form-urlencoded");
        Assert.Equal(403, otherSeat.Status);
        Assert.Equal(403, everySeat.Status);
        Assert.Empty(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None));

        Assert.Equal(201, (await ApproveAsync(Form(fields), "application/x-www-form-urlencoded")).Status);
        Assert.Equal("battersea", Assert.Single(await _app.Storage.Approvals.ReadAllAsync(CancellationToken.None)).Seats);
    }

    [Fact]
    public async Task Many_readers_asking_at_once_for_a_new_bundle_have_it_built_once()
    {
        var files = 0;
        await foreach (var _ in _app.Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "bromley/" }))
        {
            files++;
        }

        _app.Log.Clear();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            var request = _app.Request("GET", "/api/constituencies/bromley/bundle.zip");
            return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyBundle>().Run(request, "bromley", CancellationToken.None));
        }));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers.Select(a => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(a.Body))).Distinct());
        var downloads = _app.Log.Requests.Count(r => r.Method == "GET" && r.Uri.AbsolutePath.Contains("/$web/bromley/", StringComparison.Ordinal));
        Assert.Equal(files, downloads);
    }

    [Theory]
    [InlineData("/api/publish?force=false&force=true", "force")]
    [InlineData("/api/rollback?to=20261130T120000Z-1a2b3c4d&to=20261201T120000Z-5e6f7a8b", "to")]
    [InlineData("/api/constituencies/battersea/changes?since=seq-1&since=seq-2", "since")]
    [InlineData("/api/constituencies/battersea/pages/topic-1?format=html&format=fragment", "format")]
    [InlineData("/api/constituencies/battersea/pages/topic-1?lang=en&lang=bn", "lang")]
    [InlineData("/api/preview?seat=battersea&seat=bromley", "seat")]
    public async Task A_query_parameter_given_twice_is_400_naming_it_not_the_first_taken_and_the_second_passed_over(string url, string name)
    {
        var request = _app.Request(url.StartsWith("/api/constituencies", StringComparison.Ordinal) ? "GET" : "POST", url, url.StartsWith("/api/preview", StringComparison.Ordinal) ? "---\ntitle: Fine\n---\nFine.\n" : null);
        IActionResult result = url.Split('?')[0] switch
        {
            "/api/publish" => await _app.Create<Publish>().Run(request, CancellationToken.None),
            "/api/rollback" => await _app.Create<Rollback>().Run(request, CancellationToken.None),
            "/api/preview" => await _app.Create<LondonTories.Functions.Preview>().Run(request, CancellationToken.None),
            "/api/constituencies/battersea/changes" => await _app.Create<Changes>().Run(request, "battersea", CancellationToken.None),
            _ => await _app.Create<ConstituencyPage>().Run(request, "battersea", "topic-1", CancellationToken.None),
        };
        var response = await FunctionsApp.SendAsync(request, result);

        Assert.Equal(400, response.Status);
        Assert.StartsWith($"{name}: it is given more than once;", JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_HEAD_request_is_answered_with_the_headers_a_GET_gets_and_a_preflight_allows_it()
    {
        var get = _app.Request("GET", "/api/constituencies/bromley/pages");
        var got = await FunctionsApp.SendAsync(get, await _app.Create<ConstituencyPages>().Run(get, "bromley", CancellationToken.None));
        var head = _app.Request("HEAD", "/api/constituencies/bromley/pages");
        var headed = await FunctionsApp.SendAsync(head, await _app.Create<ConstituencyPages>().Run(head, "bromley", CancellationToken.None));
        var preflight = _app.Request("OPTIONS", "/api/constituencies/bromley/pages", headers: new Dictionary<string, string> { ["Origin"] = "https://battersea.example.org", ["Access-Control-Request-Method"] = "HEAD" });
        var allowed = await FunctionsApp.SendAsync(preflight, await _app.Create<ConstituencyPages>().Run(preflight, "bromley", CancellationToken.None));

        Assert.Equal(200, headed.Status);
        Assert.Equal(got.Headers.ETag.ToString(), headed.Headers.ETag.ToString());
        Assert.Equal(got.ContentType, headed.ContentType);
        Assert.Equal(204, allowed.Status);
        Assert.Contains("HEAD", allowed.Headers.AccessControlAllowMethods.ToString(), StringComparison.Ordinal);
    }
}
