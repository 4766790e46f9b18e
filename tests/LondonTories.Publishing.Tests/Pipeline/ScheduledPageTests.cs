using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>
/// A page scheduled for later is checked now, as it will render when it falls due: an error found
/// only then would stop every publish from that moment, with nobody there to fix it.
/// </summary>
public sealed class ScheduledPageTests : IDisposable
{
    private readonly TestSite _site = new();

    public ScheduledPageTests()
    {
        _site.Page("pages/housing.md", "title: Housing in {{ constituency.name }}\nweight: 1");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Validate_reports_an_error_in_a_page_not_yet_due_with_the_time_it_falls_due()
    {
        _site.Page("pages/launch.md", "title: Launch\npublish_at: 2026-12-05T09:00", "Hello {{ constituency.nmae }}.\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n'), l => l.Contains("launch.md", StringComparison.Ordinal));
        Assert.Contains("content/pages/launch.md:5:23: error:", line, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'name'?", line, StringComparison.Ordinal);
        Assert.Contains("falls due at 2026-12-05 09:00 (Europe/London)", line, StringComparison.Ordinal);
        Assert.EndsWith("[template-runtime]", line.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_before_the_page_is_due_goes_out_and_warns_of_the_error_ahead()
    {
        _site.Page("pages/launch.md", "title: Launch\npublish_at: 2026-12-05T09:00", "Hello {{ constituency.nmae }}.\n");

        var result = await _site.PublishAsync(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
        Assert.False(_site.Exists("web/battersea/launch/index.html"));
        var warning = Assert.Single(result.Diagnostics, d => d.Location.Path.EndsWith("launch.md", StringComparison.Ordinal));
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("template-runtime", warning.Code);
        Assert.Equal(5, warning.Subjects.Length);
        Assert.Contains("publishing stops at that time", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_page_once_due_is_an_error_that_stops_the_publish()
    {
        _site.Page("pages/launch.md", "title: Launch\npublish_at: 2026-12-05T09:00", "Hello {{ constituency.nmae }}.\n");

        var result = await _site.PublishAsync(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Location.Path.EndsWith("launch.md", StringComparison.Ordinal));
        Assert.True(error.IsError);
        Assert.DoesNotContain("falls due", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduled_pages_that_render_cleanly_add_nothing()
    {
        _site.Page("pages/launch.md", "title: Launch in {{ constituency.name }}\npublish_at: 2026-12-05T09:00", "Hello {{ constituency.name }}.\n")
            .Page("pages/launch.bn.md", "title: লঞ্চ\npublish_at: 2026-12-06T09:00");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("launch", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_or_a_page_that_expires_before_it_is_due_is_not_checked()
    {
        _site.Page("pages/draft.md", "title: Draft\ndraft: true\npublish_at: 2026-12-05T09:00", "Hello {{ constituency.nmae }}.\n")
            .Page("pages/never.md", "title: Never\npublish_at: 2026-12-05T09:00\nexpire_at: 2026-12-04T09:00", "Hello {{ constituency.nmae }}.\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00");

        Assert.DoesNotContain(run.Stderr.Split('\n'), l => l.Contains("[template-runtime]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_publish_looks_ahead_to_the_soonest_moments_only_and_validate_to_all()
    {
        var soonest = Enumerable.Range(1, ScheduledPages.MomentsAPublishChecks).Select(day => $"pages/day-{day}.md").ToList();
        foreach (var (path, day) in soonest.Select((p, i) => (p, i + 1)))
        {
            _site.Page(path, $"title: Day {day}\npublish_at: 2026-12-{day:00}T09:00");
        }

        _site.Page("pages/last.md", "title: Last\npublish_at: 2026-12-31T09:00", "Hello {{ constituency.nmae }}.\n");

        var published = await _site.PublishAsync(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var validated = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00");

        Assert.True(published.Succeeded);
        Assert.DoesNotContain(published.Diagnostics, d => d.Location.Path.EndsWith("last.md", StringComparison.Ordinal));
        Assert.Equal(1, validated.ExitCode);
        Assert.Contains("last.md:5:23: error:", validated.Stderr, StringComparison.Ordinal);
    }
}
