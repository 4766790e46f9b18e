using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>A publish writes only files whose bytes change, removes what is no longer due, and never half-replaces a site.</summary>
public sealed class IncrementalPublishTests : IDisposable
{
    private readonly TestSite _site = new();

    public IncrementalPublishTests()
    {
        _site.Page("pages/housing.md", "title: Housing\nweight: 2", "Homes in {{ constituency.name }}.\n")
            .Page("pages/transport.md", "title: Transport\nweight: 3", "Buses.\n")
            .Page("pages/register.md", "title: Register to vote\nweight: 1", "Register with {{ constituency.data.council }}.\n");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_second_publish_with_nothing_changed_writes_no_file()
    {
        var first = await _site.PublishAsync();
        var before = _site.Snapshot();
        var times = Directory.EnumerateFiles(_site.OutDir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = await _site.PublishAsync();

        Assert.True(first.Written > 0);
        Assert.Equal(0, second.Written);
        Assert.Equal(0, second.Deleted);
        Assert.Equal(first.Written, second.Unchanged);
        Assert.Equal(before, _site.Snapshot());
        Assert.All(times, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(t.Key)));
    }

    [Fact]
    public async Task Editing_one_page_rewrites_only_the_files_whose_bytes_change()
    {
        await _site.PublishAsync();
        var before = _site.Snapshot();

        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");
        var result = await _site.PublishAsync();
        var after = _site.Snapshot();

        var changed = after.Where(f => !before.TryGetValue(f.Key, out var old) || !old.AsSpan().SequenceEqual(f.Value)).Select(f => f.Key).ToHashSet();
        Assert.Equal(changed.Where(p => p.StartsWith("web/", StringComparison.Ordinal)).Order(), result.WrittenPaths.Order());
        Assert.Equal(5, result.WrittenPaths.Count(p => p.EndsWith("/transport/index.html")));
        Assert.Equal(5, result.WrittenPaths.Count(p => p.EndsWith("/pages.json")));
        Assert.Contains("web/manifest.json", result.WrittenPaths);
        Assert.DoesNotContain(result.WrittenPaths, p => p.EndsWith("/housing/index.html"));
        Assert.DoesNotContain(result.WrittenPaths, p => p.EndsWith("/index.html") && p.Count(c => c == '/') == 2);
    }

    [Fact]
    public async Task A_changed_title_reaches_every_page_that_lists_it()
    {
        await _site.PublishAsync();

        _site.Page("pages/transport.md", "title: Getting around\nweight: 3", "Buses.\n");
        var result = await _site.PublishAsync();

        Assert.Contains("web/battersea/index.html", result.WrittenPaths);
        Assert.Contains("web/battersea/housing/index.html", result.WrittenPaths);
        Assert.Contains("Getting around", _site.Output("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task Removed_drafted_and_expired_pages_are_deleted()
    {
        _site.Page("pages/winter.md", "title: Winter\nexpire_at: 2026-12-01T00:00");
        foreach (var name in "abcdefgh")
        {
            _site.Page($"pages/{name}.md", $"title: {name}");
        }

        await _site.PublishAsync();
        Assert.True(_site.Exists("web/battersea/winter/index.html"));

        _site.Delete("pages/transport.md");
        _site.Page("pages/housing.md", "title: Housing\ndraft: true");
        var result = await _site.PublishAsync(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

        Assert.True(result.Succeeded, result.Refusal);
        // Each page goes with its fragment.
        Assert.Equal(30, result.Deleted);
        Assert.False(_site.Exists("web/battersea/winter/index.html"));
        Assert.False(_site.Exists("web/battersea/transport/index.html"));
        Assert.False(_site.Exists("web/battersea/housing/index.html"));
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web/battersea/housing")));
        Assert.DoesNotContain("transport", _site.Output("web/manifest.json"));
    }

    [Fact]
    public async Task A_run_that_would_delete_much_of_the_site_refuses_unless_forced()
    {
        await _site.PublishAsync();
        var before = _site.Snapshot();
        _site.Delete("pages/transport.md").Delete("pages/housing.md");

        var refused = await _site.PublishAsync();
        var unchanged = _site.Snapshot();
        var forced = await _site.PublishAsync(force: true);

        Assert.Equal(PublishOutcome.Refused, refused.Outcome);
        Assert.Contains("--force", refused.Refusal);
        Assert.Contains("more than the 25% allowed", refused.Refusal);
        Assert.Equal(before, unchanged);
        Assert.True(forced.Succeeded);
        Assert.Equal(20, forced.Deleted);
    }

    [Fact]
    public async Task Static_files_added_first_do_not_let_a_later_run_delete_every_page_under_the_guard()
    {
        // The guard counted every file: padding the site with static files made deleting all its pages a small share.
        await _site.PublishAsync();
        for (var i = 0; i < 400; i++)
        {
            _site.Write($"static/pad/{i}.txt", "x");
        }

        Assert.True((await _site.PublishAsync()).Succeeded);
        var before = _site.Snapshot();
        _site.Delete("pages/transport.md").Delete("pages/housing.md");

        var refused = await _site.PublishAsync();

        Assert.Equal(PublishOutcome.Refused, refused.Outcome);
        Assert.StartsWith("this run would delete 10 of the 15 pages published (67%), more than the 25% allowed; nothing was changed.", refused.Refusal, StringComparison.Ordinal);
        Assert.Equal(before, _site.Snapshot());
    }

    [Fact]
    public async Task Content_errors_leave_the_previous_output_exactly_as_it_was()
    {
        await _site.PublishAsync();
        var before = _site.Snapshot();

        _site.Page("pages/transport.md", "title: Transport\npublish_date: 2027-01-01", "Changed.\n");
        _site.Page("pages/new.md", "title: New", "{{ constituency.missing_field }}\n");
        var result = await _site.PublishAsync();

        Assert.Equal(PublishOutcome.ContentErrors, result.Outcome);
        Assert.Equal(before, _site.Snapshot());
    }

    [Fact]
    public async Task The_same_content_and_moment_give_byte_identical_files()
    {
        using var other = new TestSite();
        foreach (var file in Directory.EnumerateFiles(_site.ContentDir, "*", SearchOption.AllDirectories))
        {
            other.Write(Path.GetRelativePath(_site.ContentDir, file), File.ReadAllText(file));
        }

        await _site.PublishAsync();
        await other.PublishAsync();

        var mine = _site.Snapshot().Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal));
        var theirs = other.Snapshot().Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal));
        Assert.Equal(mine.Select(f => (f.Key, Convert.ToHexString(f.Value))), theirs.Select(f => (f.Key, Convert.ToHexString(f.Value))));
    }

    [Fact]
    public async Task A_file_changed_by_hand_in_the_output_is_put_right()
    {
        await _site.PublishAsync();
        var path = Path.Combine(_site.OutDir, "web/battersea/housing/index.html");
        var original = File.ReadAllText(path);
        File.WriteAllText(path, "tampered");

        var result = await _site.PublishAsync();

        Assert.Equal(["web/battersea/housing/index.html"], result.WrittenPaths.ToArray());
        Assert.Equal(original, File.ReadAllText(path));
    }
}
