using LondonTories.Cli;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>
/// Files that would make a parser recurse without end, expand without bound or throw: each is an
/// error at its file, line and column, the run exits 1 and nothing is written.
/// </summary>
public sealed class HostileContentTests : IDisposable
{
    private static readonly string BillionLaughs = string.Join("\n",
        new[] { "  l0: &l0 [lol]" }.Concat(Enumerable.Range(1, 9).Select(i => $"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]")));

    private readonly TestSite _site = new();

    public HostileContentTests() => _site.Page("pages/housing.md", "title: Housing");

    public void Dispose() => _site.Dispose();

    private async Task<CliRun> PublishAsync()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");
        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.False(Directory.Exists(_site.OutDir));
        return run;
    }

    [Fact]
    public async Task A_flow_list_left_open_before_the_next_key_is_a_yaml_error_at_its_opening()
    {
        _site.Page("pages/open.md", "title: [a, b\nsummary: x");

        var run = await PublishAsync();

        Assert.Contains("content/pages/open.md:2:8: error: invalid YAML: the list opened here with '[' is never closed", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task A_recursive_alias_in_params_is_an_error_at_the_alias()
    {
        _site.Page("pages/loop.md", "title: Loop\nparams:\n  a: &a {self: *a}");

        var run = await PublishAsync();

        Assert.Contains("content/pages/loop.md:4:16: error: invalid YAML: the alias '*a' refers to the value it is inside", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task A_recursive_alias_in_a_seats_data_is_an_error_at_the_alias()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("      council: Wandsworth Council\n  - slug: tooting", "      council: &c [*c]\n  - slug: tooting"));

        var run = await PublishAsync();

        Assert.Contains("content/constituencies.yaml:15:20: error: invalid YAML: the alias '*c' refers to the value it is inside", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task Twenty_thousand_nested_lists_are_refused_at_the_first_too_deep_one()
    {
        _site.Page("pages/deep.md", $"title: Deep\nparams:\n  x: {new string('[', 20_000)}{new string(']', 20_000)}");

        var run = await PublishAsync();

        Assert.Matches(@"content/pages/deep\.md:4:\d+: error: invalid YAML: lists and mappings are nested more than 64 deep", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task Billion_laughs_are_refused_before_they_expand()
    {
        _site.Page("pages/laughs.md", $"title: Laughs\nparams:\n{BillionLaughs}");

        var run = await PublishAsync();

        Assert.Matches(@"content/pages/laughs\.md:\d+:\d+: error: invalid YAML: the YAML stands for more than 100,000 values", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task Billion_laughs_in_site_yaml_are_refused()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + "\nlaughs:\n" + BillionLaughs + "\n");

        var run = await PublishAsync();

        Assert.Matches(@"content/site\.yaml:\d+:\d+: error: invalid YAML: the YAML stands for more than 100,000 values", run.Stderr.Replace('\\', '/'));
    }

    [Theory]
    [InlineData("pages/quotes.md", "title: Quotes")]
    [InlineData("social/quotes.md", "schedule: 2026-11-30T09:00\nplatforms: [x]")]
    public async Task Markdown_quotes_nested_128_deep_are_an_error_at_their_line(string path, string frontMatter)
    {
        _site.Write(path, $"---\n{frontMatter}\n---\nIntro.\n\n{new string('>', 128)} deep\n");

        var run = await PublishAsync();

        Assert.Matches($@"content/{path.Replace(".", @"\.")}:\d+:1: error: the Markdown is nested more than \d+ deep", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task Two_hundred_open_brackets_which_parse_but_cannot_render_are_an_error_at_their_line()
    {
        _site.Page("pages/brackets.md", "title: Brackets", $"Intro.\n\nSee {new string('[', 200)} here.\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/brackets.md:6:1: error: the Markdown is nested more than", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task A_template_that_writes_deep_Markdown_is_an_error_for_its_seats()
    {
        _site.Page("pages/generated.md", "title: Generated", "Intro.\n\n{{ for i in 1..200 }}>{{ end }} deep\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/generated.md:6:1: error: the Markdown is nested more than", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task A_page_whose_text_renders_past_the_limit_is_told_so_in_an_editors_words()
    {
        // Under the file's 1 MiB, but more than a rendered page may hold: it read "String conversion reaches LimitToString `524288`".
        var paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ";
        _site.Page("pages/long.md", "title: Long", string.Concat(Enumerable.Repeat(paragraph + "\n\n", 6_000)));

        var run = await PublishAsync();

        Assert.Contains("content/pages/long.md:", run.Stderr.Replace('\\', '/'));
        Assert.Contains("renders to more than 512 KiB", run.Stderr);
        Assert.Contains("Split it into pages", run.Stderr);
        Assert.DoesNotContain("LimitToString", run.Stderr);
    }

    [Fact]
    public async Task A_text_that_passes_the_limit_at_a_different_line_for_each_seat_is_one_error_for_every_seat()
    {
        // Each seat's name is a different length, so each seat's page passed the limit on a different
        // line, and the editor was shown one error per line reached, each naming some of the seats.
        _site.Page("pages/names.md", "title: Names", string.Concat(Enumerable.Repeat("{{ constituency.name }} and a sentence long enough to fill the page.\n", 12_000)));

        var run = await PublishAsync();

        var error = Assert.Single(run.Stderr.Replace('\\', '/').Split('\n'), l => l.Contains("renders to more than 512 KiB", StringComparison.Ordinal));
        Assert.StartsWith($"{_site.ContentDir.Replace('\\', '/')}/pages/names.md:4:1: error:", error, StringComparison.Ordinal);
        Assert.Contains("(for battersea, beckenham-and-penge and 3 more)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_whose_layout_output_passes_the_limit_is_told_so_in_an_editors_words()
    {
        // A title the layout shows several times: it read "Rendered output exceeds OutputLimit `524288`", with no way out.
        _site.Page("pages/titled.md", $"title: \"{new string('A', 100_000)}\"", "Short text.\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/titled.md:", run.Stderr.Replace('\\', '/'));
        Assert.Contains("renders to more than 512 KiB", run.Stderr);
        Assert.Contains("Split it into pages", run.Stderr);
        Assert.DoesNotContain("OutputLimit", run.Stderr);
    }

    [Theory]
    [InlineData("{{ \"x\" | string.pad_left 2000000000 }}")]
    [InlineData("{{ \"x\" | string.pad_right 600000 }}")]
    public async Task A_padding_past_the_limit_names_the_limit_not_the_width_asked_for(string body)
    {
        // The engine names the width before the limit: it read "more than 1,953,125 KiB, the limit for one page".
        _site.Page("pages/padded.md", "title: Padded", body + "\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/padded.md:4:", run.Stderr.Replace('\\', '/'));
        Assert.Contains("renders to more than 512 KiB, the limit for one page.", run.Stderr);
        Assert.DoesNotContain("1,953,125", run.Stderr);
        Assert.DoesNotContain("585 KiB", run.Stderr);
    }

    [Theory]
    [InlineData("title: \"T \\x0B x\"", "Text.\n", "pages/escaped.md:2:8", "U+000B")]
    [InlineData("title: T\nsummary: \"\\a and \\e\"", "Text.\n", "pages/escaped.md:3:10", "U+0007")]
    [InlineData("title: T\nsummary: \"odd \\uFFFE\"", "Text.\n", "pages/escaped.md:3:10", "U+FFFE")]
    [InlineData("title: T", "Body {{ \"a\\x07b\" }} end.\n", "pages/escaped.md:", "U+0007")]
    [InlineData("title: '{{ \"x\\x01\" }}'", "Text.\n", "pages/escaped.md:", "U+0001")]
    public async Task A_control_character_written_as_an_escape_is_an_error_at_its_place_not_a_crash_of_the_feeds(string frontMatter, string body, string place, string character)
    {
        // The file's own bytes hold no control character, so only the decoded value or the rendered text shows it;
        // the feeds' XML cannot carry it, and the run ended in a stack trace.
        _site.Page("pages/escaped.md", frontMatter, body);

        var run = await PublishAsync();

        Assert.Contains("content/" + place, run.Stderr.Replace('\\', '/'));
        Assert.Contains("control-character", run.Stderr);
        Assert.Contains(character, run.Stderr);
    }

    [Fact]
    public async Task A_control_character_written_as_an_escape_in_site_yaml_is_an_error_at_its_line()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("title: London Conservatives", "title: \"London \\x01 Conservatives\""));

        var run = await PublishAsync();

        Assert.Contains("content/site.yaml:1:8", run.Stderr.Replace('\\', '/'));
        Assert.Contains("U+0001", run.Stderr);
    }

    [Fact]
    public async Task A_slug_too_long_for_a_folder_name_is_an_error_at_its_line_not_a_crash_of_the_publish()
    {
        // Valid in shape, it passed validation; the publish then stopped on the file system's limit for a name, in a stack trace.
        var slug = string.Join('-', Enumerable.Repeat("abcdefghij", 30));
        _site.Page("pages/long.md", $"title: Long\nslug: {slug}");

        var run = await PublishAsync();

        Assert.Contains("content/pages/long.md:3:7: error:", run.Stderr.Replace('\\', '/'));
        Assert.Contains("invalid-slug", run.Stderr);
        Assert.Contains($"at most {LondonTories.Publishing.Audience.Slug.MaxLength} characters", run.Stderr);
    }

    [Fact]
    public async Task A_loop_past_the_limit_is_told_so_in_an_editors_words()
    {
        _site.Page("pages/loop.md", "title: Loop", "{{ for i in 1..5000 }}x{{ end }}\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/loop.md:", run.Stderr.Replace('\\', '/'));
        Assert.Contains("repeats more than", run.Stderr);
        Assert.Contains("limit:", run.Stderr);
        Assert.DoesNotContain("LoopLimit", run.Stderr);
    }

    [Theory]
    [InlineData(150, true)]
    [InlineData(50_000, false)]
    public async Task Raw_HTML_nested_deeper_than_the_sanitiser_can_take_is_an_error_at_its_line(int depth, bool closed)
    {
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "x" + (closed ? string.Concat(Enumerable.Repeat("</div>", depth)) : "");
        _site.Page("pages/divs.md", "title: Divs", $"Intro.\n\n{html}\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/divs.md:6:1: error: the HTML is nested more than 100 deep", run.Stderr.Replace('\\', '/'));
    }

    [Theory]
    [InlineData("<div/>")]
    [InlineData("<div></b>")]
    [InlineData("<div></span >")]
    public async Task Raw_HTML_nested_deep_by_a_slash_or_a_stray_end_tag_a_browser_ignores_is_an_error_at_its_line(string opens)
    {
        // '<div/>' opens a div as '<div>' does, and an end tag naming nothing open closes nothing.
        var html = string.Concat(Enumerable.Repeat(opens, 150)) + "x";
        _site.Page("pages/divs.md", "title: Divs", $"Intro.\n\n{html}\n");

        var run = await PublishAsync();

        Assert.Contains("content/pages/divs.md:6:1: error: the HTML is nested more than 100 deep", run.Stderr.Replace('\\', '/'));
    }

    [Fact]
    public async Task A_list_nested_200_deep_is_an_error_at_its_line()
    {
        var list = string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "- item\n"));
        _site.Page("pages/lists.md", "title: Lists", list);

        var run = await PublishAsync();

        Assert.Matches(@"content/pages/lists\.md:\d+:1: error: the Markdown is nested more than \d+ deep", run.Stderr.Replace('\\', '/'));
    }
}
