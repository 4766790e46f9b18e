using System.Net;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>A page in error leaves the rest of the site to preview, with the error shown over it.</summary>
public sealed class PreviewErrorTests : IAsyncLifetime
{
    private InProcessPreview _preview = null!;

    public async Task InitializeAsync() =>
        // Started with the mistake already made, so there is no earlier render to fall back on.
        _preview = await InProcessPreview.StartAsync(content => content.Write("pages/broken.md", "---\ntitle: [unclosed\n---\nText.\n"));

    public async Task DisposeAsync() => await _preview.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(_preview.Url, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_page_in_error_shows_every_other_page_with_the_error_over_it_not_nothing_at_all()
    {
        // It showed "Nothing to show yet" for every page of every seat.
        var (status, body) = await GetAsync("battersea/topic-1/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("Nothing to show yet", body, StringComparison.Ordinal);
        Assert.Contains("Topic 1", body, StringComparison.Ordinal);
        Assert.Contains("broken.md", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_in_error_itself_is_not_found_and_says_why()
    {
        var (status, body) = await GetAsync("battersea/broken/");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("broken.md", body, StringComparison.Ordinal);
    }
}
