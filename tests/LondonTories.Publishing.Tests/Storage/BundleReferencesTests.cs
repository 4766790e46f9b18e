using System.Text;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class BundleReferencesTests
{
    private static List<string> Find(string name, string text) => BundleReferences.Find([(name, Encoding.UTF8.GetBytes(text))], "battersea/");

    [Fact]
    public void A_page_uses_its_stylesheet_pictures_and_downloads_from_outside_its_seat()
    {
        var used = Find("battersea/housing/index.html", """
            <link rel="stylesheet" href="/assets/site.css?v=2">
            <img src='/images/estate%20map.png' srcset="/images/estate-2x.png 2x, /images/estate-3x.png 3x" alt="">
            <a href="/leaflets/housing.pdf#page=2">Leaflet</a>
            <div style="background: url(/images/banner.jpg)"></div>
            """);

        Assert.Equal(["assets/site.css", "images/banner.jpg", "images/estate map.png", "images/estate-2x.png", "images/estate-3x.png", "leaflets/housing.pdf"], used);
    }

    [Fact]
    public void Under_a_base_path_a_page_uses_the_sites_files_below_it_and_nothing_elsewhere_on_the_domain()
    {
        var used = BundleReferences.Find([("battersea/housing/index.html", Encoding.UTF8.GetBytes("""
            <link rel="stylesheet" href="/london/assets/site.css"> <img src="/london/images/estate.png">
            <img src="/images/elsewhere.png"> <a href="/london/bromley/housing/">Bromley</a> <img src="/london/battersea/photo.jpg">
            """))], "battersea/", "/london");

        Assert.Equal(["assets/site.css", "images/estate.png"], used);
    }

    [Fact]
    public void Pages_feeds_the_seats_own_files_and_other_sites_are_not_taken()
    {
        var used = Find("battersea/index.html", """
            <a href="/">Home</a> <a href="/bromley/housing/">Bromley</a> <a href="/feed.atom">London</a>
            <link rel="alternate" href="/battersea/feed.atom"> <img src="/battersea/photo.jpg">
            <img src="//cdn.example.org/x.png"> <img src="https://example.org/y.png"> <img src="relative.png">
            <img src="/images/../../secrets.png"> <a href="/bromley/pages.json">
            """);

        Assert.Empty(used);
    }

    [Fact]
    public void A_stylesheet_uses_its_fonts_and_pictures()
    {
        var used = Find("assets/site.css", """@font-face { src: url("/assets/font.woff2") format("woff2"); } header { background: url('/assets/logo.svg'); }""");

        Assert.Equal(["assets/font.woff2", "assets/logo.svg"], used);
    }
}
