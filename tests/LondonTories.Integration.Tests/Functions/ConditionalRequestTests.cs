using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>No conditional header a caller sends can turn into a server error; each route answers 200, 304 or a 4xx.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConditionalRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private FunctionsApp _app = null!;

    public static TheoryData<string> Headers => ["*", "\"a\", \"b\"", "W/\"x\"", "garbage", "\"unterminated", "W/", "\"\"", ",", "\"a\" \"b\"", "*, \"a\""];

    public async Task InitializeAsync()
    {
        _app = new FunctionsApp(azurite.NewAccount(), new TestClock(TestContent.Now));
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    private async Task<TestResponse> PagesAsync(string? ifNoneMatch)
    {
        var request = _app.Request("GET", "/api/constituencies/battersea/pages", headers: ifNoneMatch is null ? null : new Dictionary<string, string> { ["If-None-Match"] = ifNoneMatch });
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPages>().Run(request, "battersea", CancellationToken.None));
    }

    private async Task<TestResponse> PageAsync(string? ifNoneMatch)
    {
        var request = _app.Request("GET", "/api/constituencies/bromley/pages/topic-1", headers: ifNoneMatch is null ? null : new Dictionary<string, string> { ["If-None-Match"] = ifNoneMatch });
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPage>().Run(request, "bromley", "topic-1", CancellationToken.None));
    }

    private async Task<TestResponse> BundleAsync(string? ifNoneMatch)
    {
        var request = _app.Request("GET", "/api/constituencies/bromley/bundle.zip", headers: ifNoneMatch is null ? null : new Dictionary<string, string> { ["If-None-Match"] = ifNoneMatch });
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyBundle>().Run(request, "bromley", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task Any_if_none_match_header_is_answered_200_or_304(string header)
    {
        foreach (var route in new Func<string?, Task<TestResponse>>[] { PagesAsync, PageAsync, BundleAsync })
        {
            var plain = await route(null);
            var response = await route(header);

            Assert.Equal(200, plain.Status);
            var expected = header.StartsWith('*') && header.Trim() == "*" ? 304 : 200;
            Assert.Equal(expected, response.Status);
            Assert.Equal(expected == 200 ? plain.Body : [], response.Body);
        }
    }

    [Fact]
    public async Task A_list_naming_the_current_version_is_answered_304()
    {
        foreach (var route in new Func<string?, Task<TestResponse>>[] { PagesAsync, PageAsync, BundleAsync })
        {
            var etag = (await route(null)).Headers.ETag.ToString();

            Assert.StartsWith("\"", etag, StringComparison.Ordinal);
            Assert.Equal(304, (await route($"\"other\", {etag}")).Status);
            Assert.Equal(304, (await route($"W/{etag}")).Status);
            Assert.Equal(304, (await route(etag)).Status);
        }
    }

    [Fact]
    public async Task The_etag_pages_json_gives_a_page_is_the_ETag_the_API_sends_for_it_so_it_gets_a_304()
    {
        var pagesRequest = _app.Request("GET", "/api/constituencies/bromley/pages");
        var pages = await FunctionsApp.SendAsync(pagesRequest, await _app.Create<ConstituencyPages>().Run(pagesRequest, "bromley", CancellationToken.None));
        using var json = System.Text.Json.JsonDocument.Parse(pages.Body);
        var etag = json.RootElement.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "topic-1").GetProperty("etag").GetString()!;
        var fragmentRequest = _app.Request("GET", "/api/constituencies/bromley/pages/topic-1?format=fragment");
        var fragment = await FunctionsApp.SendAsync(fragmentRequest, await _app.Create<ConstituencyPage>().Run(fragmentRequest, "bromley", "topic-1", CancellationToken.None));

        Assert.Equal(etag, (await PageAsync(null)).Headers.ETag.ToString());
        Assert.Equal(304, (await PageAsync(etag)).Status);
        Assert.Equal($"\"{Hashing.Sha256Hex(pages.Body)}\"", pages.Headers.ETag.ToString());
        Assert.Equal($"\"{Hashing.Sha256Hex(fragment.Body)}\"", fragment.Headers.ETag.ToString());
    }

    [Fact]
    public async Task A_page_and_pages_json_say_when_they_last_changed_and_if_modified_since_then_is_answered_304()
    {
        foreach (var route in new Func<IDictionary<string, string>?, Task<TestResponse>>[] { PagesSinceAsync, PageSinceAsync })
        {
            var plain = await route(null);
            var modified = plain.Headers.LastModified.ToString();
            var at = DateTimeOffset.Parse(modified, System.Globalization.CultureInfo.InvariantCulture);

            Assert.NotEmpty(modified);
            Assert.Equal(304, (await route(new Dictionary<string, string> { ["If-Modified-Since"] = modified })).Status);
            Assert.Equal(304, (await route(new Dictionary<string, string> { ["If-Modified-Since"] = at.AddDays(1).ToString("R") })).Status);
            var older = await route(new Dictionary<string, string> { ["If-Modified-Since"] = at.AddDays(-1).ToString("R") });
            Assert.Equal(200, older.Status);
            Assert.Equal(plain.Body, older.Body);
            Assert.Equal(200, (await route(new Dictionary<string, string> { ["If-Modified-Since"] = "not a date" })).Status);
            // If-None-Match decides when both are sent (RFC 9110 13.1.3).
            Assert.Equal(200, (await route(new Dictionary<string, string> { ["If-Modified-Since"] = modified, ["If-None-Match"] = "\"other\"" })).Status);
        }
    }

    [Fact]
    public async Task A_script_on_another_site_may_ask_if_modified_since_as_the_preflight_allows_the_header()
    {
        // A script's If-Modified-Since, like its If-None-Match, is not safelisted: the browser sends it only if the preflight names it.
        var preflight = _app.Request("OPTIONS", "/api/constituencies/bromley/pages/topic-1", headers: new Dictionary<string, string>
        {
            ["Origin"] = "https://bromley.example.org",
            ["Access-Control-Request-Method"] = "GET",
            ["Access-Control-Request-Headers"] = "if-modified-since",
        });
        var answer = await FunctionsApp.SendAsync(preflight, await _app.Create<ConstituencyPage>().Run(preflight, "bromley", "topic-1", CancellationToken.None));

        Assert.Equal(204, answer.Status);
        var allowed = answer.Headers.AccessControlAllowHeaders.ToString().Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("If-Modified-Since", allowed, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("If-None-Match", allowed, StringComparer.OrdinalIgnoreCase);
    }

    private async Task<TestResponse> PagesSinceAsync(IDictionary<string, string>? headers)
    {
        var request = _app.Request("GET", "/api/constituencies/battersea/pages", headers: headers);
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPages>().Run(request, "battersea", CancellationToken.None));
    }

    private async Task<TestResponse> PageSinceAsync(IDictionary<string, string>? headers)
    {
        var request = _app.Request("GET", "/api/constituencies/bromley/pages/topic-1", headers: headers);
        return await FunctionsApp.SendAsync(request, await _app.Create<ConstituencyPage>().Run(request, "bromley", "topic-1", CancellationToken.None));
    }

    [Fact]
    public async Task The_bundle_is_built_once_per_version_of_the_seat()
    {
        var first = await BundleAsync(null);
        _app.Log.Clear();

        var second = await BundleAsync(null);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Headers.ETag.ToString(), second.Headers.ETag.ToString());
        Assert.DoesNotContain(_app.Log.Requests, r => r.Method == "GET" && !r.Uri.Query.Contains("comp=list", StringComparison.Ordinal));

        _content.Write("pages/topic-1.md", "---\ntitle: Topic one, revised\n---\nRevised.\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);
        var third = await BundleAsync(null);

        Assert.NotEqual(first.Headers.ETag.ToString(), third.Headers.ETag.ToString());
        Assert.NotEqual(first.Body, third.Body);
    }

    [Fact]
    public async Task A_new_stylesheet_is_a_new_version_of_every_seats_bundle()
    {
        var first = await BundleAsync(null);

        _content.Write("static/assets/site.css", "body { color: #123456; }\n");
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        await _app.Create<Publish>().Run(_app.Request("POST", "/api/publish"), CancellationToken.None);
        var revalidated = await BundleAsync(first.Headers.ETag.ToString());
        var second = await BundleAsync(null);

        Assert.Equal(200, revalidated.Status);
        Assert.NotEqual(first.Headers.ETag.ToString(), second.Headers.ETag.ToString());
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(second.Body));
        using var css = new StreamReader(zip.GetEntry("assets/site.css")!.Open());
        Assert.Contains("color: #123456;", css.ReadToEnd(), StringComparison.Ordinal);
    }
}
