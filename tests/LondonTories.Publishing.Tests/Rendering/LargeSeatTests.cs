using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>The built-in layouts grow with the seat: no limit meant for editors' templates stops a big seat from publishing.</summary>
public sealed class LargeSeatTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_seat_with_1001_pages_publishes_and_its_home_lists_them_all()
    {
        for (var i = 0; i < 1001; i++)
        {
            _site.Page($"pages/p{i:0000}.md", $"title: Page {i}\naudience: [battersea]", "Text.\n");
        }

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Take(3)));
        var home = _site.Output("web/battersea/index.html");
        Assert.Equal(1001, System.Text.RegularExpressions.Regex.Matches(home, "<li>").Count);
        Assert.Contains("<a href=\"https://www.example.org.uk/battersea/p1000/\">Page 1000</a>", home);
    }

    [Fact]
    public async Task An_error_in_an_editors_layout_still_points_into_it()
    {
        _site.Page("pages/housing.md", "title: Housing", "Homes.\n");
        _site.Write("layouts/seat.html", "<p>{{ imprint.text }}</p>\n{{ for i in 1..2000 }}{{ i }}{{ end }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("layouts/seat.html", StringComparison.Ordinal) && d.Location.Line == 2);
    }
}
