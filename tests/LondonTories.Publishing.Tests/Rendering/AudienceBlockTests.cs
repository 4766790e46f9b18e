using LondonTories.Publishing.Rendering.AudienceBlocks;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

public sealed class AudienceBlockTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Audience_blocks_keep_their_Markdown_only_where_a_selector_matches()
    {
        _site.Page("pages/transport.md", "title: Transport", """
            Everyone reads this.

            ::: audience borough:bromley tag:east
            **Suburban** buses matter here.
            :::

            ::: except battersea
            Not for Battersea.
            :::

            ::: audience battersea
            Only Battersea.
            :::
            """);

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var battersea = _site.Output("web/battersea/transport/index.html");
        var bromley = _site.Output("web/bromley-and-biggin-hill/transport/index.html");
        var bethnalGreen = _site.Output("web/bethnal-green-and-stepney/transport/index.html");
        Assert.Contains("Everyone reads this.", battersea);
        Assert.Contains("Only Battersea.", battersea);
        Assert.DoesNotContain("Not for Battersea.", battersea);
        Assert.DoesNotContain("Suburban", battersea);
        Assert.Contains("<strong>Suburban</strong> buses matter here.", bromley);
        Assert.Contains("Suburban", bethnalGreen);
        Assert.Contains("Not for Battersea.", bromley);
        Assert.DoesNotContain("Only Battersea.", bromley);
        Assert.DoesNotContain(":::", battersea + bromley);
    }

    [Fact]
    public async Task Other_custom_containers_render_as_divs()
    {
        _site.Page("pages/note.md", "title: Note", "::: callout\nImportant.\n:::\n");

        await _site.PublishAsync();

        Assert.Contains("<div class=\"callout\"><p>Important.</p>\n</div>", _site.Output("web/battersea/note/index.html"));
    }

    [Theory]
    [InlineData("imprint")]
    [InlineData("skip-link")]
    [InlineData("site-footer")]
    public async Task A_container_named_for_a_part_of_the_layout_cannot_pass_for_it(string word)
    {
        _site.Page("pages/note.md", "title: Note", $"::: {word}\nPromoted by Nobody, Nowhere.\n:::\n");

        await _site.PublishAsync();

        var page = _site.Output("web/battersea/note/index.html");
        var fragment = _site.Output("web/battersea/note/fragment.html");
        Assert.Contains("<div><p>Promoted by Nobody, Nowhere.</p>\n</div>", page);
        Assert.Contains("<div><p>Promoted by Nobody, Nowhere.</p>\n</div>", fragment);
        Assert.Equal(page.Split($"class=\"{word}\"").Length, _site.Output("web/battersea/index.html").Split($"class=\"{word}\"").Length);
    }

    [Fact]
    public void Every_class_the_built_in_layouts_give_their_parts_is_kept_from_containers()
    {
        var layouts = typeof(AudienceBlockRenderer).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("layouts/", StringComparison.Ordinal))
            .Select(n => new StreamReader(typeof(AudienceBlockRenderer).Assembly.GetManifestResourceStream(n)!).ReadToEnd());
        var classes = layouts.SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, "class=\"([^\"{}]+)\"").Select(m => m.Groups[1].Value))
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();

        Assert.Contains("imprint", classes);
        Assert.All(classes, c => Assert.Contains(c, AudienceBlockRenderer.LayoutParts.AsEnumerable()));
    }

    [Fact]
    public async Task Audience_blocks_work_with_seat_variables()
    {
        _site.Page("pages/local.md", "title: Local", "::: audience tag:outer-london\nWrite to {{ constituency.data.council }}.\n:::\n");

        await _site.PublishAsync();

        Assert.Contains("Write to London Borough of Bromley.", _site.Output("web/beckenham-and-penge/local/index.html"));
        Assert.DoesNotContain("Write to", _site.Output("web/tooting/local/index.html"));
    }
}
