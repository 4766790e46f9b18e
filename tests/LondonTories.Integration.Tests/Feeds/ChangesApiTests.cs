using System.Text.Json;
using System.Xml.Linq;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>The delta endpoint and CORS on the anonymous read routes, through the Functions app's classes against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChangesApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TestContent _content = new();
    private readonly TestClock _clock = new(TestContent.Now);
    private FunctionsApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionsApp(azurite.NewAccount(), _clock);
        await PublishAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _content.Dispose();
    }

    [Fact]
    public async Task Changes_lists_what_was_added_updated_and_removed_since_a_cursor_and_nothing_twice()
    {
        var (status, first) = await GetChangesAsync("bethnal-green", null);
        Assert.Equal(200, status);
        Assert.Equal(["topic-1.bn", "topic-1.en", "topic-2.en", "topic-3.en", "topic-4.en"], Keys(first, "added"));
        var cursor = first.GetProperty("cursor").GetString()!;

        _content.Write("pages/topic-3.md", "---\ntitle: \"Topic 3 in {{ constituency.name }}\"\nweight: 3\n---\nNew words.");
        _content.Delete("pages/topic-4.md");
        _content.Write("pages/topic-5.md", "---\ntitle: Topic 5\n---\nFive.");
        _clock.Shift = TimeSpan.FromHours(1);
        await PublishAsync(force: true);

        var (_, second) = await GetChangesAsync("bethnal-green", cursor);
        Assert.Equal(["topic-5.en"], Keys(second, "added"));
        Assert.Equal(["topic-3.en"], Keys(second, "updated"));
        Assert.Equal(["topic-4.en"], Keys(second, "removed"));
        Assert.Equal(cursor, second.GetProperty("since").GetString());
        Assert.Equal("https://test.example.org/bethnal-green/topic-5/fragment.html",
            second.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "topic-5").GetProperty("fragment").GetString());
        var next = second.GetProperty("cursor").GetString()!;
        Assert.NotEqual(cursor, next);

        var (_, third) = await GetChangesAsync("bethnal-green", next);
        Assert.Empty(third.GetProperty("changes").EnumerateArray());
        Assert.Equal(next, third.GetProperty("cursor").GetString());
    }

    [Fact]
    public async Task A_page_removed_restored_and_removed_again_is_removed_for_a_reader_who_had_it_and_keeps_its_first_publication()
    {
        var (_, first) = await GetChangesAsync("bethnal-green", null);
        var cursor = first.GetProperty("cursor").GetString()!;
        var firstPublished = await AtomPublishedAsync("bethnal-green", "topic-4");
        var topic4 = File.ReadAllText(Path.Combine(_content.Root, "pages/topic-4.md"));

        _content.Delete("pages/topic-4.md");
        _clock.Shift = TimeSpan.FromHours(1);
        await PublishAsync(force: true);
        File.WriteAllText(Path.Combine(_content.Root, "pages/topic-4.md"), topic4);
        _clock.Shift = TimeSpan.FromHours(2);
        await PublishAsync(force: true);
        var restoredPublished = await AtomPublishedAsync("bethnal-green", "topic-4");
        var (_, restored) = await GetChangesAsync("bethnal-green", cursor);
        _content.Delete("pages/topic-4.md");
        _clock.Shift = TimeSpan.FromHours(3);
        await PublishAsync(force: true);

        var (_, changes) = await GetChangesAsync("bethnal-green", cursor);
        Assert.Equal(["topic-4.en"], Keys(changes, "removed"));
        Assert.Equal(firstPublished, restoredPublished);
        Assert.Equal(["topic-4.en"], Keys(restored, "added"));
        Assert.Empty(Keys(restored, "removed"));
    }

    [Fact]
    public async Task A_bad_cursor_and_an_unknown_seat_get_problems()
    {
        var (bad, problem) = await GetChangesAsync("battersea", "yesterday");
        var (unknown, _) = await GetChangesAsync("nowhere", null);

        // A date in a local style reads differently in different places (1 December or 12 January): only ISO 8601 is a time here.
        Assert.Equal(400, (await GetChangesAsync("battersea", "12/01/2026")).Item1);
        Assert.Equal(400, (await GetChangesAsync("battersea", "1 Dec 2026")).Item1);
        Assert.Equal(200, (await GetChangesAsync("battersea", "2026-11-30T12:00:00Z")).Item1);
        Assert.Equal(200, (await GetChangesAsync("battersea", "2026-11-30T12:00:00.2904250Z")).Item1);
        Assert.Equal(200, (await GetChangesAsync("battersea", "2026-11-30T12:00:00+01:00")).Item1);
        Assert.Equal(400, (await GetChangesAsync("battersea", "seq-x")).Item1);
        Assert.Equal(400, (await GetChangesAsync("battersea", "seq--1")).Item1);
        var (ahead, aheadProblem) = await GetChangesAsync("battersea", "seq-999999");
        Assert.Equal(400, ahead);
        Assert.Contains("ask again without since", aheadProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, bad);
        Assert.Contains("since 'yesterday' is not a cursor", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, unknown);
    }

    [Fact]
    public async Task A_time_whose_plus_a_query_string_read_as_a_space_is_told_how_to_write_the_plus_not_only_that_it_is_no_cursor()
    {
        var request = _app.Request("GET", "/api/constituencies/battersea/changes?since=2026-11-30T12:00:00+01:00");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Changes>().Run(request, "battersea", CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("since '2026-11-30T12:00:00 01:00' has a space where its offset's '+' was, as a query string reads a '+': write it as %2B (2026-11-30T12:00:00%2B01:00), or give the time in UTC with Z.",
            JsonDocument.Parse(response.Text).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_anonymous_read_routes_answer_CORS_for_GET_from_any_origin_without_credentials()
    {
        var origin = new Dictionary<string, string> { ["Origin"] = "https://battersea.example.org" };
        var get = _app.Request("GET", "/api/constituencies/battersea/pages", headers: origin);
        var answer = await FunctionsApp.SendAsync(get, await _app.Create<ConstituencyPages>().Run(get, "battersea", CancellationToken.None));
        var preflight = _app.Request("OPTIONS", "/api/constituencies/battersea/changes", headers: new Dictionary<string, string>
        {
            ["Origin"] = "https://battersea.example.org",
            ["Access-Control-Request-Method"] = "GET",
            ["Access-Control-Request-Headers"] = "if-none-match",
        });
        var preflightAnswer = await FunctionsApp.SendAsync(preflight, await _app.Create<Changes>().Run(preflight, "battersea", CancellationToken.None));
        var publish = _app.Request("POST", "/api/publish", headers: origin);
        var publishAnswer = await FunctionsApp.SendAsync(publish, await _app.Create<Publish>().Run(publish, CancellationToken.None));

        Assert.Equal(200, answer.Status);
        Assert.Equal("*", answer.Headers.AccessControlAllowOrigin.ToString());
        Assert.Contains("ETag", answer.Headers.AccessControlExposeHeaders.ToString(), StringComparison.Ordinal);
        Assert.False(answer.Headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.Equal(204, preflightAnswer.Status);
        Assert.Equal("GET, HEAD", preflightAnswer.Headers.AccessControlAllowMethods.ToString());
        Assert.Equal("If-None-Match, If-Modified-Since", preflightAnswer.Headers.AccessControlAllowHeaders.ToString());
        Assert.Empty(preflightAnswer.Body);
        Assert.False(publishAnswer.Headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    private static string[] Keys(JsonElement answer, string type) =>
        [.. answer.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("type").GetString() == type)
            .Select(c => $"{c.GetProperty("slug").GetString()}.{c.GetProperty("language").GetString()}").Order(StringComparer.Ordinal)];

    private async Task<(int Status, JsonElement Body)> GetChangesAsync(string seat, string? since)
    {
        var request = _app.Request("GET", $"/api/constituencies/{seat}/changes{(since is null ? string.Empty : "?since=" + Uri.EscapeDataString(since))}");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Changes>().Run(request, seat, CancellationToken.None));
        return (response.Status, JsonSerializer.Deserialize<JsonElement>(response.Body));
    }

    private async Task<string> AtomPublishedAsync(string seat, string page)
    {
        var atom = (await _app.Storage.Blobs.GetBlobContainerClient("$web").GetBlobClient($"{seat}/feed.atom").DownloadContentAsync()).Value.Content.ToString();
        XNamespace ns = "http://www.w3.org/2005/Atom";
        return XDocument.Parse(atom).Root!.Elements(ns + "entry")
            .Single(e => e.Elements(ns + "link").Any(l => l.Attribute("href")?.Value.EndsWith($"/{seat}/{page}/", StringComparison.Ordinal) == true))
            .Element(ns + "published")!.Value;
    }

    private async Task PublishAsync(bool force = false)
    {
        await ContentPusher.PushAsync(new FolderContentSource(_content.Root), _app.Storage, CancellationToken.None);
        var request = _app.Request("POST", force ? "/api/publish?force=true" : "/api/publish");
        var response = await FunctionsApp.SendAsync(request, await _app.Create<Publish>().Run(request, CancellationToken.None));
        Assert.Equal(200, response.Status);
    }
}
