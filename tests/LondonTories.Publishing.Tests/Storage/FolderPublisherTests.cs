using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Storage;

/// <summary>A local publish whose inputs match the folder's fingerprint stops there, writing nothing, unless the folder or the time says otherwise.</summary>
public sealed class FolderPublisherTests : IDisposable
{
    private readonly TestSite _site = new();

    public FolderPublisherTests()
    {
        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes in {{ constituency.name }}.\n")
            .Page("pages/transport.md", "title: Transport\nweight: 2", "Buses.\n")
            .Page("pages/budget.md", "title: Budget\nweight: 3\npublish_at: 2026-11-30T14:00", "The budget.\n");
    }

    public void Dispose() => _site.Dispose();

    private string Fingerprint => Path.Combine(_site.OutDir, LocalFolderTarget.FingerprintFileName);

    private Task<PublishResult> PublishAsync(DateTimeOffset? now = null) =>
        TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            new FolderContentSource(_site.ContentDir), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = now ?? TestSite.Now }, CancellationToken.None);

    private Dictionary<string, (DateTime Time, long Length)> Files() =>
        Directory.EnumerateFiles(_site.OutDir, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), new FileInfo(f).Length));

    [Fact]
    public async Task A_run_with_the_inputs_of_the_last_one_stops_at_the_fingerprint_and_touches_no_file()
    {
        var first = await PublishAsync();
        var before = Files();

        var second = await PublishAsync(TestSite.Now.AddHours(1));

        Assert.True(first.Written > 0);
        Assert.Contains(Fingerprint, before.Keys);
        Assert.Equal((0, first.Written, 0, first.Pages, first.Seats), (second.Written, second.Unchanged, second.Deleted, second.Pages, second.Seats));
        Assert.Empty(second.WrittenPaths);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task A_run_that_stops_at_the_fingerprint_never_builds_the_pipeline_and_one_with_work_to_do_does()
    {
        await PublishAsync();
        var built = 0;
        // Counted as the one wiring builds them: a program started for one run that has nothing to do must not pay for templates, Markdown and the sanitiser.
        ServiceProvider Fresh() => new ServiceCollection()
            .AddSingleton(provider => { Interlocked.Increment(ref built); return ActivatorUtilities.CreateInstance<Publisher>(provider); })
            .AddSingleton(provider => { Interlocked.Increment(ref built); return ActivatorUtilities.CreateInstance<LondonTories.Publishing.Content.ContentLoader>(provider); })
            .AddLondonToriesPublishing()
            .BuildServiceProvider();
        Task<PublishResult> PublishWith(ServiceProvider services) => services.GetRequiredService<FolderPublisher>().PublishAsync(
            new FolderContentSource(_site.ContentDir), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now.AddHours(1) }, CancellationToken.None);

        await using (var services = Fresh())
        {
            Assert.Equal(0, (await PublishWith(services)).Written);
        }

        Assert.Equal(0, built);
        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes, rewritten, in {{ constituency.name }}.\n");
        await using (var services = Fresh())
        {
            Assert.True((await PublishWith(services)).Written > 0);
        }

        Assert.Equal(2, built);
    }

    [Fact]
    public async Task A_link_made_in_the_folder_since_the_last_run_is_refused_by_a_run_with_the_same_inputs_and_what_it_leads_to_is_kept()
    {
        await PublishAsync();
        var photos = Path.Combine(_site.Root, "photos");
        Directory.CreateDirectory(photos);
        File.WriteAllText(Path.Combine(photos, "holiday.jpg"), "not the site's");
        Directory.CreateSymbolicLink(Path.Combine(_site.OutDir, "web/battersea/mine"), photos);

        await Assert.ThrowsAsync<UnsafeOutputPathException>(() => PublishAsync());

        Assert.True(File.Exists(Path.Combine(photos, "holiday.jpg")));
    }

    [Fact]
    public async Task A_file_deleted_or_changed_by_hand_makes_the_next_run_a_full_one_that_puts_it_back()
    {
        await PublishAsync();
        var page = Path.Combine(_site.OutDir, "web/battersea/housing/index.html");
        var bytes = File.ReadAllBytes(page);
        File.Delete(page);

        var afterDelete = await PublishAsync();
        File.AppendAllText(page, "<!-- changed -->");
        var afterChange = await PublishAsync();

        Assert.Equal("web/battersea/housing/index.html", Assert.Single(afterDelete.WrittenPaths));
        Assert.Equal("web/battersea/housing/index.html", Assert.Single(afterChange.WrittenPaths));
        Assert.Equal(bytes, File.ReadAllBytes(page));
        Assert.True(File.Exists(Fingerprint));
    }

    [Fact]
    public async Task A_file_added_by_hand_or_only_touched_makes_the_next_run_look_at_the_folder()
    {
        await PublishAsync();
        var stray = Path.Combine(_site.OutDir, "web/battersea/housing/notes.html");
        File.WriteAllText(stray, "left by hand");

        var afterAdd = await PublishAsync();
        var page = Path.Combine(_site.OutDir, "web/battersea/transport/index.html");
        File.SetLastWriteTimeUtc(page, File.GetLastWriteTimeUtc(page).AddMinutes(-5));
        var vouchedBefore = File.ReadAllBytes(Fingerprint);
        var afterTouch = await PublishAsync();
        var vouchedAfter = File.ReadAllBytes(Fingerprint);
        var again = await PublishAsync();

        Assert.Equal("web/battersea/housing/notes.html", Assert.Single(afterAdd.DeletedPaths));
        Assert.False(File.Exists(stray));
        // Touched but the same bytes: read, found unchanged and nothing written, and the folder vouched for as it now is.
        Assert.Equal((0, 0), (afterTouch.Written, afterTouch.Deleted));
        Assert.NotEqual(vouchedBefore, vouchedAfter);
        Assert.Equal(0, again.Written);
        Assert.Equal(vouchedAfter, File.ReadAllBytes(Fingerprint));
    }

    [Fact]
    public async Task A_scheduled_time_that_passed_makes_the_next_run_a_full_one()
    {
        await PublishAsync();
        var files = Files();

        var before = await PublishAsync(new DateTimeOffset(2026, 11, 30, 13, 59, 59, TimeSpan.Zero));
        var stopped = Files();
        var budgetBefore = _site.Exists("web/battersea/budget/index.html");
        var after = await PublishAsync(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));

        Assert.Equal(0, before.Written);
        Assert.Equal(files, stopped);
        Assert.False(budgetBefore);
        Assert.Contains("web/battersea/budget/index.html", after.WrittenPaths);
        Assert.True(_site.Exists("web/battersea/budget/index.html"));
    }

    [Fact]
    public async Task Changed_content_or_options_make_a_full_run()
    {
        await PublishAsync();

        _site.Page("pages/transport.md", "title: Transport\nweight: 2", "Buses and trains.\n");
        var edited = await PublishAsync();
        var fingerprint = File.ReadAllText(Fingerprint);
        var forced = await TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            new FolderContentSource(_site.ContentDir), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now, Force = true }, CancellationToken.None);

        Assert.Contains("web/battersea/transport/index.html", edited.WrittenPaths);
        Assert.Contains("Buses and trains.", _site.Output("web/battersea/transport/index.html"), StringComparison.Ordinal);
        Assert.Equal(0, forced.Written);
        Assert.Equal(edited.Written + edited.Unchanged, forced.Unchanged);
        Assert.NotEqual(fingerprint, File.ReadAllText(Fingerprint));
    }

    [Fact]
    public async Task A_run_that_stops_at_the_fingerprint_still_reports_the_warnings_its_files_give()
    {
        _site.Write("Pages/draft.md", "---\ntitle: Draft\n---\nText.\n");
        var first = await PublishAsync();

        var second = await PublishAsync(TestSite.Now.AddHours(1));

        var warning = Assert.Single(first.Diagnostics, d => d.Code == "not-content");
        Assert.Equal(0, second.Written);
        Assert.Equal(first.Written, second.Unchanged);
        Assert.Equal([warning.ToString()], second.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public async Task The_same_content_named_another_way_stops_at_the_fingerprint_with_its_warnings_shown_as_named()
    {
        _site.Write("Pages/draft.md", "---\ntitle: Draft\n---\nText.\n");
        await PublishAsync();
        var before = Files();

        var renamed = await TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            new FolderContentSource(Path.Combine(_site.Root, ".", "content")), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);
        var loaded = await TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            _site.Load(), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);

        Assert.Equal((0, 0), (renamed.Written, loaded.Written));
        Assert.Equal(Path.Combine(_site.Root, ".", "content", "Pages", "draft.md"), Assert.Single(renamed.Diagnostics).Location.Path);
        Assert.Equal("not-content", Assert.Single(loaded.Diagnostics).Code);
        Assert.Equal(before.Where(f => f.Key != Fingerprint), Files().Where(f => f.Key != Fingerprint));
    }

    [Fact]
    public async Task A_run_that_finds_the_folder_as_content_loaded_elsewhere_left_it_keeps_where_the_content_came_from()
    {
        await TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            _site.Load(), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);
        var before = Files();
        var unknownRoot = File.ReadAllText(Fingerprint);

        var second = await PublishAsync();
        var third = await PublishAsync();

        Assert.Equal((0, 0), (second.Written, third.Written));
        Assert.DoesNotContain(_site.ContentDir, unknownRoot, StringComparison.Ordinal);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(_site.ContentDir), File.ReadAllText(Fingerprint), StringComparison.Ordinal);
        Assert.Equal(before.Where(f => f.Key != Fingerprint), Files().Where(f => f.Key != Fingerprint));
    }

    [Fact]
    public async Task A_run_that_stops_at_the_fingerprint_reports_the_warnings_of_the_whole_last_run_not_only_its_content()
    {
        // A link to a page no seat has is found while the pages are built, after the content is read.
        _site.Page("pages/links.md", "title: Links\nweight: 4", "See [the plan](/{{ constituency.slug }}/no-such-page/).\n");
        var first = await PublishAsync();

        var second = await PublishAsync(TestSite.Now.AddHours(1));

        var renamedRoot = Path.Combine(_site.Root, ".", "content");
        var renamed = await TestSite.Services.GetRequiredService<FolderPublisher>().PublishAsync(
            new FolderContentSource(renamedRoot), new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);

        Assert.Contains(first.Diagnostics, d => d.Code == "broken-link");
        Assert.Equal(0, second.Written);
        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(0, renamed.Written);
        Assert.Equal(first.Diagnostics.Select(d => d.ToString().Replace(_site.ContentDir, renamedRoot, StringComparison.Ordinal)), renamed.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public async Task A_run_that_stops_at_the_fingerprint_reports_the_social_posts_as_the_last_run_left_them()
    {
        _site.Write("social/filed.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\n---\nRegister to vote in {{ constituency.name }}.\n")
            .Write("social/later.md", "---\nschedule: 2026-12-24T09:00\nplatforms: [facebook]\naudience: [battersea, beckenham-and-penge]\n---\nHappy Christmas, {{ constituency.name }}.\n");
        var first = await PublishAsync();

        var second = await PublishAsync(TestSite.Now.AddHours(1));

        Assert.True(first.Succeeded, string.Join("\n", first.Diagnostics));
        Assert.Equal(0, second.Written);
        Assert.Contains("Social posts: 1 filed as documents under social/, 0 filed before, 2 scheduled", first.Summary, StringComparison.Ordinal);
        Assert.Contains("Social posts: 0 filed as documents under social/, 1 filed before, 2 scheduled", second.Summary, StringComparison.Ordinal);
        Assert.Equal(first.Posts.Select(p => (p.PostId, p.Seat, p.Status)), second.Posts.Select(p => (p.PostId, p.Seat, p.Status)));
        Assert.All(second.Posts, p => Assert.False(p.SentByThisRun));
    }
}
