using System.Text.Json;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Storage;

/// <summary>A publish stopped at any point leaves a consistent folder, and the next run picks up where it stopped.</summary>
public sealed class LocalFolderTargetTests : IDisposable
{
    private readonly TestSite _site = new();

    public LocalFolderTargetTests()
    {
        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes in {{ constituency.name }}.\n")
            .Page("pages/transport.md", "title: Transport\nweight: 2", "Buses.\n");
    }

    public void Dispose() => _site.Dispose();

    private static Publisher Publisher => TestSite.Services.GetRequiredService<Publisher>();

    private Task<PublishResult> PublishAsync(ISiteTarget target) =>
        Publisher.PublishAsync(new FolderContentSource(_site.ContentDir), target, new PublishOptions { Now = TestSite.Now }, CancellationToken.None);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(20)]
    public async Task A_run_stopped_after_any_number_of_writes_leaves_indexes_naming_only_files_that_exist(int writes)
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        // A new page whose path sorts after pages.json, and a new title everywhere.
        _site.Page("pages/zebra-crossings.md", "title: Zebra crossings\nweight: 3", "Safer roads.\n")
            .Page("pages/housing.md", "title: Homes\nweight: 1", "Homes in {{ constituency.name }}.\n");

        var stopping = new StoppingTarget(new LocalFolderTarget(_site.OutDir), writes);
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(stopping));

        AssertIndexesNameOnlyExistingFiles();
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), ".tmp-*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(40)]
    public async Task A_rerun_after_a_stop_writes_only_what_the_stopped_run_left_undone(int writes)
    {
        var reference = await PublishAsync(new LocalFolderTarget(Path.Combine(_site.Root, "reference")));
        var stopping = new StoppingTarget(new LocalFolderTarget(_site.OutDir), writes);
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(stopping));

        var rerun = await PublishAsync(new LocalFolderTarget(_site.OutDir));

        Assert.Equal(reference.Written - stopping.Completed, rerun.Written);
        Assert.Equal(reference.Written, rerun.Written + rerun.Unchanged);
        Assert.False(File.Exists(Path.Combine(_site.OutDir, LocalFolderTarget.JournalFileName)));
        var again = await PublishAsync(new LocalFolderTarget(_site.OutDir));
        Assert.Equal(0, again.Written);
    }

    [Fact]
    public async Task A_first_publish_keeps_no_journal_and_a_rerun_after_it_stopped_hashes_what_it_finds()
    {
        var reference = await PublishAsync(new LocalFolderTarget(Path.Combine(_site.Root, "reference")));
        var stopping = new StoppingTarget(new LocalFolderTarget(_site.OutDir), 25);
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(stopping));

        // Nothing to bring up to date: no state file was written, so no journal was kept beside one.
        Assert.Equal(25, stopping.Completed);
        Assert.False(File.Exists(Path.Combine(_site.OutDir, LocalFolderTarget.StateFileName)));
        Assert.False(File.Exists(Path.Combine(_site.OutDir, LocalFolderTarget.JournalFileName)));

        var rerun = await PublishAsync(new LocalFolderTarget(_site.OutDir));
        Assert.Equal(reference.Written - stopping.Completed, rerun.Written);
        Assert.Equal(0, (await PublishAsync(new LocalFolderTarget(_site.OutDir))).Written);
        Assert.Equal(
            Directory.EnumerateFiles(Path.Combine(_site.Root, "reference", "web"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(_site.Root, "reference"), f)).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_site.OutDir, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Temporary_files_never_stay_inside_published_folders()
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var stray = Path.Combine(_site.OutDir, "web", "battersea", ".tmp-0123456789abcdef");
        File.WriteAllText(stray, "half a page");
        var strayInTemporaryFolder = Path.Combine(_site.OutDir, LocalFolderTarget.TemporaryFolderName, "0123");
        Directory.CreateDirectory(Path.GetDirectoryName(strayInTemporaryFolder)!);
        File.WriteAllText(strayInTemporaryFolder, "half a page");

        _site.Page("pages/transport.md", "title: Transport\nweight: 2", "Buses and trains.\n");
        var result = await PublishAsync(new LocalFolderTarget(_site.OutDir));

        Assert.True(result.Written > 0);
        Assert.False(File.Exists(stray));
        Assert.DoesNotContain(Directory.EnumerateFiles(_site.OutDir, "*", SearchOption.AllDirectories),
            f => Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal) || f.Contains(LocalFolderTarget.TemporaryFolderName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_run_on_the_same_folder_waits_then_says_another_run_holds_it()
    {
        await using (await new LocalFolderTarget(_site.OutDir).LockAsync(CancellationToken.None))
        {
            var busy = await Assert.ThrowsAsync<SiteTargetBusyException>(() => PublishAsync(new LocalFolderTarget(_site.OutDir, TimeSpan.FromMilliseconds(300))));
            Assert.Contains("another publish is writing to", busy.Message);
            Assert.Contains(LocalFolderTarget.LockFileName, busy.Message);
            Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
        }

        var result = await PublishAsync(new LocalFolderTarget(_site.OutDir, TimeSpan.FromMilliseconds(300)));
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task The_cli_waits_for_a_run_that_finishes_soon()
    {
        var holder = await new LocalFolderTarget(_site.OutDir).LockAsync(CancellationToken.None);
        var run = _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");
        await Task.Delay(500);
        Assert.False(run.IsCompleted);
        await holder.DisposeAsync();

        var finished = await run;
        Assert.True(finished.ExitCode == 0, finished.Stderr);
        Assert.True(File.Exists(Path.Combine(_site.OutDir, "web", "manifest.json")));
    }

    [Fact]
    public async Task Progress_never_goes_backwards_and_the_summary_adds_up()
    {
        for (var i = 0; i < 120; i++)
        {
            _site.Page($"pages/p{i:000}.md", $"title: Page {i}", "Text for {{ constituency.name }}.\n");
        }

        var seen = new List<PublishProgress>();
        var progress = new Recorder(seen);
        var result = await Publisher.PublishAsync(new FolderContentSource(_site.ContentDir), new LocalFolderTarget(_site.OutDir),
            new PublishOptions { Now = TestSite.Now, Progress = progress }, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.NotEmpty(seen);
        foreach (var step in seen.GroupBy(p => p.Step))
        {
            var counts = step.Select(p => p.Done).ToList();
            Assert.Equal(counts.Order(), counts);
            Assert.All(step, p => Assert.InRange(p.Done, 1, p.Total));
        }

        var files = Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*", SearchOption.AllDirectories).Count();
        Assert.Equal(files, result.Written);
        Assert.Equal(0, result.Unchanged);
    }

    [Fact]
    public async Task A_run_stopped_while_it_renders_stops_rendering_and_publishes_nothing()
    {
        for (var i = 0; i < 120; i++)
        {
            _site.Page($"pages/p{i:000}.md", $"title: Page {i}", "Text for {{ constituency.name }}.\n");
        }

        // Stopped (Ctrl+C) as soon as the first pages are rendered: the rest are never rendered.
        using var stop = new CancellationTokenSource();
        var seen = new List<PublishProgress>();
        var progress = new Recorder(seen, p =>
        {
            if (p.Step == "render")
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Publisher.PublishAsync(new FolderContentSource(_site.ContentDir),
            new LocalFolderTarget(_site.OutDir), new PublishOptions { Now = TestSite.Now, Progress = progress }, stop.Token));

        var rendered = seen.Where(p => p.Step == "render").ToList();
        Assert.NotEmpty(rendered);
        Assert.True(rendered.Max(p => p.Done) < rendered[0].Total / 2, $"{rendered.Max(p => p.Done)} of {rendered[0].Total} pages rendered after the run was stopped");
        Assert.DoesNotContain(seen, p => p.Step == "write");
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    private void AssertIndexesNameOnlyExistingFiles()
    {
        var web = Path.Combine(_site.OutDir, "web");
        foreach (var pagesJson in Directory.EnumerateFiles(web, "pages.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(pagesJson));
            foreach (var page in document.RootElement.GetProperty("pages").EnumerateArray())
            {
                var path = page.GetProperty("path").GetString()!;
                Assert.True(File.Exists(Path.Combine(web, path)), $"{Path.GetRelativePath(web, pagesJson)} names {path}, which does not exist");
            }
        }

        // Every page a reader can reach from the hub links only pages that exist. A new page is
        // written before any page or index that links to it.
        var reached = new HashSet<string>(StringComparer.Ordinal) { "index.html" };
        var queue = new Queue<string>(reached);
        while (queue.TryDequeue(out var page))
        {
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(web, page)), "href=\"https://www.example.org.uk/([^\"]*)\""))
            {
                var target = link.Groups[1].Value is var url && (url.Length == 0 || url.EndsWith('/')) ? url + "index.html" : link.Groups[1].Value;
                Assert.True(File.Exists(Path.Combine(web, target)), $"{page} links {url}, which does not exist");
                if (target.EndsWith(".html", StringComparison.Ordinal) && reached.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(web, "manifest.json")));
        foreach (var seat in manifest.RootElement.GetProperty("constituencies").EnumerateArray())
        {
            foreach (var page in seat.GetProperty("pages").EnumerateArray())
            {
                Assert.True(File.Exists(Path.Combine(web, page.GetProperty("path").GetString()!)));
            }
        }
    }

    private sealed class Recorder(List<PublishProgress> seen, Action<PublishProgress>? then = null) : IProgress<PublishProgress>
    {
        public void Report(PublishProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }

            then?.Invoke(value);
        }
    }

    /// <summary>A real folder target that stops the run, as a kill would, after a given number of writes.</summary>
    private sealed class StoppingTarget(ISiteTarget inner, int writes) : ISiteTarget
    {
        private int _calls;
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public string Description => inner.Description;

        public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

        public Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public async Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > writes)
            {
                throw new IOException("stopped");
            }

            await inner.WriteAsync(file, cancellationToken);
            Interlocked.Increment(ref _completed);
        }

        public Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken) => inner.CreateOnceAsync(file, runId, cancellationToken);

        public Task DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

        public Task RekeyAsync(OutputFile file, CancellationToken cancellationToken) => inner.RekeyAsync(file, cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken) => throw new IOException("stopped before completing");
    }

    [Fact]
    public async Task A_page_rendered_again_to_the_same_bytes_is_not_written_again_and_its_new_inputs_are_remembered()
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        const string path = "web/battersea/housing/index.html";
        var before = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(Path.Combine(_site.OutDir, path));

        // A value no layout shows: the page's inputs change, its bytes do not.
        _site.Page("pages/housing.md", "title: Housing\nweight: 1\nparams:\n  reviewed_by: the policy team", "Homes in {{ constituency.name }}.\n");
        var again = await PublishAsync(new LocalFolderTarget(_site.OutDir));

        Assert.Equal(0, again.Written);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(_site.OutDir, path)));
        var after = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);
        Assert.Equal(before[path].Sha256, after[path].Sha256);
        Assert.NotEqual(before[path].InputKey, after[path].InputKey);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));

        // Remembered: the next run finds every key as it would make it, and renders and writes nothing.
        var third = await PublishAsync(new LocalFolderTarget(_site.OutDir));
        Assert.Equal(0, third.Written);
        Assert.Equal(after.ToDictionary(), (await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None)).ToDictionary());
    }

    [Fact]
    public async Task A_short_journal_is_kept_after_a_complete_run_and_read_with_the_state_until_it_grows_long()
    {
        // A folder made empty beforehand: the first run has no state file to keep a journal beside, and writes one.
        Directory.CreateDirectory(_site.OutDir);
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var statePath = Path.Combine(_site.OutDir, LocalFolderTarget.StateFileName);
        var journalPath = Path.Combine(_site.OutDir, LocalFolderTarget.JournalFileName);
        Assert.False(File.Exists(journalPath));
        var state = File.ReadAllBytes(statePath);

        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes for all in {{ constituency.name }}.\n");
        var edit = await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var held = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);

        Assert.True(edit.Written > 0);
        Assert.Equal(state, File.ReadAllBytes(statePath));
        Assert.True(File.Exists(journalPath));
        // Each page as the run that wrote it recorded it, inputs and all: none was read back and hashed.
        var pages = edit.WrittenPaths.Where(p => p.EndsWith("/housing/index.html", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, p => Assert.False(string.IsNullOrEmpty(held[p].InputKey)));
        Assert.Equal(0, (await PublishAsync(new LocalFolderTarget(_site.OutDir))).Written);

        // Long beside the state: folded into it, and the journal gone, with every file still as recorded.
        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes for everyone in {{ constituency.name }}.\n");
        var folded = await PublishAsync(new LocalFolderTarget(_site.OutDir) { KeptJournalLines = 0 });
        var after = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);

        Assert.True(folded.Written > 0);
        Assert.NotEqual(state, File.ReadAllBytes(statePath));
        Assert.False(File.Exists(journalPath));
        Assert.All(pages, p => Assert.False(string.IsNullOrEmpty(after[p].InputKey)));
        Assert.Equal(0, (await PublishAsync(new LocalFolderTarget(_site.OutDir))).Written);
    }

    [Fact]
    public async Task A_file_changed_by_hand_has_the_state_written_again_rather_than_left_to_the_journal()
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var statePath = Path.Combine(_site.OutDir, LocalFolderTarget.StateFileName);
        var state = File.ReadAllBytes(statePath);
        var page = Path.Combine(_site.OutDir, "web", "battersea", "transport", "index.html");
        File.AppendAllText(page, "<!-- by hand -->");

        var rerun = await PublishAsync(new LocalFolderTarget(_site.OutDir));

        Assert.Equal("web/battersea/transport/index.html", Assert.Single(rerun.WrittenPaths));
        Assert.False(File.Exists(Path.Combine(_site.OutDir, LocalFolderTarget.JournalFileName)));
        Assert.NotEqual(state, File.ReadAllBytes(statePath));
    }

    [Fact]
    public async Task A_line_half_written_by_a_killed_run_costs_only_its_own_file_not_the_next_run_s_first_line()
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes for all in {{ constituency.name }}.\n");
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var journalPath = Path.Combine(_site.OutDir, LocalFolderTarget.JournalFileName);
        File.AppendAllText(journalPath, "{\"Path\":\"web/battersea/hous");

        _site.Page("pages/housing.md", "title: Housing\nweight: 1", "Homes for everyone in {{ constituency.name }}.\n");
        var next = await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var held = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);

        Assert.True(File.Exists(journalPath));
        Assert.All(next.WrittenPaths.Where(p => p.EndsWith("/housing/index.html", StringComparison.Ordinal) || p.EndsWith("/housing/fragment.html", StringComparison.Ordinal)),
            p => Assert.False(string.IsNullOrEmpty(held[p].InputKey)));
    }

    [Fact]
    public async Task The_state_a_run_leaves_tells_the_next_run_each_file_s_digest_and_inputs_without_reading_the_file()
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        const string path = "web/battersea/housing/index.html";
        var target = new LocalFolderTarget(_site.OutDir);
        await using (await target.LockAsync(CancellationToken.None))
        {
            var held = await target.ReadAsync(CancellationToken.None);
            Assert.Equal(Hashing.Sha256Hex(File.ReadAllBytes(Path.Combine(_site.OutDir, path))), held[path].Sha256);

            // Only the run that wrote the page knew its inputs: hashing the file could not have told them.
            Assert.False(string.IsNullOrEmpty(held[path].InputKey));
            Assert.Equal(Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*", SearchOption.AllDirectories).Count(), held.Count);
        }
    }

    [Theory]
    [InlineData("not a state file")]
    [InlineData("{\"web/battersea/housing/index.html\":{\"Sha256\":\"00\",\"InputKey\":null,\"Length\":1,\"Modified\":1}}")]
    [InlineData("{\"format\":1,\"files\":[]}")]
    [InlineData("{\"format\":2,\"files\":[[\"web/battersea/housing/index.html\",\"00\"")]
    [InlineData("{\"format\":2,\"files\":[[\"web/battersea/housing/index.html\",7,null,1,1]]}")]
    [InlineData("{\"format\":2,\"files\":[[\"web/battersea/housing/index.html\",\"00\",null,1]]}")]
    public async Task A_state_file_it_cannot_read_costs_a_comparison_of_the_files_never_a_wrong_site(string state)
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var page = Path.Combine(_site.OutDir, "web", "battersea", "housing", "index.html");
        var published = File.ReadAllBytes(page);
        File.WriteAllText(page, "changed by hand");
        File.WriteAllText(Path.Combine(_site.OutDir, LocalFolderTarget.StateFileName), state);

        var rerun = await PublishAsync(new LocalFolderTarget(_site.OutDir));

        Assert.Equal(PublishOutcome.Published, rerun.Outcome);
        Assert.Equal(published, File.ReadAllBytes(page));
        Assert.Equal(0, (await PublishAsync(new LocalFolderTarget(_site.OutDir))).Written);
    }

    [Fact]
    public async Task A_published_file_is_read_back_only_while_it_carries_the_digest_asked_for()
    {
        await _site.PublishAsync();
        const string path = "web/battersea/index.html";
        var file = Path.Combine(_site.OutDir, path);
        var bytes = File.ReadAllBytes(file);
        var target = new LocalFolderTarget(_site.OutDir);
        await using (await target.LockAsync(CancellationToken.None))
        {
            var held = await target.ReadAsync(CancellationToken.None);
            Assert.Equal(bytes, target.ReadNearby(path, held[path].Sha256));
            Assert.Null(target.ReadNearby(path, Hashing.Sha256Hex("<p>other</p>"u8)));
            Assert.Null(target.ReadNearby("web/nowhere.html", held[path].Sha256));

            // Changed since the folder was read, at the same length: no longer vouched for, hashed, and refused.
            var altered = bytes.ToArray();
            altered[^2] ^= 1;
            File.WriteAllBytes(file, altered);
            Assert.Null(target.ReadNearby(path, held[path].Sha256));
        }
    }

    [Fact]
    public async Task A_staged_file_leaves_memory_is_read_back_and_written_whole_and_a_run_that_never_writes_it_leaves_nothing()
    {
        var target = new LocalFolderTarget(_site.OutDir);
        var bytes = "<p>staged</p>"u8.ToArray();
        await using (await target.LockAsync(CancellationToken.None))
        {
            await target.ReadAsync(CancellationToken.None);
            var staged = target.Stage(OutputFile.From("web/staged.html", bytes));
            Assert.Empty(staged.Bytes);
            Assert.Equal(bytes, target.ReadNearby("web/staged.html", Hashing.Sha256Hex(bytes)));
            Assert.Null(target.ReadNearby("web/staged.html", Hashing.Sha256Hex("<p>other</p>"u8)));
            Assert.False(File.Exists(Path.Combine(_site.OutDir, "web/staged.html")));
            await target.WriteAsync(staged, CancellationToken.None);
            target.Stage(OutputFile.From("web/never.html", bytes));
            await target.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_site.OutDir, "web/staged.html")));
        Assert.Equal(["web/staged.html"], Directory.EnumerateFiles(Path.Combine(_site.OutDir, "web"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_site.OutDir, f).Replace('\\', '/')).ToArray());
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, LocalFolderTarget.TemporaryFolderName)));
        var held = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);
        Assert.Equal(OutputFile.From("web/staged.html", bytes).Sha256, held["web/staged.html"].Sha256);
    }

    [Fact]
    public async Task A_folder_new_to_the_site_goes_in_place_whole_at_its_first_write_but_never_with_a_file_the_run_does_not_write()
    {
        var hub = new LocalFolderTarget(_site.OutDir);
        await using (await hub.LockAsync(CancellationToken.None))
        {
            await hub.ReadAsync(CancellationToken.None);
            await hub.WriteAsync(OutputFile.From("web/index.html", "<p>hub</p>"u8.ToArray()), CancellationToken.None);
            await hub.CompleteAsync(CancellationToken.None);
        }

        // Made by hand since: empty, so no listing shows it, but it is there.
        Directory.CreateDirectory(Path.Combine(_site.OutDir, "web/made-by-hand"));
        string Out(string path) => Path.Combine(_site.OutDir, path);
        var target = new LocalFolderTarget(_site.OutDir);
        await using (await target.LockAsync(CancellationToken.None))
        {
            await target.ReadAsync(CancellationToken.None);
            OutputFile Stage(string path) => target.Stage(OutputFile.From(path, System.Text.Encoding.UTF8.GetBytes($"<p>{path}</p>")));
            var whole = new[] { Stage("web/seat/page/index.html"), Stage("web/seat/page/fragment.html"), Stage("web/seat/index.html") };
            var withHeldBack = Stage("web/other/index.html");
            Stage("web/other/held-back/index.html");
            var byHand = Stage("web/made-by-hand/index.html");
            target.WillWrite([.. whole, withHeldBack, byHand]);

            await target.WriteAsync(whole[0], CancellationToken.None);
            Assert.True(File.Exists(Out("web/seat/page/fragment.html")));
            Assert.True(File.Exists(Out("web/seat/index.html")));

            await target.WriteAsync(withHeldBack, CancellationToken.None);
            await target.WriteAsync(byHand, CancellationToken.None);
            Assert.False(Directory.Exists(Out("web/other/held-back")));
            foreach (var file in whole[1..])
            {
                await target.WriteAsync(file, CancellationToken.None);
            }

            await target.CompleteAsync(CancellationToken.None);
        }

        string[] expected = ["web/index.html", "web/made-by-hand/index.html", "web/other/index.html", "web/seat/index.html", "web/seat/page/fragment.html", "web/seat/page/index.html"];
        Assert.Equal(expected, Directory.EnumerateFiles(Out("web"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_site.OutDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray());
        Assert.All(expected.Skip(1), path => Assert.Equal($"<p>{path}</p>", File.ReadAllText(Out(path))));
        Assert.False(Directory.Exists(Out(LocalFolderTarget.TemporaryFolderName)));

        // The state names each file with the size and time it has in place, so a new run takes them
        // from the state without reading them: bytes changed behind its back at the same size and time go unseen.
        foreach (var path in expected.Skip(1))
        {
            var time = File.GetLastWriteTimeUtc(Out(path));
            File.WriteAllText(Out(path), $"<b>{path}</b>");
            File.SetLastWriteTimeUtc(Out(path), time);
        }

        var held = await new LocalFolderTarget(_site.OutDir).ReadAsync(CancellationToken.None);
        Assert.All(expected.Skip(1), path => Assert.Equal(Hashing.Sha256Hex(System.Text.Encoding.UTF8.GetBytes($"<p>{path}</p>")), held[path].Sha256));
    }

    [Theory]
    [InlineData("web/../../escaped.txt")]
    [InlineData("web/x/../../../escaped.txt")]
    [InlineData("../escaped.txt")]
    public async Task A_path_leading_out_of_the_folder_is_refused_as_a_failed_write(string path)
    {
        var target = new LocalFolderTarget(_site.OutDir + "/");
        await using var held = await target.LockAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<UnsafeOutputPathException>(() => target.WriteAsync(OutputFile.From(path, "x"u8.ToArray()), CancellationToken.None));

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Contains($"'{path}' is outside the output folder", error.Message);
        Assert.False(File.Exists(Path.Combine(_site.Root, "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_site.Root)!, "escaped.txt")));
    }

    [Theory]
    [InlineData("web/mine", false)]
    [InlineData("web/battersea/mine", false)]
    [InlineData("web/battersea/housing/mine", false)]
    [InlineData(".mine", false)]
    [InlineData("web/battersea/holiday.jpg", true)]
    [InlineData("web/battersea/housing/fragment.html", true)]
    public async Task A_link_in_the_output_folder_is_refused_before_anything_is_changed_and_what_it_leads_to_is_kept(string link, bool toFile)
    {
        await PublishAsync(new LocalFolderTarget(_site.OutDir));
        var photos = Path.Combine(_site.Root, "photos");
        Directory.CreateDirectory(photos);
        File.WriteAllText(Path.Combine(photos, "holiday.jpg"), "not the site's");
        var target = toFile ? Path.Combine(photos, "holiday.jpg") : photos;
        if (toFile)
        {
            // In place of a file the last run wrote, as well as beside them.
            File.Delete(Path.Combine(_site.OutDir, link));
            File.CreateSymbolicLink(Path.Combine(_site.OutDir, link), target);
        }
        else
        {
            Directory.CreateSymbolicLink(Path.Combine(_site.OutDir, link), target);
        }

        _site.Page("pages/transport.md", "title: Trams\nweight: 2", "Trams.\n");

        var error = await Assert.ThrowsAsync<UnsafeOutputPathException>(() => PublishAsync(new LocalFolderTarget(_site.OutDir)));

        Assert.Equal($"'{link}' in the output folder '{_site.OutDir}' is a link to '{target}'; a publish never follows a link, since it deletes what it no longer publishes, so nothing was changed. " +
                     "Delete the link (what it leads to stays as it is) or move it out of the folder, then publish again.", error.Message);
        Assert.True(File.Exists(Path.Combine(photos, "holiday.jpg")));
        Assert.DoesNotContain("Trams", File.ReadAllText(Path.Combine(_site.OutDir, "web/battersea/transport/index.html")), StringComparison.Ordinal);
    }
}
