using LondonTories.Publishing.Templates;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

public sealed class LayoutTests : IDisposable
{
    private readonly TestSite _site = new();

    public LayoutTests() => _site.Page("pages/housing.md", "title: Housing", "Homes.\n");

    public void Dispose() => _site.Dispose();

    /// <summary>The built-in footer partial, which an editor's copy replaces.</summary>
    private static string BuiltInFooter() =>
        File.ReadAllText(Path.Combine(TestSite.SampleContentDir, "..", "functions", "LondonTories.Publishing", "Rendering", "DefaultLayouts", "partials", "footer.html"));

    [Fact]
    public async Task A_content_layout_replaces_the_built_in_one_and_can_include_partials()
    {
        _site.Write("layouts/page.html", "<html lang=\"{{ language }}\"><body>{{ include \"partials/brand.html\" }}<h1>{{ page.title }}</h1>{{ content }}<p>{{ imprint.text }}</p></body></html>")
            .Write("layouts/partials/brand.html", "<strong>{{ site.title }} in {{ constituency.name }}</strong>");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(
            "<html lang=\"en\"><body><strong>London Conservatives in Battersea</strong><h1>Housing</h1><p>Homes.</p>\n<p>Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.</p></body></html>",
            _site.Output("web/battersea/housing/index.html"));
        Assert.Contains("class=\"page-list\"", _site.Output("web/battersea/index.html"));
    }

    [Theory]
    [InlineData("Page.html", "page.html")]
    [InlineData("pgae.html", "page.html")]
    [InlineData("seats.html", "seat.html")]
    public async Task A_layout_no_page_uses_and_nothing_includes_is_a_warning_naming_the_one_meant(string name, string meant)
    {
        // The built-in layout was used instead, and the editor's branding quietly did not apply.
        _site.Write($"layouts/{name}", "<html><body><h1>Ours</h1>{{ content }}<p>{{ imprint.text }}</p></body></html>");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "unused-layout");
        Assert.EndsWith($"layouts/{name}", warning.Location.Path, StringComparison.Ordinal);
        Assert.Contains($"'{meant}'", warning.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<nav>{{ include 'partials/menu.html' }}</nav>", null)]
    [InlineData("<nav>\n  {{ include 'partials/links.html' }}</nav>", "<ul>{{ include \"partials/menu.html\" }}</ul>")]
    public async Task A_partial_that_always_includes_itself_is_one_error_at_its_include_not_one_per_seat_at_the_seats(string menu, string? links)
    {
        // The engine gave up at its depth limit on every page, once per seat, each error placed in constituencies.yaml.
        _site.Write("layouts/page.html", "<html><body>{{ content }}<p>{{ imprint.text }}</p>{{ include 'partials/menu.html' }}</body></html>")
            .Write("layouts/partials/menu.html", menu);
        if (links is not null)
        {
            _site.Write("layouts/partials/links.html", links);
        }

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.All(errors, e => Assert.Equal("include-cycle", e.Code));
        var menuError = Assert.Single(errors, e => e.Location.Path.EndsWith("layouts/partials/menu.html", StringComparison.Ordinal));
        Assert.Equal(links is null ? (1, 9) : (2, 6), (menuError.Location.Line, menuError.Location.Column));
        Assert.Equal(links is null ? 1 : 2, errors.Count);
        Assert.Contains(links is null ? "partials/menu.html → partials/menu.html" : "partials/menu.html → partials/links.html → partials/menu.html", menuError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistake_in_an_editors_partial_that_a_built_in_layout_includes_is_reported_in_the_partial_not_at_every_page()
    {
        // Reported at line 1 of every page, in the built-in layout's name, with neither the partial's line nor a did-you-mean.
        var footer = BuiltInFooter();
        _site.Write("layouts/partials/footer.html", footer + "<p>{{ site.titel }}</p>\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.EndsWith("layouts/partials/footer.html", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal((footer.Split('\n').Length, 12), (error.Location.Line, error.Location.Column));
        Assert.Contains("'title'", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_editors_partial_that_makes_a_built_in_layout_too_long_is_reported_at_the_pages_it_made_too_long()
    {
        // The length is the whole page's, not one line's: reported where an editor can act, never in the built-in layout.
        var footer = BuiltInFooter();
        _site.Write("layouts/partials/footer.html", footer + "{{ for i in 1..900 }}{{ \"x\" | string.pad_right 1000 }}{{ end }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain(LayoutSet.BuiltInPrefix, e.Location.Path, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("the limit for one page", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_partial_that_includes_itself_only_under_a_condition_is_left_to_its_condition()
    {
        // A guarded include can end, so only the engine, running it, can tell.
        _site.Write("layouts/page.html", "<html><body>{{ content }}<p>{{ imprint.text }}</p>{{ include 'partials/menu.html' }}</body></html>")
            .Write("layouts/partials/menu.html", "<nav>{{ if false }}{{ include 'partials/menu.html' }}{{ end }}</nav>");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("<nav></nav>", _site.Output("web/battersea/housing/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_that_a_layout_includes_is_no_unused_layout()
    {
        _site.Write("layouts/page.html", "<html><body>{{ include 'brand.html' }}{{ content }}<p>{{ imprint.text }}</p></body></html>")
            .Write("layouts/brand.html", "<strong>{{ site.title }}</strong>");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "unused-layout");
    }

    [Fact]
    public async Task A_layout_without_the_imprint_cannot_publish()
    {
        _site.Write("layouts/page.html", "<html><body>{{ content }}</body></html>");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == "missing-imprint" && d.Location.Path.EndsWith("layouts/page.html"));
    }

    [Fact]
    public async Task Includes_cannot_leave_the_layouts_folder()
    {
        _site.Write("layouts/page.html", "{{ include \"../site.yaml\" }}{{ imprint.text }}");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("layouts/page.html") && d.Message.Contains("not a layout file"));
    }

    [Fact]
    public async Task An_include_of_a_misspelt_partial_names_the_partial_meant()
    {
        _site.Write("layouts/page.html", "<html><body>\n{{ include \"partials/heder.html\" }}\n{{ content }}<p>{{ imprint.text }}</p></body></html>");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((2, 4), (error.Location.Line, error.Location.Column));
        Assert.Contains("'partials/heder.html'", error.Message);
        Assert.Contains("Did you mean 'partials/header.html'?", error.Message + error.Hint);
    }

    [Fact]
    public async Task A_layout_error_names_the_layout_file_and_line()
    {
        _site.Write("layouts/page.html", "<html>\n<body>\n{{ imprint.text }}\n{{ page.nope }}\n</body></html>");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics.Where(d => d.IsError).DistinctBy(d => d.Location));
        Assert.EndsWith("layouts/page.html", error.Location.Path);
        Assert.Equal(4, error.Location.Line);
    }

    [Fact]
    public async Task A_folder_with_only_site_constituencies_and_pages_publishes_with_the_built_in_layouts()
    {
        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(_site.Exists("web/index.html"));
        Assert.True(_site.Exists("web/404.html"));
        Assert.True(_site.Exists("web/assets/site.css"));
        Assert.True(_site.Exists("web/battersea/index.html"));
    }

    [Theory]
    [InlineData("<div>", 5_000)]
    [InlineData("{{ for i in 1..1000 }}<div>{{ end }}", 5)]
    public async Task A_layout_that_nests_elements_thousands_deep_is_an_error_in_the_layout_not_minutes_of_checking_each_page(string opens, int times)
    {
        // Each element opened with the rest still open makes reading the page for its imprint take longer than the last.
        var layout = "<!DOCTYPE html><html><body>" + string.Concat(Enumerable.Repeat(opens, times)) + "<main>{{ content }}</main><p class=\"imprint\">{{ imprint.text | html.escape }}</p></body></html>";
        _site.Write("layouts/page.html", layout);

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("layout-depth", error.Code);
        Assert.EndsWith("layouts/page.html", error.Location.Path, StringComparison.Ordinal);
        Assert.Contains("nested more than 1,000 deep", error.Message, StringComparison.Ordinal);
    }
}
