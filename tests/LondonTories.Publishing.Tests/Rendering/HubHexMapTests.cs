using System.Text;
using System.Text.RegularExpressions;
using LondonTories.Publishing;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>The built-in hub's hex map of London: one named, linked hexagon a seat, in the cartogram's places.</summary>
public sealed partial class HubHexMapTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();

    [Fact]
    public async Task Every_sample_seat_is_a_linked_hexagon_named_by_the_seat()
    {
        var content = await Services.GetRequiredService<Publisher>().LoadAsync(new FolderContentSource(SampleContent()), CancellationToken.None);
        var (plan, hub) = RenderHub(content);

        var svg = SvgPattern().Match(hub);
        Assert.True(svg.Success, "The hub has no hex map.");
        Assert.Contains("role=\"group\"", svg.Value);
        var links = HexLinkPattern().Matches(svg.Value).ToList();
        Assert.Equal(plan.Seats.Length, links.Count);
        foreach (var seat in plan.Seats)
        {
            var link = Assert.Single(links, l => l.Groups["href"].Value == seat.Main.HomeUrl);
            Assert.Equal(System.Net.WebUtility.HtmlEncode(seat.Seat.Name), link.Groups["label"].Value);
            Assert.Equal(6, link.Groups["points"].Value.Split(' ').Length);
        }

        Assert.DoesNotContain("<script", hub, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aria-label=\"Constituencies by borough\"", hub);
    }

    [Fact]
    public void Hexagons_sit_where_the_odd_r_layout_puts_them_and_never_overlap()
    {
        var drawing = LondonHexMap.Draw(LondonHexMap.All.Keys, radius: 10);
        var width = Math.Sqrt(3) * 10;

        Assert.Equal(75, drawing.Tiles.Count);
        foreach (var a in drawing.Tiles.Values)
        {
            foreach (var b in drawing.Tiles.Values.Where(t => t != a))
            {
                var expectedX = width * (a.Cell.Q - b.Cell.Q + ((a.Cell.IsShifted ? 0.5 : 0) - (b.Cell.IsShifted ? 0.5 : 0)));
                // Centres are rounded to hundredths for the drawing.
                Assert.Equal(expectedX, a.X - b.X, 0.02);
                Assert.Equal(-15.0 * (a.Cell.R - b.Cell.R), a.Y - b.Y, 0.02);
                Assert.True(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) >= width - 0.05, $"{a.GssCode} overlaps {b.GssCode}.");
            }

            Assert.InRange(a.X, width / 2, drawing.Width - (width / 2));
            Assert.InRange(a.Y, 10, drawing.Height - 10);
        }
    }

    [Fact]
    public void An_odd_row_is_shifted_half_a_hex_right_even_for_negative_rows()
    {
        // Battersea (62,-41) is on an odd row; Beckenham and Penge (65,-43) too; Barking (68,-38) on an even one.
        Assert.Equal(new HexCell(62, -41), LondonHexMap.Find("E14001081"));
        Assert.True(new HexCell(62, -41).IsShifted);
        Assert.False(new HexCell(68, -38).IsShifted);
        var drawing = LondonHexMap.Draw(["E14001081", "E14001073"], radius: 10);
        var battersea = drawing.Tiles["E14001081"];
        var barking = drawing.Tiles["E14001073"];
        Assert.Equal(Math.Sqrt(3) * 10 * (62.5 - 68), battersea.X - barking.X, 0.02);
        Assert.Equal(15 * 3, battersea.Y - barking.Y, 0.02);
    }

    [Fact]
    public void A_hub_whose_seats_are_not_on_the_map_shows_no_map_but_still_lists_them()
    {
        var content = Services.GetRequiredService<ContentLoader>().Load(
        [
            File("site.yaml", "title: Test\nbase_url: https://example.org\nimprint:\n  promoter: A Person\n  address: 1 Road, London\n"),
            File("constituencies.yaml", "constituencies:\n  - slug: nowhere\n    name: Nowhere\n    gss_code: E14999999\n    boroughs: [Camden]\n"),
            File("pages/hello.md", "---\ntitle: Hello\n---\nHello.\n"),
        ], "content");
        Assert.False(content.HasErrors, string.Join("\n", content.Diagnostics));

        var (_, hub) = RenderHub(content);

        Assert.DoesNotContain("<svg", hub);
        Assert.Contains(">Nowhere</a>", hub);
    }

    private static (SitePlan Plan, string Hub) RenderHub(SiteContent content)
    {
        var diagnostics = new DiagnosticBag();
        var plan = Services.GetRequiredService<Planner>().Plan(content, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), diagnostics);
        var hub = Services.GetRequiredService<SiteRenderer>().Begin(plan.Content, plan.Seats).RenderHub(diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.ToImmutableSorted()));
        return (plan, hub!);
    }

    private static ContentFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    private static string SampleContent()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "LondonTories.sln")))
            {
                return Path.Combine(folder.FullName, "content");
            }
        }

        throw new InvalidOperationException("The repository's content folder was not found.");
    }

    [GeneratedRegex("<svg[^>]*>.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgPattern();

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\" aria-label=\"(?<label>[^\"]+)\"><title>[^<]+</title><polygon points=\"(?<points>[^\"]+)\"/></a>")]
    private static partial Regex HexLinkPattern();
}
