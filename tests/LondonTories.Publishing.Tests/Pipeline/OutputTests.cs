using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>What associations pull: seat homes, pages.json, the manifest and the sitemap.</summary>
public sealed class OutputTests : IDisposable
{
    private readonly TestSite _site = new();

    public OutputTests()
    {
        _site.Page("pages/housing.md", "title: Housing in {{ constituency.name }}\nsummary: Homes\nweight: 2")
            .Page("pages/housing.bn.md", "title: আবাসন")
            .Page("pages/register.md", "title: Register to vote\nweight: 1")
            .Page("pages/later.md", "title: Later\npublish_at: 2027-06-01T09:00");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Pages_json_lists_every_page_of_the_seat_with_the_hash_of_its_html()
    {
        await _site.PublishAsync();

        using var json = JsonDocument.Parse(_site.Output("web/bethnal-green-and-stepney/pages.json"));
        var pages = json.RootElement.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(["register:en", "housing:en", "housing:bn"], pages.Select(p => $"{p.GetProperty("slug")}:{p.GetProperty("language")}"));
        foreach (var page in pages)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_site.OutDir, "web", page.GetProperty("path").GetString()!));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), page.GetProperty("sha256").GetString());
            Assert.StartsWith("https://www.example.org.uk/bethnal-green-and-stepney/", page.GetProperty("url").GetString());
            Assert.True(page.TryGetProperty("title", out _) && page.TryGetProperty("summary", out _));
        }

        Assert.Equal("Housing in Bethnal Green and Stepney", pages[1].GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_manifest_names_every_seat_and_page_and_only_files_that_exist()
    {
        await _site.PublishAsync();

        using var json = JsonDocument.Parse(_site.Output("web/manifest.json"));
        var seats = json.RootElement.GetProperty("constituencies").EnumerateArray().ToList();
        Assert.Equal(5, seats.Count);
        var pagePaths = seats.SelectMany(s => s.GetProperty("pages").EnumerateArray()).Select(p => p.GetProperty("path").GetString()!).ToList();
        Assert.Equal(11, pagePaths.Count);
        Assert.All(pagePaths, p => Assert.True(_site.Exists("web/" + p), p));
        Assert.DoesNotContain(pagePaths, p => p.Contains("later"));
        foreach (var file in json.RootElement.GetProperty("other_files").EnumerateObject())
        {
            Assert.True(_site.Exists("web/" + file.Name), file.Name);
        }
    }

    [Fact]
    public async Task The_manifest_lists_every_other_file_once_in_one_order_with_the_digest_of_its_bytes()
    {
        await _site.PublishAsync();

        using var json = JsonDocument.Parse(_site.Output("web/manifest.json"));
        var pages = json.RootElement.GetProperty("constituencies").EnumerateArray()
            .SelectMany(s => s.GetProperty("pages").EnumerateArray()).Select(p => p.GetProperty("path").GetString()!).ToHashSet();
        var others = json.RootElement.GetProperty("other_files").EnumerateObject().ToList();
        var web = Path.Combine(_site.OutDir, "web");
        var expected = Directory.EnumerateFiles(web, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(web, f).Replace('\\', '/'))
            .Where(p => p != "manifest.json" && !pages.Contains(p))
            .Order(StringComparer.Ordinal)
            .ToList();

        // Files made after the pages (each seat's pages.json and feeds, the sitemap, the hub) fall among the pages' fragments.
        Assert.Contains("sitemap.xml", expected);
        Assert.Contains(expected, p => p.EndsWith("/pages.json", StringComparison.Ordinal));
        Assert.Contains(expected, p => p.EndsWith("/fragment.html", StringComparison.Ordinal));
        Assert.Equal(expected, others.Select(o => o.Name));
        Assert.All(others, o => Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(web, o.Name)))), o.Value.GetString()));
    }

    [Fact]
    public async Task The_sitemap_lists_every_page_with_its_translations()
    {
        await _site.PublishAsync();

        var sitemap = XDocument.Parse(_site.Output("web/sitemap.xml"));
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var locations = sitemap.Descendants(ns + "loc").Select(l => l.Value).ToList();
        Assert.Contains("https://www.example.org.uk/", locations);
        Assert.Contains("https://www.example.org.uk/battersea/housing/", locations);
        Assert.Contains("https://www.example.org.uk/bethnal-green-and-stepney/bn/housing/", locations);
        Assert.Equal(1 + 5 + 1 + 11, locations.Count);
        XNamespace xhtml = "http://www.w3.org/1999/xhtml";
        Assert.Equal(4, sitemap.Descendants(xhtml + "link").Count());
    }

    [Fact]
    public async Task The_hub_links_every_seat_and_each_seat_home_lists_its_pages_in_order()
    {
        await _site.PublishAsync();

        var hub = _site.Output("web/index.html");
        foreach (var seat in new[] { "battersea", "tooting", "bromley-and-biggin-hill", "beckenham-and-penge", "bethnal-green-and-stepney" })
        {
            Assert.Contains($"href=\"https://www.example.org.uk/{seat}/\"", hub);
        }

        var home = _site.Output("web/battersea/index.html");
        Assert.True(home.IndexOf("Register to vote", StringComparison.Ordinal) < home.IndexOf("Housing in Battersea", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_page_carries_the_imprint_and_open_graph_tags()
    {
        await _site.PublishAsync();

        foreach (var path in _site.Snapshot().Keys.Where(p => p.EndsWith(".html", StringComparison.Ordinal)))
        {
            var html = _site.Output(path);
            Assert.Contains("Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.", html);
            if (path.EndsWith("/fragment.html", StringComparison.Ordinal))
            {
                // A fragment is embedded in another site's page, which has its own head.
                continue;
            }

            Assert.Contains("<meta property=\"og:title\"", html);
            Assert.Matches("<html lang=\"[a-z]+\" dir=\"(ltr|rtl)\">", html);
        }
    }
}
