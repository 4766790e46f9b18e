using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>YAML values read as YAML reads them: a plain null is no value at all, never the text "~" or "null".</summary>
public sealed class YamlValueTests : IDisposable
{
    private readonly TestSite _site = new();

    public YamlValueTests() => _site.Page("pages/register.md", "title: Register");

    public void Dispose() => _site.Dispose();

    private IEnumerable<Diagnostic> Errors() => _site.Load().Diagnostics.Where(d => d.IsError);

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void A_boolean_is_read_in_each_way_yaml_spells_it(string written, bool draft)
    {
        // YAML 1.2 writes TRUE as well as True; it was refused as "must be true or false".
        _site.Page("pages/drafted.md", $"title: Drafted\ndraft: {written}");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(draft, Assert.Single(content.Pages, p => p.Slug == "drafted").Draft);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    public void A_null_promoter_or_address_is_an_error_at_its_line_not_text_in_the_imprint(string nothing)
    {
        _site.Write("site.yaml", TestSite.SiteYaml
            .Replace("promoter: Sam Okafor", $"promoter: {nothing}")
            .Replace("address: 4 Matthew Parker Street, London SW1H 9HQ", "address: null"));

        var errors = Errors().ToList();

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("empty-value", e.Code));
        Assert.Equal([(6, 13), (8, 12)], errors.Select(e => (e.Location.Line, e.Location.Column)).Order());
        Assert.Contains("'promoter'", errors[0].Message + errors[1].Message);
        Assert.Contains("'address'", errors[0].Message + errors[1].Message);
    }

    [Fact]
    public void An_empty_title_says_to_write_it_after_the_colon()
    {
        // The error said only that it must not be empty.
        _site.Page("pages/nothing.md", "title:\nsummary: Something");

        var error = Assert.Single(Errors());

        Assert.Equal("empty-value", error.Code);
        Assert.Equal("Write the value after 'title:' on the same line.", error.Hint);
    }

    [Theory]
    [InlineData("2026-12-07T09:00+25:00")]
    [InlineData("2026-02-30T09:00:00Z")]
    public void A_time_with_an_offset_that_cannot_be_says_how_to_write_one(string time)
    {
        // The error said only that it was not valid.
        _site.Page("pages/later.md", $"title: Later\npublish_at: {time}");

        var error = Assert.Single(Errors());

        Assert.Equal("invalid-time", error.Code);
        Assert.Contains("write it as", error.Message + error.Hint);
        Assert.Contains("2026-11-30T09:00:00Z", error.Message + error.Hint);
    }

    [Fact]
    public void A_null_title_is_an_empty_value_error_at_its_line()
    {
        _site.Page("pages/nothing.md", "title: ~");

        var error = Assert.Single(Errors());

        Assert.Equal("empty-value", error.Code);
        Assert.Equal((2, 8), (error.Location.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("\"~\"", "~")]
    [InlineData("'null'", "null")]
    public void A_quoted_null_stays_text(string written, string read)
    {
        _site.Page("pages/quoted.md", $"title: {written}");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(read, Assert.Single(content.Pages, p => p.Slug == "quoted").Title.Source);
    }

    [Fact]
    public void Null_optional_values_read_as_absent()
    {
        _site.Page("pages/optional.md", "title: Optional\nsummary: ~\nweight: null\ndraft: ~\npublish_at: ~\nparams: ~");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        var page = Assert.Single(content.Pages, p => p.Slug == "optional");
        Assert.Null(page.Summary);
        Assert.Equal(0, page.Weight);
        Assert.False(page.Draft);
        Assert.Null(page.PublishAt);
        Assert.Empty(page.Params);
    }

    [Fact]
    public void A_translation_with_a_null_publish_at_keeps_the_originals_embargo()
    {
        _site.Page("pages/embargoed.md", "title: Embargoed\npublish_at: 2027-01-01T09:00");
        _site.Page("pages/embargoed.bn.md", "title: Bengali\npublish_at: ~");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.All(content.Pages.Where(p => p.Slug == "embargoed"), p => Assert.NotNull(p.PublishAt));
    }

    [Theory]
    [InlineData("audience: {include: [battersea], exclude: [tag:south]}")]
    [InlineData("audience:\n  include: [all]\n  exclude: [all]")]
    public void An_audience_that_excludes_every_seat_it_includes_is_the_empty_audience_error(string audience)
    {
        // It passed, and the page was never published anywhere.
        _site.Page("pages/nobody.md", $"title: Nobody\n{audience}");

        var error = Assert.Single(Errors());

        Assert.Equal("empty-audience", error.Code);
        Assert.EndsWith("pages/nobody.md", error.Location.Path);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("no seat", error.Message);
    }

    [Fact]
    public void A_null_audience_is_the_empty_audience_error()
    {
        _site.Page("pages/nobody.md", "title: Nobody\naudience: ~");

        var error = Assert.Single(Errors());

        Assert.Equal("empty-audience", error.Code);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void A_null_list_item_is_an_error_at_the_item()
    {
        _site.Page("pages/items.md", "title: Items\naudience: [battersea, ~]");

        var error = Assert.Single(Errors());

        Assert.Equal("wrong-type", error.Code);
        Assert.Equal((3, 23), (error.Location.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("budget_gbp: ~", "end: 2026-12-14T21:00", "budget_gbp", 6)]
    [InlineData("budget_gbp: 25", "end: null", "end", 7)]
    public void A_null_in_a_sponsored_post_is_an_error_at_its_line(string budget, string end, string key, int line)
    {
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\napproved_by: Priya Shah\nsponsored:\n  {budget}\n  {end}\n---\nVote.\n");

        var error = Assert.Single(Errors());

        Assert.Equal("missing-key", error.Code);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Equal(line, error.Location.Line);
    }

    [Fact]
    public void A_null_layout_string_reads_in_english_with_a_warning()
    {
        _site.Write("strings/bn.yaml", "more_for: ~\n");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "empty-string");

        Assert.Equal(1, warning.Location.Line);
    }

    [Theory]
    [InlineData("2,5")]
    [InlineData("2,50")]
    [InlineData("1,000.00")]
    public void A_comma_in_a_budget_is_an_error_at_the_value_not_a_bigger_budget(string budget)
    {
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: {budget}\n  end: 2026-12-14T21:00\n---\nVote.\n");

        var error = Assert.Single(Errors());

        Assert.Equal("number-comma", error.Code);
        Assert.Equal((6, 15), (error.Location.Line, error.Location.Column));
        Assert.Contains($"'{budget}'", error.Message);
        Assert.Contains("2.50", error.Hint);
        Assert.Contains("11390", error.Hint);
    }

    [Theory]
    [InlineData("fixed_gbp: 11,390", 16)]
    [InlineData("per_elector_gbp: 0,08", 22)]
    public void A_comma_in_a_spend_limit_is_an_error_at_the_value(string line, int column)
    {
        _site.Write("site.yaml", TestSite.SiteYaml + $"\nspend_limits:\n  - name: Short campaign\n    from: 2026-11-01T00:00\n    to: 2027-01-01T00:00\n    {line}\n");

        var error = Assert.Single(Errors());

        Assert.Equal("number-comma", error.Code);
        Assert.Equal((13, column), (error.Location.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("constituencies.yaml", "electorate: 72827", "electorate: 72,827")]
    [InlineData("pages/register.md", "title: Register", "title: Register\nweight: 1,000")]
    public void A_comma_in_a_whole_number_says_to_leave_it_out(string path, string from, string to)
    {
        var text = path == "constituencies.yaml" ? TestSite.ConstituenciesYaml : "---\ntitle: Register\n---\nSome text.\n";
        _site.Write(path, text.Replace(from, to));

        var errors = Errors().ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal("number-comma", e.Code));
        Assert.All(errors, e => Assert.Contains("no commas", e.Hint));
    }

    [Fact]
    public void A_comma_in_an_ad_radius_is_an_error_at_the_value()
    {
        _site.Write("channels.yaml", "channels:\n  - id: facebook-battersea\n    platform: facebook\n    page_id: \"123\"\n    ad_account_id: act_1\n    secret: facebook-battersea\n    ad_radius_km: 2,5\n");

        var error = Assert.Single(Errors());

        Assert.Equal("number-comma", error.Code);
        Assert.Equal((7, 19), (error.Location.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("2.50")]
    [InlineData("11390")]
    [InlineData("0.08")]
    public void Plain_amounts_are_read_as_written(string budget)
    {
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: {budget}\n  end: 2026-12-14T21:00\n---\nVote.\n");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(decimal.Parse(budget, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(content.Posts).Sponsored!.BudgetGbp);
    }

    [Theory]
    [InlineData("0", "above zero")]
    [InlineData("0.00", "above zero")]
    [InlineData("0.001", "pence")]
    [InlineData("0.005", "pence")]
    [InlineData("12.345", "pence")]
    [InlineData("1000000.01", "typo")]
    [InlineData("99999999999999999999", "typo")]
    public void A_budget_of_nothing_of_part_of_a_penny_or_beyond_any_campaign_is_an_error_at_its_value(string budget, string hint)
    {
        // Each passed, was filed, and at delivery was rounded to nothing or overflowed into an outcome no one could know.
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: {budget}\n  end: 2026-12-14T21:00\n---\nVote.\n");

        var error = Assert.Single(Errors());

        Assert.Equal("invalid-budget", error.Code);
        Assert.Equal((6, 15), (error.Location.Line, error.Location.Column));
        Assert.Contains($"'{budget}'", error.Message);
        Assert.Contains(hint, error.Message + " " + error.Hint);
    }

    [Theory]
    [InlineData("0.01", "0.01")]
    [InlineData("12.30", "12.3")]
    [InlineData("1000000", "1000000")]
    [InlineData("'10'", "10")]
    [InlineData("\"2.50\"", "2.50")]
    public void A_budget_in_pence_up_to_a_million_pounds_quoted_or_not_is_read_as_written(string budget, string pounds)
    {
        // A quoted number is read as the number, as every other number in the content is.
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [x]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: {budget}\n  end: 2026-12-14T21:00\n---\nVote.\n");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(decimal.Parse(pounds, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(content.Posts).Sponsored!.BudgetGbp);
    }

    [Fact]
    public void A_tab_in_indentation_is_an_error_at_the_tab_saying_so()
    {
        _site.Page("pages/tabbed.md", "title: Tabbed\nparams:\n  a: 1\n  b: 2\n\tc: 3");

        var error = Assert.Single(Errors());

        Assert.Equal("yaml-syntax", error.Code);
        Assert.Equal((6, 1), (error.Location.Line, error.Location.Column));
        Assert.Contains("YAML indentation must be spaces, not tabs", error.Message);
        Assert.Contains("replace the tab with spaces", error.Message);
        Assert.Contains("spaces", error.Hint);
    }

    [Fact]
    public void A_tab_after_spaces_is_reported_at_the_tab()
    {
        _site.Page("pages/tabbed.md", "title: Tabbed\nparams:\n  a: 1\n  \tb: 2");

        var error = Assert.Single(Errors());

        Assert.Equal((5, 3), (error.Location.Line, error.Location.Column));
        Assert.Contains("tab", error.Message);
    }

    [Fact]
    public void A_duplicate_key_says_where_the_first_one_is()
    {
        _site.Page("pages/twice.md", "title: Twice\nweight: 1\nsummary: Once\nweight: 2");

        var error = Assert.Single(Errors());

        Assert.Equal((5, 1), (error.Location.Line, error.Location.Column));
        Assert.Equal("'weight' is given twice (first at line 3).", error.Message);
        Assert.Equal("Keep one of them.", error.Hint);
    }
}
