using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>Raw HTML and links reach a public page only once they are safe.</summary>
public sealed class SanitizingTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<string> Body(string markdown)
    {
        _site.Page("pages/html.md", "title: Html", markdown);
        var result = await _site.PublishAsync();
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var html = _site.Output("web/battersea/html/index.html");
        var start = html.IndexOf("<h1>", StringComparison.Ordinal);
        var end = html.IndexOf("</article>", StringComparison.Ordinal);
        return html[start..end];
    }

    [Fact]
    public async Task Safe_markup_survives()
    {
        var body = await Body("The <abbr title=\"Greater London Authority\">GLA</abbr> decides.\n\n<details><summary>More</summary>Detail.</details>\n");

        Assert.Contains("<abbr title=\"Greater London Authority\">GLA</abbr>", body);
        Assert.Contains("<details><summary>More</summary>Detail.</details>", body);
    }

    [Fact]
    public async Task Scripts_frames_and_event_handlers_are_removed_not_shown()
    {
        var body = await Body("Before.\n\n<script>alert('x')</script>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<p onclick=\"steal()\">Click</p>\n\n<img src=x onerror=alert(1)>\n");

        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", body);
        Assert.DoesNotContain("&lt;script", body);
        Assert.DoesNotContain("iframe", body);
        Assert.DoesNotContain("onclick", body);
        Assert.DoesNotContain("onerror", body);
        Assert.Contains("Click", body);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JAVASCRIPT:alert(1))")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    public async Task Script_bearing_urls_are_removed(string markdown)
    {
        var body = await Body(markdown + "\n");

        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("vbscript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(">x</a>", body);
    }

    [Fact]
    public async Task An_element_opened_in_one_html_block_and_closed_in_a_later_one_stays_whole()
    {
        var body = await Body("Intro for {{ constituency.name }}.\n\n<details>\n<summary>More</summary>\n\nMarkdown **inside**.\n\n</details>\n\nOutro <script>x()</script>.\n");

        Assert.Contains("<p>Intro for Battersea.</p>", body);
        Assert.Matches(@"<details>\s*<summary>More</summary>\s*<p>Markdown <strong>inside</strong>\.</p>\s*</details>", body);
        Assert.Contains("<p>Outro .</p>", body);
        Assert.DoesNotContain("x()", body);
    }

    [Fact]
    public async Task Ordinary_links_are_kept()
    {
        var body = await Body("[Register](https://www.gov.uk/register-to-vote), [us](../housing/), [mail](mailto:a@example.org), [#top](#top)\n");

        Assert.Contains("href=\"https://www.gov.uk/register-to-vote\"", body);
        Assert.Contains("href=\"../housing/\"", body);
        Assert.Contains("href=\"mailto:a@example.org\"", body);
        Assert.Contains("href=\"#top\"", body);
    }

    [Fact]
    public async Task Markup_arriving_through_seat_data_is_sanitised_too()
    {
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("council: Wandsworth Council", "council: \"<script>alert(1)</script>Wandsworth\""));

        var body = await Body("Your council: {{ constituency.data.council }}\n");

        Assert.DoesNotContain("<script", body);
        Assert.Contains("Wandsworth", body);
    }

    [Fact]
    public async Task A_link_opening_a_new_tab_cannot_hand_that_tab_this_page()
    {
        // rel="opener" would let the page it opens navigate this one elsewhere (reverse tabnabbing).
        var body = await Body("<a href=\"https://example.org/\" target=\"_blank\" rel=\"opener external\">A</a> " +
            "<a href=\"https://example.org/b\" target=\"_blank\" rel=\"OPENER\">B</a> <a href=\"https://example.org/c\" target=\"_blank\">C</a>\n");

        Assert.DoesNotContain("opener\"", body.Replace("noopener\"", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<a href=\"https://example.org/\" target=\"_blank\" rel=\"external noopener\">A</a>", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/b\" target=\"_blank\" rel=\"noopener\">B</a>", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/c\" target=\"_blank\" rel=\"noopener\">C</a>", body, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_placeholder_in_angle_brackets_takes_no_text_after_it_with_it_and_is_reported_where_it_stands()
    {
        // Read as an element that never closes, it held every block after it, and went with them.
        _site.Page("pages/html.md", "title: Html", "Intro paragraph.\n\n<Insert quote from councillor here>\n\n## A heading\n\nParagraph A.\n\n- item one\n\nThe <abbr title=\"Greater London Authority\">GLA</abbr> decides.\n\nThe last.\n");

        var result = await _site.PublishAsync();
        var body = _site.Output("web/battersea/html/index.html");

        Assert.True(result.Succeeded);
        foreach (var kept in (string[])["Intro paragraph.", "A heading</h2>", "<p>Paragraph A.</p>", "<li>item one</li>", "<abbr title=\"Greater London Authority\">GLA</abbr> decides.", "<p>The last.</p>"])
        {
            Assert.Contains(kept, body, StringComparison.Ordinal);
        }

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "html-left-out");
        Assert.EndsWith("pages/html.md", warning.Location.Path, StringComparison.Ordinal);
        Assert.Equal((6, 1), (warning.Location.Line, warning.Location.Column));
        Assert.Equal("'<Insert quote from councillor here>' is not HTML a page may carry, so it is left out of every seat's page.", warning.Message);
        Assert.Equal("To show it as written, put a backslash before the '<' (\\<Insert …>); otherwise write what it stands for.", warning.Hint);
    }

    [Fact]
    public async Task Words_after_a_placeholder_inside_a_paragraph_are_kept()
    {
        var body = await Body("Text POLL <your postcode> to 60777 for your polling station. Or email <office at example dot org> and we will help.\n");

        Assert.Contains("<p>Text POLL  to 60777 for your polling station. Or email  and we will help.</p>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_a_page_may_carry_is_not_reported()
    {
        _site.Page("pages/html.md", "title: Html", "The <abbr title=\"GLA\">GLA</abbr> <em>decides</em>.<br>\n\n<details><summary>More</summary>Detail.</details>\n\n<!-- a note -->\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "html-left-out");
    }

    [Fact]
    public async Task Elements_that_hide_or_run_things_still_go_with_what_they_hold_and_are_reported()
    {
        _site.Page("pages/html.md", "title: Html", "Before.\n\n<script>alert('x')</script>\n\n<form action=\"/x\"><p>Give us your card</p><button>Pay</button></form>\n\nAfter.\n");

        var result = await _site.PublishAsync();
        var body = _site.Output("web/battersea/html/index.html");

        Assert.DoesNotContain("alert", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Give us your card", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Pay", body, StringComparison.Ordinal);
        Assert.Contains("<p>After.</p>", body, StringComparison.Ordinal);
        var reported = result.Diagnostics.Where(d => d.Code == "html-left-out").Select(d => (d.Location.Line, d.Message)).ToList();
        Assert.Contains((6, "'<script>' is not HTML a page may carry, so it is left out of every seat's page, with what it holds."), reported);
        Assert.Contains((8, "'<form action=\"/x\">' is not HTML a page may carry, so it is left out of every seat's page, with what it holds."), reported);
    }
}
