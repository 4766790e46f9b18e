using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>
/// A body parsed once for every seat gives each seat exactly the HTML its own text parsed on its own
/// gives, whatever its values hold and wherever the body prints them.
/// </summary>
public sealed class BodyShapeTests : IDisposable
{
    // Values that read as plain words, and values that would not if written into the HTML unparsed.
    private static readonly string[][] Values =
    [
        ["Queen's Park & Maida Vale", "office@qp.example.org.uk", "Café Noir", "Bethnal Green and Stepney"],
        ["AT&T", "www", "http", "1. First"],
        ["*starred*", "snake_case", "a  b", "<b>bold</b>"],
        ["বাংলা ভাষা", "tel", "Ends with &", "[link]"],
        ["Plain words", "mailto", "x", "ends."],
    ];

    private static readonly string[] Bodies =
    [
        "In {{ constituency.data.a }}, policy one. Contact {{ constituency.data.b }}.\n",
        "## About {{ constituency.data.a }}\n\nText for {{ constituency.name }}.\n",
        "*{{ constituency.data.a }}* and **{{ constituency.data.c }}** and _{{ constituency.data.d }}_\n",
        "[Visit {{ constituency.data.a }}](https://example.org/) and [x](https://example.org/{{ constituency.data.b }})\n",
        "| Area | Who |\n| --- | --- |\n| {{ constituency.data.a }} | {{ constituency.data.b }} |\n",
        "{{ constituency.data.d }}\n\n- {{ constituency.data.a }}\n- item\n",
        "See {{ constituency.data.b }}.example.org or {{ constituency.data.b }}://x and ({{ constituency.data.c }}).\n",
        "::: audience tag:outer-london\nOuter {{ constituency.data.a }}\n:::\n\n::: except tag:diverse\nNot diverse: {{ constituency.data.c }}\n:::\n",
        "`{{ constituency.data.a }}` and [{{ constituency.data.a }}] and &{{ constituency.data.c }}\n\n[Plain words]: https://example.org/\n",
        "{{ constituency.data.a }}{{ constituency.data.b }} and \"{{ constituency.data.c }}\" and '{{ constituency.data.d }}'\n",
        "Line {{ constituency.data.a }}  \nnext\n\n{{ constituency.data.c }}\n---\n",
        "In {{ constituency.data.a }}, policy one.\n\nThe <abbr title=\"Greater London Authority\">GLA</abbr> helps {{ constituency.name }}.\n\nThe <abbr title=\"Greater London Authority\">GLA</abbr> again.\n",
        "In {{ constituency.data.a }}, policy one.\n\nThe <abbr title=\"Greater London Authority\">GLA</abbr> helps.\n\n<div class=\"note\">Ask us.</div>\n",
        "<div>\n\nHello {{ constituency.data.a }}\n\n</div>\n",
        "In {{ constituency.data.a }}.\n\n<span>&#90;qxaxqZ and &amp;</span>\n",
    ];

    private readonly TestSite _site = new();

    public BodyShapeTests()
    {
        var seats = TestSite.ConstituenciesYaml;
        string[] slugs = ["battersea", "tooting", "bromley-and-biggin-hill", "beckenham-and-penge", "bethnal-green-and-stepney"];
        for (var i = 0; i < slugs.Length; i++)
        {
            var council = seats.IndexOf("council:", seats.IndexOf($"slug: {slugs[i]}", StringComparison.Ordinal), StringComparison.Ordinal);
            var lineEnd = seats.IndexOf('\n', council) is var end and >= 0 ? end : seats.Length;
            var data = string.Concat(Values[i].Select((v, k) => $"\n      {(char)('a' + k)}: \"{v.Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
            seats = seats[..lineEnd] + data + seats[lineEnd..];
        }

        _site.Write("constituencies.yaml", seats);
        for (var i = 0; i < Bodies.Length; i++)
        {
            _site.Page($"pages/body-{i}.md", $"title: Body {i}", Bodies[i]);
        }
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public void Every_seat_gets_the_html_of_its_own_text()
    {
        var content = _site.Load();
        Assert.False(content.HasErrors, string.Join("\n", content.Diagnostics));
        var diagnostics = new DiagnosticBag();
        var plan = TestSite.Services.GetRequiredService<Planner>().Plan(content, TestSite.Now, diagnostics);
        var session = TestSite.Services.GetRequiredService<SiteRenderer>().Begin(plan.Content, plan.Seats);
        var compared = 0;
        foreach (var seat in plan.Seats)
        {
            foreach (var page in seat.Main.Pages.Where(p => p.Slug.StartsWith("body-", StringComparison.Ordinal)))
            {
                var alone = session.RenderBodyParsed(seat, page, diagnostics);
                Assert.NotNull(alone);
                Assert.Equal(alone, session.RenderBody(seat, page, diagnostics));
                // The last body spells a stand-in with an entity, which its own text keeps as written.
                Assert.Equal(page.Slug == $"body-{Bodies.Length - 1}" ? 1 : 0, alone.Split(PrintShape.StandInPrefix, StringSplitOptions.None).Length - 1);
                compared++;
            }
        }

        Assert.Equal(Bodies.Length * 5, compared);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.ToImmutableSorted()));
        var once = plan.Seats[0].Main.Pages.Where(p => session.ParsedOnce(p.File)).Select(p => p.Slug).Order().ToList();
        // Values in link addresses, headings, audience rules' neighbours, run together, or among the blocks the
        // sanitiser takes (raw HTML), and raw HTML with an entity, keep a body parsed per seat.
        Assert.Equal(["body-0", "body-12", "body-2", "body-4", "body-5", "body-6", "body-7"], once);
    }
}
