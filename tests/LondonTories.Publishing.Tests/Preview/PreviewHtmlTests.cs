using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Preview;

namespace LondonTories.Publishing.Tests.Preview;

/// <summary>A page as the preview serves it: its links on the site kept inside the preview, wherever the site is published.</summary>
public sealed class PreviewHtmlTests
{
    private static Site SiteAt(string baseUrl) =>
        new("London Conservatives", baseUrl, "en", TimeZoneInfo.Utc, new Imprint("Sam Okafor", "4 Matthew Parker Street"), SourceLocation.StartOf("content/site.yaml"));

    private const string Page = """
        <link rel="stylesheet" href="{base_path}/assets/site.css">
        <a href="{base_url}/battersea/housing/">Housing</a> <a href="{base_path}/battersea/">Home</a> <a href="https://www.gov.uk/">GOV.UK</a>
        </body>
        """;

    [Theory]
    [InlineData("https://www.example.org.uk", "")]
    [InlineData("https://www.example.org.uk/london", "/london")]
    [InlineData("https://www.example.org.uk/london/", "/london")]
    public void A_page_of_a_site_published_under_a_path_is_served_with_its_stylesheet_and_links_at_the_previews_root(string baseUrl, string basePath)
    {
        var html = Page.Replace("{base_path}", basePath, StringComparison.Ordinal).Replace("{base_url}", baseUrl.TrimEnd('/'), StringComparison.Ordinal);

        var served = PreviewHtml.Decorate(html, SiteAt(baseUrl), "<script></script>");

        Assert.Contains("href=\"/assets/site.css\"", served, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/battersea/housing/\">Housing</a>", served, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/battersea/\">Home</a>", served, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.gov.uk/\">GOV.UK</a>", served, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://www.example.org.uk", "")]
    [InlineData("https://www.example.org.uk/london", "/london")]
    public void A_page_behind_a_preview_link_takes_its_stylesheet_and_links_through_the_link(string baseUrl, string basePath)
    {
        var html = "<html><head></head><body>" + Page.Replace("{base_path}", basePath, StringComparison.Ordinal).Replace("{base_url}", baseUrl, StringComparison.Ordinal) + "</html>";

        var served = HostedPreview.Mark(html, SiteAt(baseUrl), "/api/previews/t0ken/");

        Assert.Contains("href=\"/api/previews/t0ken/assets/site.css\"", served, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/api/previews/t0ken/battersea/housing/\">Housing</a>", served, StringComparison.Ordinal);
    }
}
