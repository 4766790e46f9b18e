using System.Net;
using LondonTories.Cli.Preview;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>
/// The toolbar's time on the nights the clocks change: a wall-clock time that happens twice, or not
/// at all, is offered as the moments it can mean, and the moment chosen is kept exactly.
/// </summary>
public sealed class PreviewClockTests : IAsyncLifetime
{
    private InProcessPreview _preview = null!;

    public async Task InitializeAsync() => _preview = await InProcessPreview.StartAsync();

    public async Task DisposeAsync() => await _preview.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? cookie = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_preview.Url, pathAndQuery));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await http.SendAsync(request);
    }

    [Theory]
    [InlineData("2026-10-25T01:30", "2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00")]
    [InlineData("2027-03-28T01:30", "2027-03-28T01:30:00+00:00", "2027-03-28T01:30:00+01:00")]
    public async Task A_time_the_clocks_repeat_or_skip_is_offered_as_the_moments_it_can_mean_rather_than_refused(string typed, string first, string second)
    {
        using var response = await GetAsync($"_preview/go?now={Uri.EscapeDataString(typed)}&shown=2026-11-30T12:00&path=%2Fbattersea%2F");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"/_preview/go?now={Uri.EscapeDataString(first)}&path=%2Fbattersea%2F", body, StringComparison.Ordinal);
        Assert.Contains($"/_preview/go?now={Uri.EscapeDataString(second)}&path=%2Fbattersea%2F", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Not a valid time", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_of_two_equal_wall_clock_times_is_kept_as_chosen_and_shown_as_the_second()
    {
        using var chosen = await GetAsync($"_preview/go?now={Uri.EscapeDataString("2026-10-25T01:30:00+00:00")}&path=%2Fbattersea%2F");
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(PreviewServer.NowCookie + "=", StringComparison.Ordinal));
        var pair = cookie.Split(';')[0];

        using var page = await GetAsync("battersea/", pair);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Contains("value=\"2026-10-25T01:30\"", html, StringComparison.Ordinal);
        Assert.Contains("UTC+00:00, the second 01:30", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }
}
