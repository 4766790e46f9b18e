using LondonTories.Publishing.Content;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>Every content mistake is reported with its file, line and column, and a way to fix it.</summary>
public sealed class ContentErrorTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private string Errors(SiteContent content) => string.Join("\n", content.Diagnostics.Where(d => d.IsError));

    [Fact]
    public void An_unknown_front_matter_key_is_an_error_with_a_suggestion()
    {
        _site.Page("pages/embargo.md", "title: Embargoed\npublish_date: 2027-01-01T09:00");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-key", diagnostic.Code);
        Assert.EndsWith("content/pages/embargo.md", diagnostic.Location.Path);
        Assert.Equal(3, diagnostic.Location.Line);
        Assert.Equal(1, diagnostic.Location.Column);
        Assert.Contains("'publish_date'", diagnostic.Message);
        Assert.Contains("Did you mean 'publish_at'?", diagnostic.Hint);
    }

    [Fact]
    public async Task A_title_that_comes_out_empty_for_some_seats_stops_the_publish_naming_them()
    {
        // It went out as an empty <title>, <h1> and link text on every seat not tagged diverse.
        _site.Page("pages/language-help.md", "title: \"{{ if constituency.tags | array.contains 'diverse' }}Help in your language in {{ constituency.name }}{{ end }}\"");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("empty-title", error.Code);
        Assert.EndsWith("content/pages/language-help.md", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal(2, error.Location.Line);
        Assert.Equal(["battersea", "beckenham-and-penge", "bromley-and-biggin-hill"], error.Subjects.AsEnumerable());
        Assert.Equal("the title comes out empty for some seats, whose page would have no heading, tab title or link text.", error.Message);
        Assert.False(File.Exists(Path.Combine(_site.OutDir, "web/battersea/language-help/index.html")));
    }

    [Theory]
    [InlineData("GMT", "'GMT' keeps no summer time")]
    [InlineData("UTC", "'UTC' keeps no summer time")]
    [InlineData("Europe/Paris", "'Europe/Paris' keeps other clocks than London's")]
    public void A_time_zone_whose_clocks_are_not_londons_is_a_warning_at_its_line(string zone, string message)
    {
        // 'GMT', as many say for London time, read every summer time an hour later than London clocks show.
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("timezone: Europe/London", $"timezone: {zone}", StringComparison.Ordinal));

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        var warning = Assert.Single(content.Diagnostics, d => d.Code == "timezone-not-london");
        Assert.EndsWith("site.yaml", warning.Location.Path, StringComparison.Ordinal);
        Assert.Equal(TestSite.SiteYaml.Split('\n').ToList().FindIndex(l => l.StartsWith("timezone:", StringComparison.Ordinal)) + 1, warning.Location.Line);
        Assert.StartsWith(message, warning.Message, StringComparison.Ordinal);
        Assert.Contains("timezone: Europe/London", warning.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("GB")]
    public void Londons_own_time_zone_is_no_warning(string zone)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("timezone: Europe/London", $"timezone: {zone}", StringComparison.Ordinal));

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code == "timezone-not-london");
    }

    [Fact]
    public void A_missing_title_is_reported_at_the_front_matter()
    {
        _site.Page("pages/untitled.md", "summary: No title here");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("missing-key", diagnostic.Code);
        Assert.Equal(2, diagnostic.Location.Line);
        Assert.Contains("'title' is required", diagnostic.Message);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Capital-Letters")]
    [InlineData("has space")]
    [InlineData("double--hyphen")]
    public void An_invalid_slug_is_an_error(string slug)
    {
        _site.Page("pages/bad.md", $"title: Bad\nslug: \"{slug}\"");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("invalid-slug", diagnostic.Code);
        Assert.Equal(3, diagnostic.Location.Line);
    }

    [Fact]
    public void A_file_name_that_is_not_a_slug_is_an_error()
    {
        _site.Page("pages/Housing Policy.md", "title: Housing");

        Assert.Contains(_site.Load().Diagnostics, d => d.Code == "invalid-slug" && d.Location.Line == 1);
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        _site.Page("pages/broken.md", "title: Fine\nsummary: [unclosed");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("yaml-syntax", diagnostic.Code);
        Assert.InRange(diagnostic.Location.Line, 3, 4);
    }

    [Fact]
    public void A_page_without_front_matter_is_an_error()
    {
        _site.Write("pages/plain.md", "# Just Markdown\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("missing-front-matter", diagnostic.Code);
        Assert.Equal(1, diagnostic.Location.Line);
    }

    [Fact]
    public void Front_matter_never_closed_is_an_error_on_one_line_saying_where_the_closing_line_goes()
    {
        _site.Write("pages/open.md", "---\ntitle: Broken\nweight: 3\n\nBody text here.\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("missing-front-matter", diagnostic.Code);
        Assert.Equal(1, diagnostic.Location.Line);
        Assert.Contains("never closed", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("after line 3", diagnostic.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', diagnostic.ToString());
    }

    [Fact]
    public void A_missing_front_matter_error_reads_on_one_line()
    {
        _site.Write("pages/plain.md", "# Just Markdown\n");

        Assert.DoesNotContain('\n', Assert.Single(_site.Load().Diagnostics).ToString());
    }

    [Theory]
    [InlineData("pages/housing.fr.md", "fr")]
    [InlineData("pages/housing.old.md", "old")]
    public void A_translation_in_a_language_no_seat_publishes_is_a_warning_not_silence(string path, string language)
    {
        _site.Page("pages/housing.md", "title: Housing").Write(path, "---\ntitle: Logement\n---\nDes logements.\n");

        var warning = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("translation-unpublished", warning.Code);
        Assert.False(warning.IsError);
        Assert.Contains($"'{language}'", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith(path, warning.Location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_translation_of_a_page_with_errors_adds_no_error_of_its_own()
    {
        _site.Write("pages/housing.md", "---\ntitle: [unclosed\n---\nHomes.\n").Write("pages/housing.bn.md", "---\ntitle: ঘর\n---\nঘর।\n");

        var error = Assert.Single(_site.Load().Diagnostics);

        Assert.EndsWith("pages/housing.md", error.Location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_one_mebibyte_is_an_error()
    {
        _site.Page("pages/huge.md", "title: Huge", new string('x', ContentFile.MaxBytes + 1));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("file-too-large", diagnostic.Code);
        Assert.EndsWith("pages/huge.md", diagnostic.Location.Path);
    }

    [Fact]
    public void A_picture_over_one_mebibyte_is_told_to_be_made_smaller_not_split_as_a_page_would_be()
    {
        var full = Path.Combine(_site.ContentDir, "static/social/poster.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new byte[ContentFile.MaxBytes + 1]);

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("file-too-large", diagnostic.Code);
        Assert.DoesNotContain("Split the page", diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal("Export it smaller: a picture 1080 pixels wide, saved as a JPEG, is usually well under 1,024 KiB. Publish larger media from somewhere other than content/.", diagnostic.Hint);
    }

    [Fact]
    public void An_unknown_seat_suggests_the_nearest_slug()
    {
        _site.Page("pages/local.md", "title: Local\naudience: [batersea]");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-seat", diagnostic.Code);
        Assert.Equal(3, diagnostic.Location.Line);
        Assert.Contains("Did you mean 'battersea'?", diagnostic.Hint);
    }

    [Theory]
    [InlineData("croydon-central")]
    [InlineData("Croydon Central")]
    [InlineData("\"Lewisham, Deptford\"")]
    public void A_seat_of_the_2010_boundaries_suggests_its_successor(string written)
    {
        // Its name, as editors still write it, commas and all, was no more than an unknown seat.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml + "\n" + """
              - slug: croydon-east
                name: Croydon East
                boroughs: [Croydon]
                tags: [outer-london]
            """);
        _site.Write("constituencies.yaml", File.ReadAllText(Path.Combine(_site.ContentDir, "constituencies.yaml")) + "\n" + """
              - slug: lewisham-north
                name: Lewisham North
                boroughs: [Lewisham]
                tags: [inner-london]
            """);
        _site.Page("pages/croydon.md", $"title: Croydon\naudience:\n  - {written}");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-seat", diagnostic.Code);
        Assert.Equal(4, diagnostic.Location.Line);
        Assert.Contains("2010 boundaries", diagnostic.Hint);
        Assert.Contains(written.StartsWith('"') ? "'lewisham-north'" : "'croydon-east'", diagnostic.Hint);
    }

    [Fact]
    public void A_seat_that_kept_its_name_in_2024_written_as_its_name_is_pointed_at_its_slug()
    {
        _site.Page("pages/local.md", "title: Local\naudience: [Battersea]");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(("unknown-seat", "Did you mean 'battersea'?"), (diagnostic.Code, diagnostic.Hint));
    }

    [Fact]
    public void Unknown_boroughs_and_tags_are_errors_with_suggestions()
    {
        _site.Page("pages/local.md", "title: Local\naudience: [borough:bromly, tag:outer-londn]");

        var diagnostics = _site.Load().Diagnostics;

        Assert.Contains(diagnostics, d => d.Code == "unknown-borough" && d.Hint!.Contains("'bromley'"));
        Assert.Contains(diagnostics, d => d.Code == "unknown-tag" && d.Hint!.Contains("'outer-london'"));
    }

    [Fact]
    public void A_translation_without_its_page_is_an_error()
    {
        _site.Page("pages/housing.bn.md", "title: আবাসন");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("orphan-translation", diagnostic.Code);
    }

    [Fact]
    public void Unknown_keys_in_site_yaml_and_constituencies_are_errors()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + "\nbaseurl: https://x.example\n");
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("    electorate: 72827", "    electorat: 72827"));

        var diagnostics = _site.Load().Diagnostics;

        Assert.Contains(diagnostics, d => d.Location.Path.EndsWith("site.yaml") && d.Code == "unknown-key" && d.Hint!.Contains("'base_url'"));
        Assert.Contains(diagnostics, d => d.Location.Path.EndsWith("constituencies.yaml") && d.Code == "unknown-key" && d.Location.Line == 8);
    }

    [Theory]
    [InlineData("0", "invalid-feed-entries", "at least 1")]
    [InlineData("-5", "invalid-feed-entries", "at least 1")]
    [InlineData("fifty", "wrong-type", "whole number")]
    public void Feed_entries_that_are_not_a_count_of_entries_are_an_error_at_their_line(string value, string code, string expected)
    {
        _site.Write("site.yaml", TestSite.SiteYaml + $"\nfeed_entries: {value}\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(code, diagnostic.Code);
        Assert.EndsWith("site.yaml", diagnostic.Location.Path);
        Assert.Equal(9, diagnostic.Location.Line);
        Assert.Contains(expected, diagnostic.Message + diagnostic.Hint);
    }

    [Fact]
    public void A_missing_imprint_promoter_is_an_error()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("  promoter: Sam Okafor\n", string.Empty));

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("missing-key", diagnostic.Code);
        Assert.Contains("'promoter'", diagnostic.Message);
    }

    [Fact]
    public void A_value_starting_with_a_template_must_be_quoted_and_the_hint_says_so()
    {
        _site.Page("pages/quoted.md", "title: {{ constituency.name }} news");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("yaml-syntax", diagnostic.Code);
        Assert.Contains("must be quoted", diagnostic.Hint);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run()
    {
        _site.Page("pages/a.md", "title: A\npublish_date: 2027-01-01");
        _site.Page("pages/b.md", "summary: no title");
        _site.Page("pages/c.md", "title: C\naudience: [nowhere]");

        var content = _site.Load();

        Assert.Equal(3, content.Diagnostics.Count(d => d.IsError));
        Assert.Equal(["a.md", "b.md", "c.md"], content.Diagnostics.Select(d => Path.GetFileName(d.Location.Path)));
    }

    [Fact]
    public void An_audience_block_with_an_unknown_selector_names_its_line()
    {
        _site.Page("pages/blocks.md", "title: Blocks", "Intro.\n\n::: audience borough:wandsworth tag:nowhere\nKept.\n:::\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("unknown-tag", diagnostic.Code);
        Assert.Equal(6, diagnostic.Location.Line);
    }

    [Fact]
    public void A_template_syntax_error_names_the_body_line()
    {
        _site.Page("pages/template.md", "title: Template", "Line one.\n\nHello {{ 1 + }}\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("template-syntax", diagnostic.Code);
        Assert.Equal(6, diagnostic.Location.Line);
    }

    [Theory]
    [InlineData("Line one.\n\nAsk {{ constituency.name about it.\n\nLater, {{ constituency.slug }} is fine.\n\nThe end.\n")]
    [InlineData("Line one.\n\nAsk {{ constituency.name\n\nThe end.\n")]
    [InlineData("Line one.\n\nAsk {{ constituency.name\n")]
    [InlineData("Line one.\n\nAsk {{")]
    public void An_unclosed_expression_is_reported_where_it_opens_not_where_the_template_gives_up(string body)
    {
        // It was reported at the end of the file, or at the next expression, as an error about a 'func' statement.
        _site.Page("pages/template.md", "title: Template", body);

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("template-unclosed", diagnostic.Code);
        Assert.Equal((6, 5), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("'{{'", diagnostic.Message);
        Assert.Contains("never closed", diagnostic.Message);
        Assert.Contains("}}", diagnostic.Hint);
    }

    [Fact]
    public void An_unclosed_expression_at_the_end_of_a_title_is_an_error_rather_than_quietly_closed()
    {
        // The template language closes a final '{{' by itself, so "Vote for {{ constituency.name" went out as if closed.
        _site.Page("pages/template.md", "title: \"Vote for {{ constituency.name\"");

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("template-unclosed", diagnostic.Code);
        Assert.Equal(2, diagnostic.Location.Line);
    }

    [Fact]
    public void An_unclosed_expression_in_a_layout_is_reported_where_it_opens()
    {
        _site.Page("pages/template.md", "title: Template");
        _site.Write("layouts/page.html", "<!doctype html>\n<html>\n<body>\n<h1>{{ page.title | html.escape </h1>\n{{ content }}\n<footer>{{ imprint.text }}</footer>\n</body>\n</html>\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("template-unclosed", diagnostic.Code);
        Assert.EndsWith("layouts/page.html", diagnostic.Location.Path);
        Assert.Equal((4, 5), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Theory]
    [InlineData("Intro.\n\n{{ if constituency.slug == \"battersea\" }}Hello.\n\nMore.\n\nThe end.\n", "if")]
    [InlineData("Intro.\n\n{{ for b in constituency.boroughs }}{{ if b }}{{ b }}{{ end }}\n\nThe end.\n", "for")]
    public void A_block_without_its_end_is_reported_where_it_opens(string body, string keyword)
    {
        // Scriban reports it at the end of the text, where it looked for the end.
        _site.Page("pages/template.md", "title: Template", body);

        var diagnostic = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("template-unclosed", diagnostic.Code);
        Assert.Equal((6, 1), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{{{{ {keyword} }}}}'", diagnostic.Message);
        Assert.Contains("{{ end }}", diagnostic.Hint);
    }

    [Fact]
    public void Braces_inside_a_closed_expression_are_no_unclosed_expression()
    {
        _site.Page("pages/template.md", "title: Template", "Write {{ \"{{\" }} to show two braces, then {{ constituency.name }}.\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Errors_print_like_a_compiler()
    {
        _site.Page("pages/embargo.md", "title: Embargoed\npublish_date: 2027-01-01T09:00");

        var text = Assert.Single(_site.Load().Diagnostics).ToString();

        Assert.Matches(@"^.*content/pages/embargo\.md:3:1: error: unknown key 'publish_date' in front matter\. Did you mean 'publish_at'\? \[unknown-key\]$", text);
    }
}
