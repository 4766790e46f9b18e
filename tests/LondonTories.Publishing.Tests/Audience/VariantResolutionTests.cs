using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Audience;

/// <summary>For each seat the most specific variant wins: seat, then borough, then tag, then London-wide.</summary>
public sealed class VariantResolutionTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task The_most_specific_variant_wins_for_each_seat()
    {
        _site.Page("pages/housing.md", "title: Housing for London", "London-wide housing.\n")
            .Page("pages/housing-inner.md", "title: Housing in inner London\nslug: housing\naudience: [tag:inner-london]", "Inner London housing.\n")
            .Page("pages/housing-bromley.md", "title: Housing in Bromley\nslug: housing\naudience: [borough:bromley]", "Bromley housing.\n")
            .Page("pages/housing-battersea.md", "title: Housing in Battersea\nslug: housing\naudience: [battersea]", "Battersea housing.\n");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("Battersea housing.", _site.Output("web/battersea/housing/index.html"));
        Assert.Contains("Inner London housing.", _site.Output("web/tooting/housing/index.html"));
        Assert.Contains("Inner London housing.", _site.Output("web/bethnal-green-and-stepney/housing/index.html"));
        Assert.Contains("Bromley housing.", _site.Output("web/bromley-and-biggin-hill/housing/index.html"));
        Assert.Contains("Bromley housing.", _site.Output("web/beckenham-and-penge/housing/index.html"));
        Assert.DoesNotContain("London-wide housing.", _site.Output("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task Equally_specific_variants_are_an_error_naming_both_files_and_the_seat()
    {
        _site.Page("pages/housing-a.md", "title: A\nslug: housing\naudience: [tag:south]")
            .Page("pages/housing-b.md", "title: B\nslug: housing\naudience: [tag:inner-london]");

        var result = await _site.PublishAsync();

        var tie = Assert.Single(result.Diagnostics, d => d.Code == "variant-tie");
        Assert.Contains("housing-a.md", tie.Message);
        Assert.Contains("housing-b.md", tie.Message);
        Assert.Contains("battersea", tie.Message);
        Assert.False(result.Succeeded);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Fact]
    public async Task A_page_reaches_only_its_audience_less_exclusions()
    {
        _site.Page("pages/suburbs.md", "title: Suburbs\naudience:\n  include: [tag:south]\n  exclude: [borough:bromley, battersea]");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(_site.Exists("web/tooting/suburbs/index.html"));
        Assert.False(_site.Exists("web/battersea/suburbs/index.html"));
        Assert.False(_site.Exists("web/beckenham-and-penge/suburbs/index.html"));
        Assert.False(_site.Exists("web/bethnal-green-and-stepney/suburbs/index.html"));
    }

    [Fact]
    public async Task Variants_whose_schedules_do_not_overlap_take_turns()
    {
        _site.Page("pages/event-before.md", "title: Before\nslug: event\nexpire_at: 2026-12-01T00:00", "Before the event.\n")
            .Page("pages/event-after.md", "title: After\nslug: event\npublish_at: 2026-12-01T00:00", "After the event.\n");

        var before = await _site.PublishAsync(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var beforeText = _site.Output("web/battersea/event/index.html");
        var after = await _site.PublishAsync(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.True(before.Succeeded && after.Succeeded, string.Join("\n", before.Diagnostics.Concat(after.Diagnostics)));
        Assert.Contains("Before the event.", beforeText);
        Assert.Contains("After the event.", _site.Output("web/battersea/event/index.html"));
    }
}
