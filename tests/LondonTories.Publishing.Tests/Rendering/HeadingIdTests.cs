using System.Text.RegularExpressions;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Tests.Support;
using Markdig;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>
/// Headings take GitHub's ids from their text, a repeat numbered -1, -2…, as Markdig's own
/// extension gives them, but never an id the built-in layouts use, and in time that grows with the
/// number of headings, not its square.
/// </summary>
public sealed partial class HeadingIdTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private static readonly MarkdownRenderer Renderer = new();

    private static List<string> Ids(string html) => [.. Id().Matches(html).Select(m => m.Groups[1].Value)];

    [Theory]
    [InlineData("# Housing\n\n## Housing\n\n# Housing-1\n\n# Housing\n\n# housing\n")]
    [InlineData("# Housing-1\n\n# Housing\n\n# Housing\n\n# Housing\n")]
    [InlineData("# Café & Co. *now*\n\n# [Linked](https://example.org/) `code`\n\n#\n\n# !!\n\n#\n")]
    [InlineData("Setext\n======\n\n# Setext\n\nSetext\n------\n")]
    [InlineData("# Tax — 2026/27: what's new?\n\n# বাজেট ২০২৬\n\n# بجٹ\n\n# 1. First\n")]
    public void Ids_are_those_Markdigs_GitHub_identifiers_give(string markdown)
    {
        var upstream = new MarkdownPipelineBuilder().UsePipeTables()
            .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub).UseAutoLinks().Build();

        var ids = Ids(Markdown.ToHtml(markdown, Renderer.Pipeline));

        Assert.NotEmpty(ids);
        Assert.Equal(Ids(Markdown.ToHtml(markdown, upstream)), ids);
    }

    [Fact]
    public void Twenty_thousand_repeats_of_one_heading_are_numbered_in_order()
    {
        // Each repeat used to try every number before its own, so this page took half a minute per seat.
        const int Repeats = 20_000;

        var ids = Ids(Markdown.ToHtml(string.Concat(Enumerable.Repeat("# h\n\n", Repeats)), Renderer.Pipeline));

        Assert.Equal(["h", .. Enumerable.Range(1, Repeats - 1).Select(i => $"h-{i}")], ids);
    }

    [Fact]
    public async Task A_heading_named_Main_leaves_the_layouts_main_id_and_its_skip_link_alone()
    {
        _site.Page("pages/about.md", "title: About", "# Main\n\nText.\n\n## Main\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "duplicate-id");
        var html = _site.Output("web/battersea/about/index.html");
        Assert.Equal(["main", "main-1", "main-2"], Ids(html).Where(id => id.StartsWith("main", StringComparison.Ordinal)));
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#main\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("\\sid=\"([^\"]*)\"")]
    private static partial Regex Id();
}
