using System.Net;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>The preview answers only requests addressed to this machine's loopback, so a rebound DNS name cannot read drafts.</summary>
public sealed class PreviewHostTests : IAsyncLifetime
{
    private InProcessPreview _preview = null!;

    public async Task InitializeAsync() => _preview = await InProcessPreview.StartAsync();

    public async Task DisposeAsync() => await _preview.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string? host)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_preview.Url, "battersea/"));
        if (host is not null)
        {
            request.Headers.Host = host.Replace("PORT", _preview.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return await http.SendAsync(request);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1:PORT")]
    [InlineData("localhost:PORT")]
    [InlineData("LOCALHOST:PORT")]
    [InlineData("[::1]:PORT")]
    public async Task Loopback_names_on_the_preview_port_are_served(string? host)
    {
        using var response = await GetAsync(host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example:PORT")]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1")]
    [InlineData("localhost:1")]
    [InlineData("127.0.0.1.nip.io:PORT")]
    [InlineData("localhost.evil.example:PORT")]
    public async Task Any_other_host_is_refused(string host)
    {
        using var response = await GetAsync(host);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("The preview answers only as 127.0.0.1, localhost or [::1]", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Battersea", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_not_sniffed_or_framed_by_other_sites()
    {
        using var response = await GetAsync(null);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'self'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("battersea/pages.json", "application/json")]
    [InlineData("battersea/feed.atom", "application/atom+xml")]
    [InlineData("sitemap.xml", "application/xml")]
    [InlineData("battersea/topic-1/fragment.html", "text/html")]
    public async Task An_index_feed_or_fragment_asked_for_at_once_is_served_when_the_site_is_rendered_not_held_forever(string path, string type)
    {
        // The request held back the background render it was waiting for, so it never answered; a fragment was 'not found' until then.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        using var response = await http.GetAsync(new Uri(_preview.Url, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(type, response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }
}
