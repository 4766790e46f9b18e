using LondonTories.Publishing.Content;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

public sealed class SiteClockTests
{
    private static readonly TimeZoneInfo London = SiteClock.FindZone("Europe/London");

    [Theory]
    [InlineData("2026-11-30T09:00", "2026-11-30T09:00:00+00:00")]
    [InlineData("2026-07-01T09:00", "2026-07-01T08:00:00+00:00")]
    [InlineData("2026-07-01 09:00:30", "2026-07-01T08:00:30+00:00")]
    [InlineData("2026-07-01", "2026-06-30T23:00:00+00:00")]
    [InlineData("2026-07-01T09:00:00Z", "2026-07-01T09:00:00+00:00")]
    [InlineData("2026-07-01T09:00:00+02:00", "2026-07-01T07:00:00+00:00")]
    public void Times_without_an_offset_are_London_time(string text, string expected)
    {
        var instant = SiteClock.Parse(text, London, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("2026-10-25T01:30", "2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00")]
    [InlineData("2027-03-28T01:30", "2027-03-28T01:30:00+00:00", "2027-03-28T01:30:00+01:00")]
    public void A_wall_clock_time_the_clocks_repeat_or_skip_has_two_moments_each_of_which_reads_back_exactly(string text, string first, string second)
    {
        Assert.Null(SiteClock.Parse(text, London, out _));
        Assert.Equal([first, second], SiteClock.MomentsOf(text, London));
        foreach (var moment in new[] { first, second })
        {
            var instant = SiteClock.Parse(moment, London, out _)!.Value;
            Assert.Equal(instant, SiteClock.Parse(SiteClock.Exact(instant, London), London, out _));
        }
    }

    [Theory]
    [InlineData("2026-11-30T09:00")]
    [InlineData("2026-10-25T01:30+00:00")]
    [InlineData("not a time")]
    public void Any_other_text_has_no_moments_to_choose_from(string text) => Assert.Empty(SiteClock.MomentsOf(text, London));

    [Theory]
    [InlineData("2026-10-25T00:30:00Z", "UTC+01:00, the first 01:30")]
    [InlineData("2026-10-25T01:30:00Z", "UTC+00:00, the second 01:30")]
    [InlineData("2026-10-25T02:30:00Z", null)]
    [InlineData("2026-11-30T09:00:00Z", null)]
    public void Which_of_two_equal_wall_clock_times_a_moment_is_is_named(string instant, string? expected) =>
        Assert.Equal(expected, SiteClock.WhichOfTwice(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), London));

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "Europe/London")]
    [InlineData("0001-01-01T03:00", "Europe/London")]
    [InlineData("0001-01-01T00:00", "Asia/Dhaka")]
    [InlineData("1066-10-14", "Europe/London")]
    [InlineData("9999-12-31T23:59:59Z", "Europe/London")]
    [InlineData("9999-12-31T23:00", "America/New_York")]
    public void A_time_centuries_away_is_an_error_saying_which_years_are_taken(string text, string zone)
    {
        var instant = SiteClock.Parse(text, SiteClock.FindZone(zone), out var error);

        Assert.Null(instant);
        Assert.Contains($"between {SiteClock.Earliest.Year} and {SiteClock.Latest.Year}", error);
    }

    [Fact]
    public void A_time_skipped_when_the_clocks_go_forward_is_an_error_naming_both_offsets()
    {
        var instant = SiteClock.Parse("2026-03-29T01:30", London, out var error);

        Assert.Null(instant);
        Assert.Contains("does not exist", error);
        Assert.Contains("2026-03-29T01:30:00+00:00", error);
        Assert.Contains("2026-03-29T01:30:00+01:00", error);
    }

    [Fact]
    public void A_time_that_happens_twice_when_the_clocks_go_back_is_an_error_naming_both_offsets()
    {
        var instant = SiteClock.Parse("2026-10-25T01:30", London, out var error);

        Assert.Null(instant);
        Assert.Contains("happens twice", error);
        Assert.Contains("2026-10-25T01:30:00+01:00", error);
        Assert.Contains("2026-10-25T01:30:00+00:00", error);
    }

    [Fact]
    public void An_offset_resolves_a_time_that_happens_twice()
    {
        var first = SiteClock.Parse("2026-10-25T01:30+01:00", London, out _);
        var second = SiteClock.Parse("2026-10-25T01:30+00:00", London, out _);

        Assert.Equal(TimeSpan.FromHours(1), second - first);
    }

    [Fact]
    public void Nonsense_is_an_error_with_the_expected_form()
    {
        Assert.Null(SiteClock.Parse("next tuesday", London, out var error));
        Assert.Contains("2026-11-30T09:00", error);
    }

    [Fact]
    public void A_page_dated_in_the_clock_change_gap_is_a_content_error_on_its_line()
    {
        using var site = new TestSite();
        site.Page("pages/spring.md", "title: Spring\nsummary: Clocks change\npublish_at: 2026-03-29T01:15");

        var diagnostic = Assert.Single(site.Load().Diagnostics);

        Assert.Equal("invalid-time", diagnostic.Code);
        Assert.Equal(4, diagnostic.Location.Line);
        Assert.Contains("+00:00", diagnostic.Message);
        Assert.Contains("+01:00", diagnostic.Message);
    }

    [Fact]
    public async Task Pages_appear_at_publish_at_and_go_at_expire_at_in_London_time()
    {
        using var site = new TestSite();
        site.Page("pages/always.md", "title: Always")
            .Page("pages/embargoed.md", "title: Embargoed\npublishDate: 2026-07-01T09:00")
            .Page("pages/expiring.md", "title: Expiring\nexpire_at: 2026-07-01T09:00")
            .Page("pages/draft.md", "title: Draft\ndraft: true");

        await site.PublishAsync(new DateTimeOffset(2026, 7, 1, 7, 59, 59, TimeSpan.Zero));
        var early = (site.Exists("web/battersea/embargoed/index.html"), site.Exists("web/battersea/expiring/index.html"));
        await site.PublishAsync(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero));
        var due = (site.Exists("web/battersea/embargoed/index.html"), site.Exists("web/battersea/expiring/index.html"));

        Assert.Equal((false, true), early);
        Assert.Equal((true, false), due);
        Assert.False(site.Exists("web/battersea/draft/index.html"));
        Assert.True(site.Exists("web/battersea/always/index.html"));
    }
}
