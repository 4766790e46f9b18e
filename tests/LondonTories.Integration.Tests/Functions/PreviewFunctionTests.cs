using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class PreviewFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
    }

    [Fact]
    public async Task Preview_renders_a_posted_page_for_the_seat_and_writes_nothing()
    {
        _app.Log.Clear();
        var (status, html) = await PreviewAsync("?seat=bromley", "---\ntitle: \"New in {{ constituency.name }}\"\ndraft: true\n---\nHello {{ constituency.boroughs[0] }}.\n\n::: audience tag:inner-london\nInner only.\n:::\n");

        Assert.Equal(200, status);
        Assert.Contains("<h1>New in Bromley and Biggin Hill</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Hello Bromley.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Inner only.", html, StringComparison.Ordinal);
        Assert.Contains("Promoted by A Promoter", html, StringComparison.Ordinal);
        Assert.Empty(_app.Log.Writes);
    }

    [Theory]
    // What a form or a URL template sends for a field left blank: the same as leaving it out.
    [InlineData("?seat=bromley&lang=")]
    [InlineData("?seat=bromley&path=")]
    [InlineData("?seat=bromley&lang=&path=")]
    public async Task A_preview_asked_for_with_a_blank_lang_or_path_renders_as_without_them(string query)
    {
        const string markdown = "---\ntitle: \"New in {{ constituency.name }}\"\n---\nHello.\n";
        var (plainStatus, plain) = await PreviewAsync("?seat=bromley", markdown);

        var (status, html) = await PreviewAsync(query, markdown);

        Assert.Equal(200, plainStatus);
        Assert.True(status == 200, html);
        Assert.Contains("<h1>New in Bromley and Biggin Hill</h1>", html, StringComparison.Ordinal);
        Assert.Equal(plain.Length, html.Length);
    }

    [Fact]
    public async Task A_previewed_page_opened_in_a_browser_on_the_apps_own_host_runs_no_script()
    {
        var request = _app.Request("POST", "/api/preview?seat=bromley", "---\ntitle: Draft\n---\n<script>fetch('/api/approvals')</script>\n");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<LondonTories.Functions.Preview>().Run(request, CancellationToken.None));

        Assert.Equal(200, response.Status);
        var policy = response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains("script-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task Previewing_an_existing_page_gives_exactly_what_publish_writes()
    {
        var markdown = await File.ReadAllTextAsync(Path.Combine(_content.Root, "pages/topic-1.bn.md"));

        var (status, html) = await PreviewAsync("?seat=bethnal-green&lang=bn&path=pages/topic-1.bn.md", markdown);

        Assert.Equal(200, status);
        var expected = await TestStorage.ExpectedSiteAsync(_content);
        // When a page first went out is the site's history, not the page's: a preview shows its own moment.
        static string WithoutPublishedTime(string page) => System.Text.RegularExpressions.Regex.Replace(page, "<meta property=\"article:published_time\" content=\"[^\"]+\">", "<meta property=\"article:published_time\">");
        Assert.Equal(WithoutPublishedTime(System.Text.Encoding.UTF8.GetString(expected["web/bethnal-green/bn/topic-1/index.html"])), WithoutPublishedTime(html));
        Assert.Contains("<meta property=\"article:published_time\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_errors_in_the_posted_page_are_a_422_problem_listing_the_diagnostics()
    {
        var (status, body) = await PreviewAsync("?seat=battersea", "---\ntitle: Broken\nweight: heavy\n---\nBody.\n");

        Assert.Equal(422, status);
        using var problem = JsonDocument.Parse(body);
        // Warnings (such as a seat language without strings/<lang>.yaml) may come too; one error is the page's.
        var diagnostic = Assert.Single(problem.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!), d => d.Contains(": error: ", StringComparison.Ordinal));
        Assert.StartsWith("content/pages/preview.md:3:", diagnostic, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?seat=batersea", 404, "Did you mean 'battersea'?")]
    [InlineData("", 400, "?seat=battersea")]
    [InlineData("?seat=battersea&path=../site.yaml", 400, "under pages/")]
    [InlineData("?seat=battersea&lang=bn", 422, "would not publish this page in 'bn'")]
    public async Task Requests_that_cannot_be_previewed_are_problems_that_say_why(string query, int expectedStatus, string detail)
    {
        var (status, body) = await PreviewAsync(query, "---\ntitle: Fine\n---\nFine.\n");

        Assert.Equal(expectedStatus, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_larger_than_a_page_may_be_is_refused_with_413()
    {
        var (status, body) = await PreviewAsync("?seat=battersea", "---\ntitle: Long\n---\n" + new string('x', 1024 * 1024 + 1));

        Assert.Equal(413, status);
        Assert.Contains("at most 1024 KiB", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_within_the_limit_in_characters_but_over_it_in_bytes_is_refused_with_413_without_a_length()
    {
        // Bengali takes three bytes a character: a page of 400,000 characters is over 1 MiB.
        var request = _app.Request("POST", "/api/preview?seat=battersea", "---\ntitle: Long\n---\n" + new string('\u0995', 400_000));
        request.ContentLength = null;

        var response = await FunctionsApp.SendAsync(request, await _app.Create<LondonTories.Functions.Preview>().Run(request, CancellationToken.None));

        Assert.Equal(413, response.Status);
        Assert.Contains("at most 1024 KiB", response.Text, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    private async Task<(int Status, string Body)> PreviewAsync(string query, string markdown)
    {
        var request = _app.Request("POST", "/api/preview" + query, markdown);
        var response = await FunctionsApp.SendAsync(request, await _app.Create<LondonTories.Functions.Preview>().Run(request, CancellationToken.None));
        return (response.Status, response.Text);
    }
}
