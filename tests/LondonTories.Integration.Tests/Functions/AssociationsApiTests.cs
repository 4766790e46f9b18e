using System.IO.Compression;
using System.Text.Json;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Mvc;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>The read-only API associations pull from: only what is published, with problems for what is not.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AssociationsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private FunctionsApp _app = null!;
    private DateTimeOffset _publishedAt;

    public async Task InitializeAsync()
    {
        _app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        var answer = await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);

        // The app's clock runs on from TestContent.Now, so the moment the site is dated with is the run's
        // own: on a busy machine the push before it can take the run past the first second.
        _publishedAt = Assert.IsType<PublishRun>(Assert.IsType<JsonResult>(answer).Value).Result!.Now;
    }

    [Fact]
    public async Task Constituencies_lists_every_published_seat_with_its_page_counts()
    {
        var request = _app.Request("GET", "/api/constituencies");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Constituencies>().Run(request, CancellationToken.None));

        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(response.Body);
        var seats = json.RootElement.GetProperty("constituencies").EnumerateArray().ToDictionary(s => s.GetProperty("slug").GetString()!);
        Assert.Equal(["battersea", "bethnal-green", "bromley"], seats.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, seats["battersea"].GetProperty("pageCount").GetInt32());
        Assert.Equal(5, seats["bethnal-green"].GetProperty("pageCount").GetInt32());
        Assert.Equal(1, seats["bethnal-green"].GetProperty("pagesByLanguage").GetProperty("bn").GetInt32());
        Assert.Equal("Bromley and Biggin Hill", seats["bromley"].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Pages_serves_pages_json_with_an_ETag_and_answers_304_when_it_is_unchanged()
    {
        var function = _app.Create<ConstituencyPages>();
        var request = _app.Request("GET", "/api/constituencies/battersea/pages");
        var response = await FunctionsApp.SendAsync(request, await function.Run(request, "battersea", CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        var published = await _app.Storage.Blobs.GetBlobContainerClient("$web").GetBlobClient("battersea/pages.json").DownloadContentAsync();
        Assert.Equal(published.Value.Content.ToArray(), response.Body);
        var etag = response.Headers.ETag.ToString();
        Assert.StartsWith("\"", etag, StringComparison.Ordinal);

        var again = _app.Request("GET", "/api/constituencies/battersea/pages", headers: new Dictionary<string, string> { ["If-None-Match"] = etag });
        var notModified = await FunctionsApp.SendAsync(again, await function.Run(again, "battersea", CancellationToken.None));

        Assert.Equal(304, notModified.Status);
        Assert.Empty(notModified.Body);
        Assert.Equal(etag, notModified.Headers.ETag.ToString());
    }

    [Fact]
    public async Task A_page_asked_for_by_an_old_slug_is_a_permanent_redirect_to_its_slug_now()
    {
        // The static site leads a renamed page's old address on to its new one; the API said no such page.
        _content.Write("pages/topic-2.md", """
            ---
            title: Topic 2
            weight: 2
            aliases: [old-topic]
            ---
            Topic 2 text.
            """);
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);

        var moved = await PageAsync("bromley", "old-topic", "?format=fragment");
        var unknown = await PageAsync("bromley", "no-such-topic");

        Assert.Equal(301, moved.Status);
        Assert.Equal("/api/constituencies/bromley/pages/topic-2?format=fragment", moved.Headers.Location.ToString());
        Assert.Equal("*", moved.Headers.AccessControlAllowOrigin.ToString());
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public async Task Page_serves_the_published_page_whole_or_as_a_fragment_with_the_imprint()
    {
        var page = await PageAsync("bromley", "topic-1");
        var fragment = await PageAsync("bromley", "topic-1", "?format=fragment");

        Assert.Equal(200, page.Status);
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        Assert.StartsWith("<!DOCTYPE html>", page.Text, StringComparison.Ordinal);
        Assert.Equal(200, fragment.Status);
        Assert.StartsWith("<article class=\"page-fragment\" lang=\"en\" dir=\"ltr\">", fragment.Text, StringComparison.Ordinal);
        Assert.Contains("Outer London residents see this paragraph.", fragment.Text, StringComparison.Ordinal);
        Assert.Contains("<p class=\"imprint\">Promoted by A Promoter, 1 Test Street, London SW1A 1AA.</p>", fragment.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragment.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<nav", fragment.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<header", fragment.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_serves_a_translation_for_lang()
    {
        var response = await PageAsync("bethnal-green", "topic-1", "?lang=bn&format=fragment");

        Assert.Equal(200, response.Status);
        Assert.Contains("বাংলায় বিষয় ১।", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BN")]
    [InlineData("Bn")]
    public async Task A_language_asked_for_in_capitals_is_the_same_language_as_language_tags_are_not_case_sensitive(string lang)
    {
        var response = await PageAsync("bethnal-green", "topic-1", $"?lang={lang}&format=fragment");

        Assert.Equal(200, response.Status);
        Assert.Contains("বাংলায় বিষয় ১।", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fragment_is_the_published_fragment_html_with_its_language_and_direction()
    {
        var web = _app.Storage.Blobs.GetBlobContainerClient("$web");
        using var pagesJson = JsonDocument.Parse((await web.GetBlobClient("bethnal-green/pages.json").DownloadContentAsync()).Value.Content.ToArray());
        var path = pagesJson.RootElement.GetProperty("pages").EnumerateArray()
            .Single(p => p.GetProperty("slug").GetString() == "topic-1" && p.GetProperty("language").GetString() == "bn").GetProperty("path").GetString()!;
        var published = (await web.GetBlobClient(path[..^"index.html".Length] + "fragment.html").DownloadContentAsync()).Value.Content.ToArray();

        var response = await PageAsync("bethnal-green", "topic-1", "?lang=bn&format=fragment");

        Assert.Equal(200, response.Status);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.StartsWith("<article class=\"page-fragment\" lang=\"bn\" dir=\"ltr\">", response.Text, StringComparison.Ordinal);
        Assert.Equal(published, response.Body);
    }

    [Theory]
    [InlineData("battersea", "draft", null)]
    [InlineData("battersea", "embargoed", null)]
    [InlineData("battersea", "topic-1", "bn")]
    [InlineData("battersea", "no-such-page", null)]
    [InlineData("nowhere", "topic-1", null)]
    [InlineData("..", "topic-1", null)]
    public async Task What_is_not_published_is_a_404_problem_without_a_stack_trace(string seat, string page, string? language)
    {
        var response = await PageAsync(seat, page, language is null ? "" : $"?lang={language}");

        AssertProblem(response, 404);
    }

    [Fact]
    public async Task Unknown_seats_are_404_problems_for_pages_and_bundles_alike()
    {
        var pagesRequest = _app.Request("GET", "/api/constituencies/nowhere/pages");
        AssertProblem(await FunctionsApp.SendAsync(pagesRequest, await _app.Create<ConstituencyPages>().Run(pagesRequest, "nowhere", CancellationToken.None)), 404);
        var bundleRequest = _app.Request("GET", "/api/constituencies/nowhere/bundle.zip");
        AssertProblem(await FunctionsApp.SendAsync(bundleRequest, await _app.Create<ConstituencyBundle>().Run(bundleRequest, "nowhere", CancellationToken.None)), 404);
    }

    [Fact]
    public async Task An_unknown_format_is_a_400_problem()
    {
        AssertProblem(await PageAsync("battersea", "topic-1", "?format=pdf"), 400);
    }

    [Fact]
    public async Task Bundle_zips_every_published_file_of_the_seat_and_the_sites_files_its_pages_use()
    {
        var request = _app.Request("GET", "/api/constituencies/bethnal-green/bundle.zip");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyBundle>().Run(request, "bethnal-green", CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/zip", response.ContentType);
        using var zip = new ZipArchive(new MemoryStream(response.Body));
        // Unpacked at the root of an association's own site, its pages find their stylesheet.
        var expected = (await TestStorage.ExpectedSiteAsync(_content, _publishedAt))
            .Where(e => e.Key.StartsWith("web/bethnal-green/", StringComparison.Ordinal) || e.Key == "web/assets/site.css")
            .ToDictionary(e => e.Key["web/".Length..], e => e.Value);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            Assert.Equal(expected[entry.FullName], bytes.ToArray());
        }

        var used = zip.Entries.Where(e => e.FullName.EndsWith(".html", StringComparison.Ordinal))
            .SelectMany(e => System.Text.RegularExpressions.Regex.Matches(new StreamReader(e.Open()).ReadToEnd(), "(?:src|href)=\"/([^/\"][^\"]*\\.(?:css|js|png|jpg|svg|webp))\"").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.Contains("assets/site.css", used);
        Assert.All(used, path => Assert.Contains(zip.Entries, e => e.FullName == path));
    }

    [Fact]
    public async Task Bundle_of_a_site_published_under_a_path_holds_the_stylesheet_its_pages_link_below_that_path()
    {
        using var content = new TestContent();
        content.Write("site.yaml", File.ReadAllText(Path.Combine(content.Root, "site.yaml")).Replace("base_url: https://test.example.org", "base_url: https://test.example.org/london", StringComparison.Ordinal));
        await using var app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(content.Root), app.Storage, CancellationToken.None);
        await app.Create<Publish>().Run(app.Request("POST", "/api/publish"), CancellationToken.None);

        var request = app.Request("GET", "/api/constituencies/battersea/bundle.zip");
        var response = await FunctionsApp.SendAsync(request, await app.Create<ConstituencyBundle>().Run(request, "battersea", CancellationToken.None));

        Assert.Equal(200, response.Status);
        using var zip = new ZipArchive(new MemoryStream(response.Body));
        using var page = new StreamReader(zip.GetEntry("battersea/index.html")!.Open());
        Assert.Contains("href=\"/london/assets/site.css\"", await page.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.NotNull(zip.GetEntry("assets/site.css"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    /// <summary>The page route's answer for a seat's page, with <paramref name="query"/> (from its '?') as a client would send it.</summary>
    private async Task<TestResponse> PageAsync(string seat, string page, string query = "")
    {
        var request = _app.Request("GET", $"/api/constituencies/{seat}/pages/{page}{query}");
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPage>().Run(request, seat, page, CancellationToken.None));
    }

    private static void AssertProblem(TestResponse response, int status)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", response.Text, StringComparison.Ordinal);
    }
}
