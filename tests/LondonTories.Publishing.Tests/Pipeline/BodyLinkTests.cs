using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>A link in a page's text to an address of the site that nothing is published at is reported where it is written.</summary>
public sealed class BodyLinkTests : IDisposable
{
    private readonly TestSite _site = new();

    public BodyLinkTests()
    {
        _site.Page("pages/policy/housing.md", "title: Housing\nweight: 1")
            .Write("static/docs/manifesto.pdf", "%PDF-1.4");
    }

    public void Dispose() => _site.Dispose();

    private static IEnumerable<Diagnostic> LinkWarnings(PublishResult result) => result.Diagnostics.Where(d => d.Code == "broken-link");

    private Task<PublishResult> PublishAsync() => _site.PublishAsync();

    [Fact]
    public async Task A_link_to_a_content_folder_instead_of_the_pages_address_is_a_warning_with_the_address_it_meant()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2", "Intro.\n\nRead [our housing policy](/policy/housing/) today.\n");

        var result = await PublishAsync();

        Assert.True(result.Succeeded);
        var warning = Assert.Single(LinkWarnings(result));
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.EndsWith("content/pages/news.md", warning.Location.Path, StringComparison.Ordinal);
        Assert.True((7, 27) == (warning.Location.Line, warning.Location.Column), warning.ToString());
        Assert.Contains("'/policy/housing/'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(5, warning.Subjects.Length);
        Assert.Contains("/{{ constituency.slug }}/housing/", warning.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[the council](htps://www.gov.uk/council)", "htps", "Did you mean 'https://www.gov.uk/council'?")]
    [InlineData("[the council](http//www.gov.uk/council)", null, "Did you mean 'http://www.gov.uk/council'?")]
    [InlineData("[the council](javascript:alert(1))", "javascript", "Link to a web page instead.")]
    [InlineData("[the council](ftp://files.example.org/council.pdf)", "ftp", "Link to a web page instead.")]
    public async Task A_link_a_page_cannot_carry_is_a_warning_where_it_is_written_with_the_address_meant(string link, string? scheme, string hint)
    {
        _site.Page("pages/news.md", "title: News\nweight: 2", $"Intro.\n\nWrite to {link} today.\n");

        var result = await PublishAsync();

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics, d => d.Code is "unsafe-link" or "broken-link");
        Assert.EndsWith("content/pages/news.md", warning.Location.Path, StringComparison.Ordinal);
        // Where the link starts, or, for a link read as one to this site, where its address does.
        Assert.True((7, scheme is null ? 24 : 10) == (warning.Location.Line, warning.Location.Column), warning.ToString());
        if (scheme is not null)
        {
            Assert.Equal("unsafe-link", warning.Code);
            Assert.StartsWith($"a '{scheme}:' link is published without its address on every seat's page, its words unlinked", warning.Message, StringComparison.Ordinal);
        }

        Assert.StartsWith(hint, warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_another_site_written_without_https_is_a_warning_with_the_address_meant()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2", "Intro.\n\nSee [the council](www.gov.uk/council) today.\n");

        var result = await PublishAsync();

        var warning = Assert.Single(LinkWarnings(result));
        Assert.StartsWith("Did you mean 'https://www.gov.uk/council'? A link to another site is written in full, from its https://.", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_that_lead_somewhere_are_not_reported()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2",
            "[Housing](/{{ constituency.slug }}/housing/), [relative](../housing/), [no slash](../housing), [home](/), " +
            "[the manifesto](/docs/manifesto.pdf), [Tooting's](/tooting/housing/#top), [feed](/{{ constituency.slug }}/feed.atom), " +
            "[gov](https://www.gov.uk/housing), [mail](mailto:office@example.org.uk), [top](#top), [query](../housing/?a=1)\n");

        var result = await PublishAsync();

        Assert.True(result.Succeeded);
        Assert.Empty(LinkWarnings(result));
    }

    [Fact]
    public async Task Under_a_base_url_with_a_path_links_into_the_site_are_checked_below_it_and_the_stylesheet_is_found_there()
    {
        _site.PublishUnderAPath();
        _site.Page("pages/news.md", "title: News\nweight: 2",
            "[relative](../housing/), [from the root](/london/{{ constituency.slug }}/housing/), [manifesto](/london/docs/manifesto.pdf), " +
            "[full](https://www.example.org.uk/london/{{ constituency.slug }}/housing/), [the party](/join/), [nowhere](../nowhere/)\n\n" +
            "![The manifesto's cover](/london/docs/manifesto.pdf)\n");

        var result = await PublishAsync();

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "missing-image");
        var warning = Assert.Single(LinkWarnings(result));
        Assert.Contains("'../nowhere/'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/london/assets/site.css\">", _site.Output("web/battersea/news/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_base_url_with_a_path_a_link_from_the_domains_root_to_a_page_of_the_site_is_a_warning_with_the_address_meant()
    {
        _site.PublishUnderAPath();
        _site.Page("pages/news.md", "title: News\nweight: 2", "Read [our housing policy](/{{ constituency.slug }}/housing/) today.\n\n![The estate](/docs/estate.png)\n")
            .Write("static/docs/estate.png", "png");

        var result = await PublishAsync();

        var picture = Assert.Single(LinkWarnings(result), d => d.Message.Contains("picture", StringComparison.Ordinal));
        Assert.Contains("'/docs/estate.png' leads outside the site", picture.Message, StringComparison.Ordinal);
        Assert.StartsWith("Did you mean '/london/docs/estate.png'?", picture.Hint, StringComparison.Ordinal);
        Assert.True((7, 15) == (picture.Location.Line, picture.Location.Column), picture.ToString());
        var warning = Assert.Single(LinkWarnings(result), d => d != picture);
        Assert.Contains("'/{{ constituency.slug }}/housing/'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("outside the site, which is published under /london/", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith("Did you mean '/london/{{ constituency.slug }}/housing/'?", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_base_url_with_a_path_a_picture_written_relative_to_the_page_is_told_its_address_below_the_path()
    {
        _site.PublishUnderAPath();
        _site.Write("static/images/estate.png", "png");
        _site.Page("pages/news.md", "title: News\nweight: 2", "![The estate](images/estate.png)\n\n![The plan](/london/images/plan.png)\n");

        var result = await PublishAsync();

        var relative = Assert.Single(result.Diagnostics, d => d.Code == "missing-image" && d.Message.Contains("relative", StringComparison.Ordinal));
        Assert.Equal("Write it from the site's root, as '/london/images/estate.png'.", relative.Hint);
        var missing = Assert.Single(result.Diagnostics, d => d.Code == "missing-image" && d != relative);
        Assert.Contains("'/london/images/plan.png'", missing.Message, StringComparison.Ordinal);
        Assert.Equal("Did you mean '/london/images/estate.png'?", missing.Hint);
    }

    [Fact]
    public async Task A_missing_file_and_a_full_address_on_the_sites_own_domain_are_checked_too()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2",
            "[Old manifesto](/docs/manifesto-2024.pdf)\n\n[Full](https://www.example.org.uk/{{ constituency.slug }}/nowhere/)\n");

        var result = await PublishAsync();

        var warnings = LinkWarnings(result).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Message.Contains("'/docs/manifesto-2024.pdf'", StringComparison.Ordinal) && w.Location.Line == 5);
        Assert.Contains(warnings, w => w.Message.Contains("https://www.example.org.uk/", StringComparison.Ordinal) && w.Location.Line == 7);
    }

    [Fact]
    public async Task A_link_to_a_page_the_seat_does_not_get_says_so()
    {
        _site.Page("pages/later.md", "title: Later\npublish_at: 2027-06-01T09:00")
            .Page("pages/news.md", "title: News\nweight: 2", "See [later](/{{ constituency.slug }}/later/).\n");

        var result = await PublishAsync();

        var warning = Assert.Single(LinkWarnings(result));
        Assert.Contains("'later' is not published for these seats", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_translation_linking_to_a_page_not_translated_is_told_where_the_original_is()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2", "See [housing](../housing/).\n")
            .Page("pages/news.bn.md", "title: খবর", "দেখুন [আবাসন](../housing/)।\n");

        var result = await PublishAsync();

        var warning = Assert.Single(LinkWarnings(result));
        Assert.EndsWith("content/pages/news.bn.md", warning.Location.Path, StringComparison.Ordinal);
        Assert.Equal("bethnal-green-and-stepney", Assert.Single(warning.Subjects));
        Assert.Contains("has no 'bn' translation: link to the page in 'en' at '/{{ constituency.slug }}/housing/'", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_picture_written_as_html_that_nothing_is_published_at_is_reported_like_a_link()
    {
        _site.Write("static/images/team.jpg", "jpeg")
            .Page("pages/news.md", "title: News\nweight: 2", "<img src=\"/images/team.jpg\" alt=\"Team\">\n\n<img src=\"/images/missing.jpg\" alt=\"Gone\">\n");

        var result = await PublishAsync();

        var warning = Assert.Single(LinkWarnings(result));
        Assert.Contains("the picture '/images/missing.jpg'", warning.Message, StringComparison.Ordinal);
        Assert.Equal((7, 11), (warning.Location.Line, warning.Location.Column));
    }

    [Fact]
    public async Task Thousands_of_broken_links_on_one_page_are_each_reported_where_written_in_one_pass_over_the_text()
    {
        // Finding where each link is written once per link made this page take minutes per seat.
        const int Links = 3000;
        _site.Page("pages/news.md", "title: News\nweight: 2",
            string.Concat(Enumerable.Range(0, Links).Select(i => $"[gone {i}](/{{{{ constituency.slug }}}}/gone-{i}/)\n\n")));

        var result = await PublishAsync();

        var warnings = LinkWarnings(result).ToList();
        Assert.Equal(Links, warnings.Count);
        Assert.Equal(Enumerable.Range(0, Links).Select(i => (5 + 2 * i, $"the link '/{{{{ constituency.slug }}}}/gone-{i}/' leads to nothing")),
            warnings.OrderBy(w => w.Location.Line).Select(w => (w.Location.Line, w.Message[..w.Message.IndexOf(" this site", StringComparison.Ordinal)])));
        Assert.All(warnings, w => Assert.Equal(5, w.Subjects.Length));
    }

    [Fact]
    public async Task A_misspelt_slug_is_told_the_page_it_nearly_names()
    {
        _site.Page("pages/news.md", "title: News\nweight: 2", "See [housing](/{{ constituency.slug }}/housng/).\n");

        var warning = Assert.Single(LinkWarnings(await PublishAsync()));

        Assert.Equal("Did you mean '/{{ constituency.slug }}/housing/'? A page is published at each seat's own address, /<seat>/<slug>/.", warning.Hint);
    }

    private IEnumerable<Diagnostic> Validate() =>
        TestSite.Services.GetRequiredService<Publisher>().Validate(_site.Load(), TestSite.Now);

    [Fact]
    public void A_post_linking_to_a_page_in_error_is_not_told_the_page_does_not_exist()
    {
        // A second pass, without the page in error, said "there is no page 'events'" of a page that was there with an error.
        _site.Write("pages/events.md", "---\ntitle: [unclosed\n---\nSoon.\n")
            .Write("social/events.md", "---\nschedule: 2026-12-20T09:00\nplatforms: [bluesky]\nlink: events\n---\nCome along.\n");

        var found = Validate().ToList();

        Assert.Single(found, d => d.IsError);
        Assert.DoesNotContain(found, d => d.Code == "link-missing");
    }

    [Fact]
    public void A_page_in_error_hides_no_other_pages_broken_link_but_a_link_to_it_is_not_called_broken()
    {
        // Only the errors of a pass that left out the pages in error were kept, so every link warning went with them.
        _site.Page("pages/news.md", "title: News\nweight: 2", "See [old](/docs/old.pdf) and [events](/{{ constituency.slug }}/events/).\n")
            .Write("pages/events.md", "---\ntitle: [unclosed\n---\nSoon.\n");

        var found = Validate().ToList();

        Assert.Single(found, d => d.IsError);
        var warning = Assert.Single(found, d => d.Code == "broken-link");
        Assert.Contains("'/docs/old.pdf'", warning.Message, StringComparison.Ordinal);
    }
}
