using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>Every value the built-in layouts show reaches the page as text, in elements and in attributes alike.</summary>
public sealed class LayoutEscapingTests : IDisposable
{
    private const string Attack = "\"><script>alert(1)</script>";

    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private async Task AssertNoMarkupEscapes()
    {
        var result = await _site.PublishAsync();
        if (!result.Succeeded)
        {
            // Refusing the value outright is as good as escaping it: nothing is published.
            Assert.Contains(result.Diagnostics, d => d.IsError);
            Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
            return;
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*.html", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("<script", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Site_values_are_escaped_in_every_page()
    {
        // base_url cannot carry markup: it is refused unless it is a plain https URL (see InputRuleTests).
        _site.Write("site.yaml", TestSite.SiteYaml
            .Replace("title: London Conservatives", $"title: 'London {Attack}'", StringComparison.Ordinal)
            .Replace("promoter: Sam Okafor", $"promoter: 'Sam {Attack}'", StringComparison.Ordinal));
        _site.Page("pages/housing.md", $"title: 'Housing {Attack}'\nsummary: 'Homes {Attack}'", "Homes.\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*.html", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("<script", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
        }

        var page = _site.Output("web/battersea/housing/index.html");
        Assert.Contains("<h1>Housing &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>", page);
    }

    [Fact]
    public async Task A_pictures_words_are_escaped_in_the_cards_of_every_page()
    {
        // The words of a picture in a page's text are read from its source, before the body is sanitised.
        _site.Write("static/images/a.png", "(a picture)");
        _site.Page("pages/housing.md", $"title: Housing\nimage: /images/a.png\nimage_alt: 'Homes {Attack}'", "Homes.\n")
            .Page("pages/transport.md", "title: Transport", $"Buses.\n\n<img src=\"/images/a.png\" alt='Buses {Attack}'>\n");

        await AssertNoMarkupEscapes();

        Assert.Contains("<meta property=\"og:image:alt\" content=\"Homes &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">", _site.Output("web/battersea/housing/index.html"));
        Assert.Contains("<meta property=\"og:image:alt\" content=\"Buses &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">", _site.Output("web/battersea/transport/index.html"));
    }

    [Fact]
    public async Task A_hostile_language_never_reaches_a_page_as_markup()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("language: en", $"language: 'en{Attack}'", StringComparison.Ordinal));
        _site.Page("pages/housing.md", "title: Housing", "Homes.\n");

        await AssertNoMarkupEscapes();
    }

    [Fact]
    public async Task Seat_fields_are_escaped_in_every_page()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml
            .Replace("name: Battersea\n", $"name: 'Battersea {Attack}'\n", StringComparison.Ordinal)
            .Replace("boroughs: [Wandsworth]\n    tags: [inner-london, south]\n", $"boroughs: ['Wandsworth {Attack}']\n    tags: [inner-london, south]\n", StringComparison.Ordinal)
            .Replace("name: Battersea Conservatives", $"name: 'Battersea Conservatives {Attack}'", StringComparison.Ordinal)
            .Replace("email: office@battersea.example.org.uk", $"email: 'office@battersea.example.org.uk{Attack}'", StringComparison.Ordinal));
        _site.Page("pages/housing.md", "title: Housing", "Homes.\n");

        await AssertNoMarkupEscapes();
    }
}
