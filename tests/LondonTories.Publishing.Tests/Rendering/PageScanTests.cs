using System.Text;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>
/// The one-pass reading of a page agrees with the page parsed as a browser would: where it passes a
/// page as showing a text, the parsed page shows it too, and it reads the same ids.
/// </summary>
public sealed class PageScanTests
{
    private const string Imprint = "Promoted by A & B, 1 Street.";

    [Fact]
    public async Task Every_page_of_the_sample_site_is_read_in_one_pass_with_the_parsers_text_and_ids()
    {
        var output = Directory.CreateTempSubdirectory("londontories-scan-").FullName;
        try
        {
            var publisher = TestSite.Services.GetRequiredService<Publisher>();
            var result = await publisher.PublishAsync(new FolderContentSource(TestSite.SampleContentDir), new LocalFolderTarget(output), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            var pages = Directory.EnumerateFiles(Path.Combine(output, "web"), "*.html", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith("fragment.html", StringComparison.Ordinal)).ToList();
            Assert.True(pages.Count > 1000);
            var scanned = 0;
            foreach (var file in pages)
            {
                var html = File.ReadAllText(file);
                var parsed = VisibleText.Parse(html);
                if (PageScan.Read(html) is not { } scan)
                {
                    // Only the hub draws its map in SVG, which the one pass leaves to the parser.
                    Assert.Contains("<svg", html, StringComparison.Ordinal);
                    continue;
                }

                scanned++;
                Assert.Equal(VisibleText.TextOf(parsed), scan.Text);
                Assert.Equal(parsed.Document.QuerySelectorAll("[id]").Select(e => e.Id ?? string.Empty), scan.Ids);
            }

            Assert.Equal(pages.Count - 1, scanned);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData("<!-- IMPRINT -->")]
    [InlineData("<script>/* IMPRINT */</script>")]
    [InlineData("<template><p>IMPRINT</p></template>")]
    [InlineData("<p hidden>IMPRINT</p>")]
    [InlineData("<div style=\"display: none\"><p>IMPRINT</p></div>")]
    [InlineData("<p aria-hidden=\"true\">IMPRINT</p>")]
    [InlineData("<details><p>IMPRINT</p></details>")]
    [InlineData("<title>IMPRINT</title>")]
    [InlineData("<img alt=\"IMPRINT\">")]
    [InlineData("<div hidden/>IMPRINT")]
    [InlineData("<div hidden><p>IMPRINT</div>")]
    [InlineData("<svg><text>IMPRINT</text></svg>")]
    [InlineData("<!--> <p hidden> -->IMPRINT</p>")]
    [InlineData("<textarea hidden><p>IMPRINT</p></textarea>")]
    [InlineData("<noscript>IMPRINT</noscript>")]
    [InlineData("<select><option>IMPRINT</option></select>")]
    public void A_hidden_imprint_is_never_passed(string markup)
    {
        var html = Page(markup.Replace("IMPRINT", "Promoted by A &amp; B, 1 Street.", StringComparison.Ordinal));

        Assert.False(VisibleText.Shows(VisibleText.Parse(html), Imprint));
        Assert.False(VisibleText.Check(html, Imprint).Shows);
    }

    [Theory]
    [InlineData("<b hidden><p>x</b>IMPRINT</p>")]
    [InlineData("<div hidden><p>x</div>IMPRINT</p>")]
    [InlineData("<p>IMPRINT</br>")]
    public void Misnested_markup_is_left_to_the_parser(string markup)
    {
        var html = Page(markup.Replace("IMPRINT", "Promoted by A &amp; B, 1 Street.", StringComparison.Ordinal));

        Assert.Null(PageScan.Read(html));
        Assert.Equal(VisibleText.Shows(VisibleText.Parse(html), Imprint), VisibleText.Check(html, Imprint).Shows);
    }

    [Theory]
    [InlineData("a b b a", "a b")]
    [InlineData("a b c", "")]
    [InlineData("x y z y z x y", "x y z")]
    [InlineData("solo", "")]
    public void Ids_carried_twice_are_named_once_in_the_order_they_first_appear(string ids, string expected)
    {
        var html = Page(string.Concat(ids.Split(' ').Select(id => $"<p id=\"{id}\">text</p>")) + "<p>Promoted by A &amp; B, 1 Street.</p>");

        var check = VisibleText.Check(html, Imprint);

        Assert.True(check.Shows);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), check.DuplicateIds);
        Assert.Equal(VisibleText.DuplicateIds(VisibleText.Parse(html)), check.DuplicateIds);
    }

    [Fact]
    public void Markup_before_the_body_that_opens_the_body_early_is_left_to_the_parser()
    {
        // The div opens the body where it stands and stays open, so the imprint after <body> is hidden.
        var html = "<!DOCTYPE html><html><head><div hidden></head><body><p>Promoted by A &amp; B, 1 Street.</p></body></html>";

        Assert.Null(PageScan.Read(html));
        Assert.False(VisibleText.Check(html, Imprint).Shows);
    }

    /// <summary>
    /// Random pages built from markup that nests, misnests, hides and escapes in every way the parts
    /// allow: wherever the one pass reads a page at all, it reads the parser's ids, and it never finds the
    /// imprint where the parser does not.
    /// </summary>
    [Fact]
    public void Random_pages_never_show_the_imprint_to_the_one_pass_alone()
    {
        string[] opens =
        [
            "<div>", "<div hidden>", "<p>", "<p style=\"display:none\">", "<b>", "<b aria-hidden=\"true\">", "<details>", "<details open>",
            "<summary>", "<ul>", "<li>", "<table>", "<tr>", "<td>", "<span id=\"x\">", "<a href=\"?a=1&b=2\">", "<a>", "<form>", "<h2 id=\"main\">",
            "<section style=\"visibility: hidden\">", "<textarea>", "<em>", "<i hidden>", "<button>", "<pre>", "<blockquote>", "<dl>", "<dt>", "<dd>",
            "<div/>", "<input type=\"hidden\">", "<br>", "<img alt=x>", "<object>", "<iframe>", "<xmp>", "<title>",
        ];
        string[] closes = ["</div>", "</p>", "</b>", "</details>", "</summary>", "</ul>", "</li>", "</table>", "</tr>", "</td>", "</span>", "</a>", "</form>", "</h2>", "</section>", "</textarea>", "</em>", "</i>", "</button>", "</pre>", "</blockquote>", "</dl>", "</dt>", "</dd>", "</object>", "</iframe>", "</xmp>", "</title>"];
        string[] texts = ["Promoted by A &amp; B, 1 Street.", "Promoted by", " A &amp; B, ", "1 Street.", "&amp;", "&copy", "&nbsp;", "&#128;", "<!-- c -->", "<!-->", "x", "\n", "<", "&lt;p&gt;"];
        var random = new Random(20261130);
        var passed = 0;
        for (var n = 0; n < 20000; n++)
        {
            var body = new StringBuilder();
            var open = new Stack<string>();
            for (var k = random.Next(1, 14); k > 0; k--)
            {
                switch (random.Next(4))
                {
                    case 0:
                        var tag = opens[random.Next(opens.Length)];
                        body.Append(tag);
                        open.Push("</" + tag[1..].Split(' ', '>', '/')[0] + ">");
                        break;
                    case 1 when open.Count > 0:
                        // Mostly well nested, sometimes not.
                        body.Append(random.Next(6) == 0 ? closes[random.Next(closes.Length)] : open.Pop());
                        break;
                    default:
                        body.Append(texts[random.Next(texts.Length)]);
                        break;
                }
            }

            while (open.Count > 0)
            {
                body.Append(open.Pop());
            }

            var html = Page(body.ToString());
            var parsed = VisibleText.Parse(html);
            if (PageScan.Read(html) is not { } scan)
            {
                continue;
            }

            if (scan.Text.Contains(Imprint, StringComparison.Ordinal))
            {
                passed++;
                Assert.True(VisibleText.Shows(parsed, Imprint), html);
            }

            Assert.Equal(parsed.Document.QuerySelectorAll("[id]").Select(e => e.Id ?? string.Empty), scan.Ids);
        }

        Assert.True(passed > 100, $"only {passed} random pages showed the imprint to the one pass");
    }

    private static string Page(string body) =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>T</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n";
}
