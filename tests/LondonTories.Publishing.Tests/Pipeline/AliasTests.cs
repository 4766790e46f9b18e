using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>
/// A page renamed keeps its old addresses through <c>aliases:</c>: posts already sent and associations'
/// links lead on to the page instead of to "not found".
/// </summary>
public sealed class AliasTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Each_seat_s_old_address_leads_to_its_own_page_and_names_it()
    {
        _site.Page("pages/homes.md", "title: Homes in {{ constituency.name }}\naliases: [housing, housing-plans]");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        foreach (var (seat, name) in new[] { ("battersea", "Battersea"), ("tooting", "Tooting") })
        {
            foreach (var alias in new[] { "housing", "housing-plans" })
            {
                var html = _site.Output($"web/{seat}/{alias}/index.html");
                var url = $"https://www.example.org.uk/{seat}/homes/";
                Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0; url={url}\">", html, StringComparison.Ordinal);
                Assert.Contains($"<link rel=\"canonical\" href=\"{url}\">", html, StringComparison.Ordinal);
                Assert.Contains("<meta name=\"robots\" content=\"noindex\">", html, StringComparison.Ordinal);
                Assert.Contains($"<a href=\"{url}\">Homes in {name}</a>", html, StringComparison.Ordinal);
                Assert.Contains("Promoted by Sam Okafor", html, StringComparison.Ordinal);
            }
        }

        // Only the page itself is listed: an old address is no page of its own.
        Assert.DoesNotContain("/housing/", _site.Output("web/sitemap.xml"), StringComparison.Ordinal);
        using var pagesJson = System.Text.Json.JsonDocument.Parse(_site.Output("web/battersea/pages.json"));
        var pages = pagesJson.RootElement.GetProperty("pages").EnumerateArray().ToList();
        Assert.DoesNotContain(pages, p => p.GetProperty("slug").GetString() is "housing" or "housing-plans");
        Assert.Equal(["housing", "housing-plans"], pages.Single(p => p.GetProperty("slug").GetString() == "homes").GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task An_alias_taken_out_takes_its_old_address_with_it_and_one_left_alone_is_not_written_again()
    {
        _site.Page("pages/homes.md", "title: Homes\naliases: [housing]");
        Assert.True((await _site.PublishAsync()).Succeeded);

        var again = await _site.PublishAsync();
        Assert.DoesNotContain(again.WrittenPaths, p => p.Contains("/housing/", StringComparison.Ordinal));

        _site.Page("pages/homes.md", "title: Homes");
        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.False(_site.Exists("web/battersea/housing/index.html"));
        Assert.Contains("web/battersea/housing/index.html", result.DeletedPaths);
    }

    [Fact]
    public async Task A_translation_s_old_address_is_in_its_own_language()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("languages: []", "languages: [bn]", StringComparison.Ordinal))
            .Page("pages/homes.md", "title: Homes\naliases: [housing]")
            .Write("pages/homes.bn.md", "---\ntitle: বাসস্থান\n---\nবাসস্থান।\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var html = _site.Output("web/battersea/bn/housing/index.html");
        Assert.Contains("url=https://www.example.org.uk/battersea/bn/homes/", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"bn\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aliases: [homes]", "invalid-alias", "is the page's own slug")]
    [InlineData("aliases: [Old Housing]", "invalid-alias", "not a valid slug")]
    [InlineData("aliases: [/battersea/housing/]", "invalid-alias", "aliases: [housing]")]
    [InlineData("aliases: [register]", "alias-taken", "pages/register.md")]
    public void An_alias_that_cannot_lead_to_the_page_is_an_error_at_itself(string aliases, string code, string said)
    {
        _site.Page("pages/register.md", "title: Register")
            .Page("pages/homes.md", $"title: Homes\n{aliases}");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal(code, error.Code);
        Assert.EndsWith("pages/homes.md", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains(said, error.Message + " " + error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_pages_claiming_one_old_address_is_an_error_at_the_second()
    {
        _site.Page("pages/homes.md", "title: Homes\naliases: [housing]")
            .Page("pages/rents.md", "title: Rents\naliases: [housing]");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("alias-taken", error.Code);
        Assert.EndsWith("pages/rents.md", error.Location.Path, StringComparison.Ordinal);
        Assert.Contains("pages/homes.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_that_is_a_language_a_seat_publishes_in_is_an_error_naming_it()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("languages: []", "languages: [bn]", StringComparison.Ordinal))
            .Page("pages/homes.md", "title: Homes\naliases: [bn, old-homes]");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal(("alias-taken", 3), (error.Code, error.Location.Line));
        Assert.Contains("'bn' is a language", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_translation_takes_its_aliases_from_its_page()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("languages: []", "languages: [bn]", StringComparison.Ordinal))
            .Page("pages/homes.md", "title: Homes")
            .Write("pages/homes.bn.md", "---\ntitle: বাসস্থান\naliases: [housing]\n---\nবাসস্থান।\n");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal(("translation-key", 3), (error.Code, error.Location.Line));
    }
}
