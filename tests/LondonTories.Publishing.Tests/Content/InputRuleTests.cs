using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>Values that reach every page or post are checked where they are written: site.yaml's URL and language, posts' media and links.</summary>
public sealed class InputRuleTests : IDisposable
{
    private readonly TestSite _site = new();

    public InputRuleTests() => _site.Page("pages/register.md", "title: Register");

    public void Dispose() => _site.Dispose();

    private Diagnostic SingleError() => Assert.Single(_site.Load().Diagnostics, d => d.IsError);

    [Theory]
    [InlineData("https://www.example.org.uk/\"><script>alert(1)</script>")]
    [InlineData("http://www.example.org.uk")]
    [InlineData("javascript:alert(1)")]
    [InlineData("//www.example.org.uk")]
    [InlineData("https://user:secret@www.example.org.uk")]
    [InlineData("https://www.example.org.uk/?q=1")]
    [InlineData("https://www.example.org.uk/#top")]
    [InlineData("https://www.example.org.uk/a b")]
    public void A_base_url_that_is_not_a_plain_absolute_https_url_is_an_error_at_its_line(string baseUrl)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("base_url: https://www.example.org.uk", $"base_url: '{baseUrl}'"));

        var error = SingleError();

        Assert.Equal("invalid-url", error.Code);
        Assert.Equal((2, 11), (error.Location.Line, error.Location.Column));
        Assert.Contains("https://www.example.org.uk", error.Hint);
    }

    [Theory]
    [InlineData("https://www.example.org.uk/london")]
    [InlineData("https://WWW.Example.org.uk:8443/")]
    public void A_plain_https_base_url_with_a_path_or_port_is_fine(string baseUrl)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("base_url: https://www.example.org.uk", $"base_url: {baseUrl}"));

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("en\"><script>alert(1)</script>")]
    [InlineData("english")]
    [InlineData("en_GB")]
    [InlineData("e")]
    [InlineData("en-")]
    public void A_language_that_is_not_a_bcp47_tag_is_an_error_at_its_line(string language)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("language: en", $"language: '{language}'"));

        var error = SingleError();

        Assert.Equal("invalid-language", error.Code);
        Assert.Equal((3, 11), (error.Location.Line, error.Location.Column));
        Assert.Contains("en-GB", error.Hint);
    }

    [Theory]
    [InlineData("bengali", "bn")]
    [InlineData("Urdu", "ur")]
    [InlineData("BN", "bn")]
    public void A_seat_language_written_as_a_name_is_one_error_suggesting_its_code(string written, string code)
    {
        // It also warned that strings/bengali.yaml was missing, telling the editor to create it.
        var yaml = TestSite.ConstituenciesYaml;
        var first = yaml.IndexOf("languages: []", StringComparison.Ordinal);
        _site.Write("constituencies.yaml", yaml[..first] + $"languages: [{written}]" + yaml[(first + "languages: []".Length)..]);

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("invalid-language", diagnostic.Code);
        Assert.Equal((7, 17), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message);
        Assert.Equal($"Did you mean '{code}'?", diagnostic.Hint);
    }

    [Theory]
    [InlineData("E1400108", "Battersea's code is E14001081.")]
    [InlineData("E14000549", "Battersea's code is E14001081.")]
    [InlineData("battersea", "Battersea's code is E14001081.")]
    public void A_seat_code_that_is_no_london_seat_of_2024_is_a_warning_at_its_line_giving_the_seats_code(string written, string hint)
    {
        // It was taken as it was: the seat silently left the hub's map, and its sponsored posts failed at each post.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("gss_code: E14001081", $"gss_code: {written}"));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("unknown-gss-code", diagnostic.Code);
        Assert.Equal((4, 15), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message);
        Assert.Equal(hint, diagnostic.Hint);
    }

    [Theory]
    [InlineData("London")]
    [InlineData("4 Matthew Parker Street, London SW1H")]
    [InlineData("PO Box 12")]
    public void An_imprint_address_without_a_full_postcode_is_a_warning_at_its_line(string written)
    {
        // The law asks for an address at which the promoter can be reached; a town alone was published on every page.
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("address: 4 Matthew Parker Street, London SW1H 9HQ", $"address: {written}", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "imprint-address"), (diagnostic.Severity, diagnostic.Code));
        Assert.Equal((8, 12), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("postcode", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4 Matthew Parker Street, London SW1H 9HQ")]
    [InlineData("1 Lavender Hill, London sw11 5qw")]
    [InlineData("10 Downing Street, London SW1A2AA")]
    [InlineData("Unit 3, Bromley BR1 1AA, United Kingdom")]
    public void An_imprint_address_with_a_postcode_is_taken_without_a_word(string written)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("address: 4 Matthew Parker Street, London SW1H 9HQ", $"address: {written}", StringComparison.Ordinal));

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public void A_seat_code_of_the_2010_boundaries_is_a_warning_naming_the_seat_that_took_most_of_it_and_its_code()
    {
        // Copied from data of the old boundaries: the warning said only that it was no 2024 code.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("gss_code: E14001081", "gss_code: E14000549"));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-gss-code", diagnostic.Code);
        Assert.Contains("'E14000549' is Battersea's code on the 2010 boundaries", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("Battersea's code is E14001081.", diagnostic.Hint);
    }

    [Fact]
    public void A_seat_of_the_2010_boundaries_with_its_code_is_pointed_at_its_successor_and_that_seat_s_code()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Tooting\n", "name: Croydon Central\n", StringComparison.Ordinal)
            .Replace("gss_code: E14001550", "gss_code: E14000654", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-gss-code", diagnostic.Code);
        Assert.Equal("Since 2024 most of Croydon Central (81%) is in Croydon East, whose code is E14001186.", diagnostic.Hint);
    }

    [Fact]
    public void A_seat_code_that_is_another_london_seat_s_is_an_error_at_its_line_naming_the_seat_it_belongs_to()
    {
        // Taken as it was: Tooting's sponsored posts were targeted around Battersea, and the hub's map had one hexagon for the two.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("gss_code: E14001550", "gss_code: E14001081"));

        var diagnostic = SingleError();

        Assert.Equal("wrong-gss-code", diagnostic.Code);
        Assert.Equal((18, 15), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("'E14001081' is Battersea's", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("Tooting's code is E14001550.", diagnostic.Hint);
    }

    [Fact]
    public void Two_seats_given_one_code_is_an_error_at_the_second_naming_the_first()
    {
        // A name of the site's own cannot say which code is meant, but no two seats can share a place on the map or a targeting centre.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml
            .Replace("name: Tooting\n", "name: Tooting and Balham\n", StringComparison.Ordinal)
            .Replace("gss_code: E14001550", "gss_code: E14001081", StringComparison.Ordinal));

        var diagnostic = SingleError();

        Assert.Equal("duplicate-gss-code", diagnostic.Code);
        Assert.Equal((18, 15), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("already battersea's (line 4)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Batersea")]
    [InlineData("Battersae")]
    public void A_seat_name_a_letter_or_two_from_its_code_s_official_name_is_a_warning_at_its_line(string written)
    {
        // Taken as it was: every page of the seat said "Housing in Batersea".
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Battersea\n", $"name: {written}\n", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "seat-name"), (diagnostic.Severity, diagnostic.Code));
        Assert.Equal((3, 11), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("Did you mean 'Battersea'?", diagnostic.Hint);
    }

    [Fact]
    public void A_seat_named_as_a_seat_of_the_2010_boundaries_is_a_warning_naming_the_seat_its_code_is()
    {
        // Every page of the seat named a constituency abolished in 2024.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Bethnal Green and Stepney\n", "name: Bethnal Green and Bow\n", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "seat-name"), (diagnostic.Severity, diagnostic.Code));
        Assert.Contains("2010 boundaries", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("Did you mean 'Bethnal Green and Stepney'?", diagnostic.Hint);
    }

    [Theory]
    [InlineData("Tooting and Balham")]
    [InlineData("Tooting & Balham")]
    public void A_seat_named_its_own_way_is_not_told_its_official_name(string written)
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Tooting\n", $"name: {written}\n", StringComparison.Ordinal));

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public void A_seat_name_with_an_ampersand_for_and_is_not_told_its_official_name()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Bethnal Green and Stepney\n", "name: Bethnal Green & Stepney\n", StringComparison.Ordinal));

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public void A_seat_named_its_own_way_keeps_the_code_of_the_seat_it_is()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("name: Tooting\n", "name: Tooting and Balham\n", StringComparison.Ordinal));

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code.Contains("gss", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("728270")]
    [InlineData("7282")]
    public void An_electorate_far_from_the_seat_s_register_is_a_warning_at_its_line_since_spending_limits_grow_with_it(string written)
    {
        // Taken as it was: a digit too many raised the seat's spending limit tenfold, and posts over the real limit passed the check.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("electorate: 72827", $"electorate: {written}", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "unlikely-electorate"), (diagnostic.Severity, diagnostic.Code));
        Assert.Equal((8, 17), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("72,827", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("spending limit", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_electorate_that_has_moved_as_registers_do_is_taken_without_a_word()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("electorate: 72827", "electorate: 80115", StringComparison.Ordinal));

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Theory]
    [InlineData("Wandsworht", "Did you mean 'Wandsworth'?")]
    [InlineData("wandsworth", "Did you mean 'Wandsworth'?")]
    [InlineData("Barking & Dagenham", "Did you mean 'Barking and Dagenham'?")]
    [InlineData("Narnia", "Write the borough as the ONS names it, e.g. Wandsworth, Barking and Dagenham or City of London.")]
    public void A_borough_that_is_not_one_of_london_s_is_a_warning_at_its_place_with_the_name_meant(string written, string hint)
    {
        // It was taken as it was: borough: selectors then passed over the seat, and the hub listed it under a borough of its own.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("boroughs: [Wandsworth]\n    tags: [inner-london, south]\n", $"boroughs: ['{written}']\n    tags: [inner-london, south]\n"));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("unknown-borough", diagnostic.Code);
        Assert.Equal((5, 16), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message);
        Assert.Equal(hint, diagnostic.Hint);
    }

    [Fact]
    public void Boroughs_none_of_which_the_seat_lies_in_are_a_warning_naming_the_seat_s_own()
    {
        // Taken as written: borough:lambeth pages and posts reached Battersea, and borough:wandsworth passed it over.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("boroughs: [Wandsworth]\n    tags: [inner-london, south]\n", "boroughs: [Lambeth]\n    tags: [inner-london, south]\n", StringComparison.Ordinal));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "seat-boroughs"), (diagnostic.Severity, diagnostic.Code));
        Assert.Equal(5, diagnostic.Location.Line);
        Assert.Contains("Wandsworth", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("Write boroughs: [Wandsworth].", diagnostic.Hint);
    }

    [Fact]
    public void A_seat_listing_its_own_borough_and_another_is_taken_as_written()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("boroughs: [Wandsworth]\n    tags: [inner-london, south]\n", "boroughs: [Wandsworth, Lambeth]\n    tags: [inner-london, south]\n", StringComparison.Ordinal));

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public void A_seat_without_a_code_or_with_one_of_london_s_is_not_warned_about()
    {
        var withoutCode = TestSite.ConstituenciesYaml.Replace("    gss_code: E14001081\n", string.Empty);
        Assert.DoesNotContain("E14001081", withoutCode);
        _site.Write("constituencies.yaml", withoutCode);

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Theory]
    [InlineData("en-GB")]
    [InlineData("cy")]
    [InlineData("zh-Hant-HK")]
    [InlineData("sr-Latn")]
    public void A_bcp47_language_is_fine(string language)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("language: en", $"language: {language}"));

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("constituencies.yaml")]
    [InlineData("site.yaml")]
    [InlineData("pages/register.md")]
    [InlineData("static/../site.yaml")]
    public void Media_outside_static_is_an_error_at_its_line(string media)
    {
        _site.Write("static/social/poster.png", "png");
        _site.Write("social/poster.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\nmedia: {media}\n---\nVote.\n");

        var error = SingleError();

        Assert.Equal("invalid-media", error.Code);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("static/", error.Hint);
    }

    [Theory]
    [InlineData("/social/poster.png")]
    [InlineData("social/poster.png")]
    public void Media_written_as_its_published_address_is_told_its_path_under_static(string media)
    {
        // The address pages use for 'image:' was told only that it is not under static/, though the file is.
        _site.Write("static/social/poster.png", "png");
        _site.Write("social/poster.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\nmedia: {media}\n---\nVote.\n");

        var error = SingleError();

        Assert.Equal("invalid-media", error.Code);
        Assert.Equal("Did you mean 'static/social/poster.png'? A post's media is named by its path in the content folder, under static/.", error.Hint);
    }

    [Fact]
    public void Media_under_static_is_fine()
    {
        _site.Write("static/social/poster.png", "png");
        _site.Write("social/poster.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\nmedia: static/social/poster.png\n---\nVote.\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("[click](data:text/html,hi)")]
    [InlineData("<javascript:alert(1)>")]
    public async Task A_post_link_the_pages_would_strip_is_left_out_of_the_post_text(string link)
    {
        _site.Write("social/click.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]\n---\nPlease {link} now.\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var sent = _site.Output("social/2026/11/30/click/battersea.json");
        Assert.DoesNotContain("script:", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", sent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Please", sent);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "unsafe-link");
        Assert.Equal(6, warning.Location.Line);
    }

    [Fact]
    public async Task A_placeholder_in_angle_brackets_left_out_of_a_post_is_reported_where_it_stands()
    {
        _site.Write("social/poll.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]\n---\nPolls open at 7am.\nText POLL <your postcode> to 60777.\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("Text POLL  to 60777.", _site.Output("social/2026/11/30/poll/battersea.json"), StringComparison.Ordinal);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "html-left-out");
        Assert.Equal((7, 11), (warning.Location.Line, warning.Location.Column));
        Assert.Equal("'<your postcode>' is HTML, which a post cannot carry, so it is left out of the post.", warning.Message);
    }

    [Fact]
    public async Task A_post_keeps_https_mailto_and_tel_links()
    {
        _site.Write("social/links.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]\n---\n[Register](https://www.gov.uk/register-to-vote), [write](mailto:a@example.org) or [call](tel:+442070000000).\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("Register (https://www.gov.uk/register-to-vote), write (mailto:a@example.org) or call (tel:+442070000000).",
            _site.Output("social/2026/11/30/links/battersea.json"));
    }
}
