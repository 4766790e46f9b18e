using System.Net;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>The preview serves a renamed page's old address as publish writes it, from the first request.</summary>
public sealed class PreviewAliasTests : IAsyncLifetime
{
    private InProcessPreview _preview = null!;

    public async Task InitializeAsync() =>
        _preview = await InProcessPreview.StartAsync(content => content.Write("pages/topic-2.md", "---\ntitle: \"Topic 2 in {{ constituency.name }}\"\naliases: [old-topic]\n---\nTopic 2.\n"));

    public async Task DisposeAsync() => await _preview.DisposeAsync();

    [Fact]
    public async Task An_old_address_leads_on_to_the_seat_s_page()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_preview.Url, "bromley/old-topic/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"0; url=", html, StringComparison.Ordinal);
        Assert.Contains("/bromley/topic-2/\">Topic 2 in Bromley and Biggin Hill</a>", html, StringComparison.Ordinal);
    }
}
