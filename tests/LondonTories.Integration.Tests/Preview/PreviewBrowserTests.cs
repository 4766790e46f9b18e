using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>The editors' preview in a real browser: seats, languages, time, live reload, errors, coverage, the hub's map and accessibility.</summary>
public sealed class PreviewBrowserTests(PreviewScenarioFixture scenario, ITestOutputHelper output) : IClassFixture<PreviewScenarioFixture>
{
    [Fact]
    public void Switching_seat_in_the_toolbar_shows_that_seats_variant()
    {
        var step = scenario.Step("seat");

        Assert.Contains("Battersea's own welcome", Text(step, "before"));
        Assert.EndsWith("/putney/welcome/", Text(step, "url"));
        Assert.Contains("The London-wide welcome for Putney.", Text(step, "after"));
        Assert.DoesNotContain("Battersea", Text(step, "after"));
    }

    [Fact]
    public void Typing_in_the_seat_search_narrows_the_list_and_enter_opens_the_seat()
    {
        var step = scenario.Step("seatSearch");

        Assert.Equal(["bethnal-green-and-stepney"], Strings(step.GetProperty("visible")));
        Assert.EndsWith("/bethnal-green-and-stepney/welcome/", Text(step, "url"));
    }

    [Fact]
    public void Choosing_Bengali_on_a_Bengali_seat_serves_the_translation_in_Bengali()
    {
        var step = scenario.Step("bengali");

        Assert.EndsWith("/bethnal-green-and-stepney/bn/welcome/", Text(step, "url"));
        Assert.Equal("bn", Text(step, "lang"));
        Assert.Equal("Bethnal Green and Stepney-এ স্বাগতম", Text(step, "title"));
    }

    [Fact]
    public void An_Urdu_page_is_served_right_to_left()
    {
        var step = scenario.Step("rtl");

        Assert.EndsWith("/ealing-southall/ur/welcome/", Text(step, "url"));
        Assert.Equal("ur", Text(step, "lang"));
        Assert.Equal("rtl", Text(step, "dir"));
    }

    [Fact]
    public void Moving_the_time_past_an_embargo_shows_the_page_and_going_back_to_now_hides_it()
    {
        var step = scenario.Step("embargo");

        Assert.Equal(404, step.GetProperty("beforeStatus").GetInt32());
        Assert.Equal(200, step.GetProperty("afterStatus").GetInt32());
        Assert.Equal("Spring launch in Battersea", Text(step, "title"));
        Assert.Contains("Spring launch in Battersea", Text(step, "listed"));
        Assert.Equal(404, step.GetProperty("resetStatus").GetInt32());
    }

    [Fact]
    public void Saving_a_file_reloads_the_open_page_with_the_new_text()
    {
        var step = scenario.Step("reload");

        Assert.True(step.GetProperty("visibleAfterMs").ValueKind == JsonValueKind.Number, "The edited text never appeared in the open page.");
        Assert.Contains("A freshly edited welcome for Putney.", Text(step, "text"));
        output.WriteLine($"Saved change visible in the browser after {step.GetProperty("visibleAfterMs").GetInt32()} ms.");
    }

    [Fact]
    public void A_broken_file_shows_every_error_with_its_place_over_the_last_good_render()
    {
        var step = scenario.Step("errors");

        foreach (var list in new[] { "items", "itemsAfterReload" })
        {
            var items = Strings(step.GetProperty(list));
            Assert.Equal(2, items.Count);
            Assert.Contains(items, i => Regex.IsMatch(i, @"pages/welcome\.md:5:\d+: unknown constituency 'nowhere-seat'"));
            Assert.Contains(items, i => Regex.IsMatch(i, @"pages/launch\.md:5:\d+: publish_at: 'next spring' is not a date and time"));
        }

        Assert.Contains("A freshly edited welcome for Putney.", Text(step, "textWhileBroken"));
        Assert.Contains("A freshly edited welcome for Putney.", Text(step, "textAfterReload"));
        Assert.Equal(0, step.GetProperty("overlayAfterFix").GetInt32());
        Assert.Contains("A freshly edited welcome for Putney.", Text(step, "textAfterFix"));
    }

    [Fact]
    public void Coverage_shows_every_seat_with_its_variant_languages_and_audience_blocks()
    {
        var step = scenario.Step("coverage");
        var seats = scenario.Content.Constituencies.Select(s => s.Slug).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(seats, Strings(step.GetProperty("rows")).Order(StringComparer.Ordinal));
        Assert.Equal(seats, step.GetProperty("hexes").EnumerateArray().Select(h => h.GetProperty("seat").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("seat", Text(step.GetProperty("battersea"), "match"));
        Assert.Equal("all", Text(step.GetProperty("putney"), "match"));
        Assert.Contains("audience borough:bromley", Text(step.GetProperty("bromley"), "text"));
        Assert.DoesNotContain("audience borough:bromley", Text(step.GetProperty("putney"), "text"));
        Assert.Contains("bn ur", Text(step.GetProperty("eastHam"), "text"));
        Assert.Equal("none", Text(step.GetProperty("launch"), "match"));
        var battersea = step.GetProperty("hexes").EnumerateArray().Single(h => h.GetProperty("seat").GetString() == "battersea");
        Assert.Equal("Battersea: 1 localised item", Text(battersea, "label"));
    }

    [Fact]
    public void The_hub_map_has_a_link_named_for_every_seat_reachable_by_keyboard()
    {
        var step = scenario.Step("hub");
        var hexes = step.GetProperty("hexes").EnumerateArray().ToList();
        var names = scenario.Content.Constituencies.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(names, hexes.Select(h => Text(h, "label")).Order(StringComparer.Ordinal));
        foreach (var seat in scenario.Content.Constituencies)
        {
            Assert.Contains(hexes, h => Text(h, "label") == seat.Name && Text(h, "href") == $"/{seat.Slug}/");
        }

        Assert.Equal(names, Strings(step.GetProperty("boroughList")).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Strings(step.GetProperty("scripts")), src => Assert.StartsWith("/_preview/", src));
        var focused = Text(step, "focusedHex");
        var slug = scenario.Content.Constituencies.Single(s => s.Name == focused).Slug;
        Assert.EndsWith($"/{slug}/", Text(step, "followed"));
    }

    [Theory]
    [InlineData("hub")]
    [InlineData("seatHome")]
    [InlineData("page")]
    [InlineData("rtlPage")]
    [InlineData("coverage")]
    public void Axe_finds_no_serious_or_critical_violations(string page)
    {
        var result = scenario.Step("axe").GetProperty(page);
        var serious = result.GetProperty("violations").EnumerateArray()
            .Where(v => Text(v, "impact") is "serious" or "critical")
            .Select(v => $"{Text(v, "id")} ({Text(v, "impact")}): {Text(v, "help")} at {string.Join(", ", Strings(v.GetProperty("targets")))}")
            .ToList();

        Assert.True(result.GetProperty("passes").GetInt32() > 10, "axe ran too few checks to trust.");
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    [Fact]
    public void Screenshots_are_saved_for_each_view()
    {
        foreach (var name in new[] { "seat-putney", "bengali", "urdu-rtl", "after-embargo", "after-edit", "error-overlay", "coverage", "hub" })
        {
            var file = new FileInfo(Path.Combine(scenario.ScreenshotFolder, name + ".png"));
            Assert.True(file.Exists && file.Length > 1000, $"No screenshot {file.FullName}.");
        }
    }

    [Fact]
    public void The_preview_stops_cleanly_when_asked_to()
    {
        Assert.Equal(0, scenario.ExitCode);
        Assert.Contains("Preview stopped.", scenario.Output);
        output.WriteLine($"First response {scenario.FirstResponseMs:0} ms after starting the command ({scenario.FirstResponseAfterReadyMs:0} ms after it printed its URL).");
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? string.Empty;

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
