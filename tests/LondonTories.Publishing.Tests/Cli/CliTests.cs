using LondonTories.Cli;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Cli;

/// <summary>The editors' tool through its public entry point: exit codes, messages and the summary line.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TestSite _site = new();

    public CliTests() => _site.Page("pages/housing.md", "title: Housing", "Homes in {{ constituency.name }}.\n");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Publish_writes_the_site_and_ends_with_one_summary_line()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var line = Assert.Single(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^Published 5 pages for 5 constituencies: \d+ files written, 0 unchanged, 0 deleted in \d+\.\d\d s\.( A rehearsal as of 2026-11-30 12:00Z, .*)?$", line);
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task One_page_one_seat_and_one_file_are_counted_in_the_singular()
    {
        var result = new PublishResult(PublishOutcome.Published, [], 1, 1, 1, 1, 1, TimeSpan.FromSeconds(1.5));

        Assert.Equal("Published 1 page for 1 constituency: 1 file written, 1 unchanged, 1 deleted in 1.50 s.", result.Summary);
    }

    [Fact]
    public async Task The_cli_bounds_approvers_by_the_variable_the_app_reads_and_names_a_bad_value_without_running()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + """

            approvers:
              - id: 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02
                name: Sam Okafor
                for: [sponsored]
            """);
        static Func<string, string?> Environment(string value) => name => name == "LONDONTORIES_APPROVERS" ? value : null;

        var bounded = await TestSite.RunCliAsync(Environment("0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01"), "validate", "--content", _site.ContentDir);
        var unset = await TestSite.RunCliAsync(_ => null, "validate", "--content", _site.ContentDir);
        var bad = await TestSite.RunCliAsync(Environment("sam@example.org"), "validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.Success, bounded.ExitCode);
        Assert.Contains("Sam Okafor (5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02) is listed as an approver, but the environment variable LONDONTORIES_APPROVERS does not name them", bounded.Stdout + bounded.Stderr);
        Assert.DoesNotContain("approver-not-allowed", unset.Stdout + unset.Stderr);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.StartsWith("error: LONDONTORIES_APPROVERS holds 'sam@example.org', which is not an Entra ID object id", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }

    [Fact]
    public async Task Validate_prints_every_error_as_path_line_column_and_exits_1()
    {
        _site.Page("pages/a.md", "title: A\npublish_date: 2027-01-01");
        _site.Page("pages/b.md", "title: B\naudience: [croydon-centrl]");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"content/pages/a\.md:3:1: error: unknown key 'publish_date'", lines[0]);
        Assert.Matches(@"content/pages/b\.md:3:\d+: error: unknown constituency 'croydon-centrl'", lines[1]);
        Assert.Equal("2 errors: nothing can be published until they are fixed.", lines[^1]);
    }

    [Fact]
    public async Task One_error_is_told_it_stops_the_publish_in_the_singular()
    {
        _site.Page("pages/a.md", "title: A\npublish_date: 2027-01-01");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.Equal("1 error: nothing can be published until it is fixed.", run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task Validate_reports_a_pages_rendering_error_beside_another_pages_loading_error_in_one_run()
    {
        _site.Page("pages/a.md", "title: A\npublish_date: 2027-01-01");
        _site.Page("pages/b.md", "title: B", "Hello {{ constituency.nmae }}.\n");
        _site.Page("pages/c.md", "title: C", "Fine.\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("content/pages/a.md:3:1: error: unknown key 'publish_date'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("content/pages/b.md:4:", StringComparison.Ordinal) && l.EndsWith("[template-runtime]", StringComparison.Ordinal));
        Assert.Equal("2 errors: nothing can be published until they are fixed.", lines[^1]);
    }

    [Fact]
    public async Task Validate_reports_a_pages_body_error_beside_another_pages_title_error_in_one_run()
    {
        _site.Page("pages/a.md", "title: A {{ constituency.nmae }}");
        _site.Page("pages/b.md", "title: B", "Hello {{ constituency.slgu }}.\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("content/pages/a.md:2:", StringComparison.Ordinal) && l.Contains("nmae", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("content/pages/b.md:4:", StringComparison.Ordinal) && l.Contains("slgu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_renders_nothing_when_the_seats_or_the_site_cannot_be_read()
    {
        _site.Write("constituencies.yaml", "constituencies:\n  - slug: battersea\n    name: [Battersea]\n");
        _site.Page("pages/b.md", "title: B", "Hello {{ constituency.nmae }}.\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.DoesNotContain("template-runtime", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("constituencies.yaml", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_with_content_errors_exits_1_and_writes_nothing()
    {
        _site.Page("pages/bad.md", "title: Bad\naudience: [nowhere]");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.Contains("error: unknown constituency 'nowhere'", run.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData("publsh")]
    [InlineData("publish", "--otu", "x")]
    [InlineData("publish", "--now")]
    [InlineData("publish", "--now", "yesterday")]
    [InlineData("publish", "--max-delete-share", "2")]
    [InlineData("validate", "stray")]
    [InlineData("publish", "--out", "")]
    [InlineData("posts", "--from", "2026-12-01T00:00", "--to", "2026-11-01T00:00")]
    [InlineData("spend", "--from", "2026-12-01T00:00", "--to", "2026-11-01T00:00")]
    public async Task Bad_usage_exits_2_with_the_usage(params string[] args)
    {
        var run = await _site.RunCliAsync([.. args.Select(a => a == "x" ? _site.OutDir : a), "--content", _site.ContentDir]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("Usage: londontories", run.Stderr);
    }

    [Fact]
    public async Task A_content_file_given_for_the_content_folder_is_a_usage_error_naming_the_folder_meant()
    {
        var run = await _site.RunCliAsync("validate", "--content", Path.Combine(_site.ContentDir, "site.yaml"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("is a file", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"--content {_site.ContentDir}", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--force=no")]
    [InlineData("--force=false")]
    [InlineData("--force=")]
    public async Task A_switch_given_a_value_is_a_usage_error_rather_than_switched_on(string written)
    {
        // '--force=no' forced the publish past the deletion guard, as '--force' does.
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, written);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: --force is a switch and takes no value: write --force to switch it on, or leave it out.", run.Stderr, StringComparison.Ordinal);
        Assert.False(_site.Exists("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task A_local_now_in_the_clock_change_gap_is_a_usage_error_naming_both_offsets()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-03-29T01:30");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("+00:00", run.Stderr);
        Assert.Contains("+01:00", run.Stderr);
    }

    [Fact]
    public async Task Now_in_London_time_decides_what_is_due()
    {
        _site.Page("pages/launch.md", "title: Launch\npublish_at: 2026-07-01T09:00");

        var early = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-07-01T08:59");
        var hadLaunch = _site.Exists("web/battersea/launch/index.html");
        var onTime = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-07-01T09:00");

        Assert.Equal((0, 0), (early.ExitCode, onTime.ExitCode));
        Assert.False(hadLaunch);
        Assert.True(_site.Exists("web/battersea/launch/index.html"));
    }

    [Fact]
    public async Task A_missing_content_folder_is_a_usage_error()
    {
        var run = await _site.RunCliAsync("publish", "--content", Path.Combine(_site.Root, "nowhere"), "--out", _site.OutDir);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("does not exist", run.Stderr);
    }

    [Fact]
    public async Task A_file_that_fails_while_pages_are_written_side_by_side_is_a_storage_failure_not_a_stack_trace()
    {
        // A file where the run keeps what it stages: every page fails at once, each on its own thread.
        Directory.CreateDirectory(_site.OutDir);
        File.WriteAllText(Path.Combine(_site.OutDir, ".publish-tmp"), "in the way");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir);

        Assert.Equal(ExitCodes.StorageFailure, run.ExitCode);
        Assert.Contains("error: could not read or write files:", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task A_publish_stopped_by_ctrl_c_says_so_and_exits_as_an_interrupted_command_does()
    {
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await CliApp.RunAsync(["publish", "--content", _site.ContentDir, "--out", _site.OutDir], stdout, stderr, stopped.Token);

        // 128 + SIGINT, as shells report a command Ctrl+C ended: not a storage failure, which would send someone to look for one.
        Assert.Equal(130, code);
        Assert.Equal(ExitCodes.Stopped, code);
        Assert.Contains("Stopped", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString() + stdout);
        Assert.False(_site.Exists("web/manifest.json"));
    }

    [Fact]
    public async Task A_publish_asked_to_stop_with_sigterm_stops_as_ctrl_c_stops_it_and_lets_go_of_the_folder()
    {
        // docker stop and systemd ask with SIGTERM; a command killed there held the folder (or a storage
        // account's lease) until the next run gave up waiting.
        var (exitCode, stderr) = await PublishStoppedBySignalAsync(Sigterm);

        Assert.Equal(143, exitCode);
        Assert.Contains("Stopped before it finished.", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(_site.Exists("web/manifest.json"));
    }

    [Fact]
    public async Task Ctrl_c_at_a_publish_says_at_once_that_it_is_stopping_and_how_to_quit_without_waiting()
    {
        var (exitCode, stderr) = await PublishStoppedBySignalAsync(Sigint);

        Assert.Equal(ExitCodes.Stopped, exitCode);
        Assert.Contains("press Ctrl+C again to quit at once", stderr);
        Assert.Contains("Stopped before it finished.", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    /// <summary>
    /// The CLI as a process of its own, publishing into a folder another holds, so that it waits there
    /// as a run waits on a slow step, then sent <paramref name="signal"/>: its exit code and stderr.
    /// </summary>
    private async Task<(int ExitCode, string Stderr)> PublishStoppedBySignalAsync(int signal)
    {
        var holder = await new LondonTories.Publishing.Storage.LocalFolderTarget(_site.OutDir).LockAsync(CancellationToken.None);
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(dotnet, [typeof(CliApp).Assembly.Location, "publish", "--content", _site.ContentDir, "--out", _site.OutDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(process.HasExited);

        // Sent by the test itself: a minimal machine may have no kill program (Debian's procps is optional).
        Assert.Equal(0, Kill(process.Id, signal));

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(patience.Token);
        await holder.DisposeAsync();
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task A_damaged_publication_history_stops_the_run_and_is_kept_not_replaced_by_one_that_dates_every_page_afresh()
    {
        Assert.Equal(ExitCodes.Success, (await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-01T09:00:00Z")).ExitCode);
        var history = Path.Combine(_site.OutDir, ".publications.json");
        File.WriteAllText(history, "{\"broken");
        _site.Page("pages/later.md", "title: Later");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-20T09:00:00Z");

        Assert.Equal(ExitCodes.StorageFailure, run.ExitCode);
        Assert.Contains(".publications.json", run.Stderr);
        Assert.Contains("damaged", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.Equal("{\"broken", File.ReadAllText(history));
        Assert.False(File.Exists(Path.Combine(_site.OutDir, "web", "battersea", "later", "index.html")));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("social")]
    public async Task A_file_where_the_output_keeps_a_folder_is_named_before_anything_is_written(string name)
    {
        Directory.CreateDirectory(_site.OutDir);
        File.WriteAllText(Path.Combine(_site.OutDir, name), "in the way");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"'{Path.Combine(_site.OutDir, name)}' is a file, where publish keeps the site's {name}/ folder", run.Stderr);
        Assert.Equal([Path.Combine(_site.OutDir, name)], Directory.GetFileSystemEntries(_site.OutDir));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_is_a_storage_failure()
    {
        // No folder can be made in /proc, not even by root, whom file permissions do not stop.
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", "/proc/londontories-out");

        Assert.Equal(ExitCodes.StorageFailure, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task A_post_that_cannot_be_filed_is_named_with_its_reason_on_stderr_and_the_publish_exits_3()
    {
        _site.Write("social/launch.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]\n---\nWe launch in {{ constituency.name }}.\n");
        // A file where the day's folder of posts must be made.
        Directory.CreateDirectory(Path.Combine(_site.OutDir, "social", "2026", "11"));
        File.WriteAllText(Path.Combine(_site.OutDir, "social", "2026", "11", "30"), "");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.StorageFailure, run.ExitCode);
        Assert.Contains(" Social posts: 0 filed as documents under social/, 0 filed before, 0 scheduled, 0 awaiting approval, 0 missed, 1 failed.", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{_site.ContentDir}/social/launch.md: error: post launch for battersea could not be filed as social/2026/11/30/launch/battersea.json: ", line);
        Assert.Contains(Path.Combine(_site.OutDir, "social", "2026", "11", "30"), line);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task Validate_counts_one_page_one_translation_and_one_seat_in_the_singular()
    {
        using var site = new TestSite(withDefaults: false);
        site.Write("site.yaml", TestSite.SiteYaml)
            .Write("constituencies.yaml", "constituencies:\n  - slug: tooting\n    name: Tooting\n    gss_code: E14001550\n    boroughs: [Wandsworth]\n    languages: [ur]\n")
            .Write("strings/ur.yaml", File.ReadAllText(Path.Combine(TestSite.SampleContentDir, "strings", "ur.yaml")))
            .Page("pages/housing.md", "title: Housing")
            .Page("pages/housing.ur.md", "title: رہائش");

        var run = await site.RunCliAsync("validate", "--content", site.ContentDir);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("Content is valid: 1 page, 1 translation, 1 constituency.", run.Stdout.Trim());
    }

    [Fact]
    public async Task A_trailing_slash_on_the_content_folder_changes_nothing()
    {
        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir + "/");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.StartsWith("Content is valid", run.Stdout);
    }

    [Fact]
    public async Task A_trailing_slash_on_the_output_folder_changes_nothing()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir + "/", "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
        Assert.True(_site.Exists("web/assets/site.css"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("./")]
    [InlineData("out")]
    [InlineData("static/x")]
    public async Task An_output_folder_in_the_content_folder_is_a_usage_error_naming_both(string inside)
    {
        var output = Path.Combine(_site.ContentDir, inside);

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", output, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--out '{output}'", run.Stderr);
        Assert.Contains($"content folder '{_site.ContentDir}'", run.Stderr);
        Assert.Contains("outside it", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.ContentDir, "web")));
        Assert.False(Directory.Exists(Path.Combine(output, "web")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("out")]
    public async Task An_output_folder_reached_through_a_link_into_the_content_folder_is_a_usage_error(string below)
    {
        // The check compared the paths as written, so a link that led into the content folder passed.
        var link = Path.Combine(_site.Root, "site-out");
        Directory.CreateSymbolicLink(link, _site.ContentDir);
        var output = below.Length == 0 ? link : Path.Combine(link, below);

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", output, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--out '{output}'", run.Stderr);
        Assert.Contains("content folder", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.ContentDir, "web")));
        Assert.False(Directory.Exists(Path.Combine(_site.ContentDir, "out")));
    }

    [Fact]
    public async Task An_output_link_to_a_folder_that_is_not_there_is_a_usage_error_naming_where_it_leads()
    {
        // It failed as a storage error, "The file ... already exists", of a file nobody could see.
        var target = Path.Combine(_site.Root, "unmounted", "site");
        var link = Path.Combine(_site.Root, "site-out");
        Directory.CreateSymbolicLink(link, target);

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", link, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--out '{link}' is a link to '{target}', which is not there", run.Stderr);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task A_folder_no_publish_made_is_refused_and_keeps_its_files()
    {
        // A publish there deleted every file under its web/ as no longer published, though it had never written them.
        var theirs = Path.Combine(_site.Root, "project");
        Directory.CreateDirectory(Path.Combine(theirs, "web"));
        File.WriteAllText(Path.Combine(theirs, "web", "index.html"), "their own page");
        File.WriteAllText(Path.Combine(theirs, "notes.txt"), "their notes");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", theirs, "--now", "2026-11-30T12:00:00Z", "--force");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--out '{theirs}'", run.Stderr);
        Assert.Contains("not made by publish", run.Stderr);
        Assert.Equal("their own page", File.ReadAllText(Path.Combine(theirs, "web", "index.html")));
        Assert.Equal(["index.html"], Directory.GetFiles(Path.Combine(theirs, "web")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_folder_holding_only_a_web_folder_that_no_publish_made_is_refused_and_keeps_its_files()
    {
        // Shaped like a publish (web/ and hidden files alone), but another tool's site: no manifest.json says a publish made it.
        var theirs = Path.Combine(_site.Root, "site");
        Directory.CreateDirectory(Path.Combine(theirs, "web", "blog"));
        File.WriteAllText(Path.Combine(theirs, "web", "index.html"), "their own page");
        File.WriteAllText(Path.Combine(theirs, "web", "blog", "first.html"), "their own post");
        File.WriteAllText(Path.Combine(theirs, ".gitkeep"), string.Empty);

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", theirs, "--now", "2026-11-30T12:00:00Z", "--force");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("not made by publish", run.Stderr);
        Assert.Equal("their own post", File.ReadAllText(Path.Combine(theirs, "web", "blog", "first.html")));
        Assert.Equal(["index.html"], Directory.GetFiles(Path.Combine(theirs, "web")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_web_folder_whose_manifest_is_another_sites_is_refused_and_keeps_its_files()
    {
        // A web app's own manifest.json, a common file name, passed for the one a publish writes.
        var theirs = Path.Combine(_site.Root, "album");
        Directory.CreateDirectory(Path.Combine(theirs, "web", "photos"));
        File.WriteAllText(Path.Combine(theirs, "web", "manifest.json"), """{"name": "Family album", "start_url": "/"}""");
        File.WriteAllText(Path.Combine(theirs, "web", "photos", "wedding.jpg"), "their photo");

        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", theirs, "--now", "2026-11-30T12:00:00Z", "--force");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("not made by publish", run.Stderr);
        Assert.Equal("their photo", File.ReadAllText(Path.Combine(theirs, "web", "photos", "wedding.jpg")));
        Assert.Equal("""{"name": "Family album", "start_url": "/"}""", File.ReadAllText(Path.Combine(theirs, "web", "manifest.json")));
    }

    [Fact]
    public async Task A_published_site_copied_without_its_bookkeeping_and_an_empty_web_folder_are_taken()
    {
        var first = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");
        var copy = Path.Combine(_site.Root, "copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Path.Combine(_site.OutDir, "web"), "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, "web", Path.GetRelativePath(Path.Combine(_site.OutDir, "web"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        var empty = Path.Combine(_site.Root, "empty");
        Directory.CreateDirectory(Path.Combine(empty, "web"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, (await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", copy, "--now", "2026-11-30T12:00:00Z")).ExitCode);
        Assert.Equal(0, (await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", empty, "--now", "2026-11-30T12:00:00Z")).ExitCode);
    }

    [Fact]
    public async Task An_empty_folder_and_a_folder_publish_made_are_taken()
    {
        Directory.CreateDirectory(_site.OutDir);
        var first = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");
        _site.Page("pages/transport.md", "title: Transport");
        var second = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (first.ExitCode, second.ExitCode));
        Assert.True(_site.Exists("web/battersea/transport/index.html"));
    }

    [Fact]
    public async Task A_folder_shaped_as_publish_leaves_one_is_taken_without_its_bookkeeping()
    {
        // A checked-in out/ with a .gitkeep, or a site copied without the state files beside it: its
        // web/ holds the manifest every publish writes there.
        Directory.CreateDirectory(Path.Combine(_site.OutDir, "web"));
        File.WriteAllText(Path.Combine(_site.OutDir, ".gitkeep"), string.Empty);
        File.WriteAllText(Path.Combine(_site.OutDir, "web", "old.html"), "no longer published");
        File.WriteAllText(Path.Combine(_site.OutDir, "web", "manifest.json"), """{"site": {"title": "Old", "base_url": "https://old.example.org"}, "constituencies": []}""");

        // --force: the deletion guard counts the one old file as the whole published site.
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z", "--force");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Stderr);
        Assert.True(_site.Exists("web/battersea/index.html"));
        Assert.False(_site.Exists("web/old.html"));
        Assert.True(File.Exists(Path.Combine(_site.OutDir, ".gitkeep")));
    }

    [Fact]
    public async Task The_folder_holding_the_content_is_refused_before_anything_is_read()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.Root, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("holds the content folder", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.Root, "web")));
    }

    [Fact]
    public async Task An_out_that_is_a_file_or_lies_under_one_is_a_usage_error_saying_so()
    {
        var file = Path.Combine(_site.Root, "outfile");
        File.WriteAllText(file, "x");

        var itself = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", file);
        var under = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", Path.Combine(file, "sub"));

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (itself.ExitCode, under.ExitCode));
        Assert.Contains($"'{file}' is a file", itself.Stderr);
        Assert.Contains($"'{file}' is a file", under.Stderr);
        Assert.Contains("Give --out a folder", under.Stderr);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task The_root_of_the_file_system_and_the_home_folder_are_refused()
    {
        var root = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", Path.GetPathRoot(_site.Root)!);
        var home = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (root.ExitCode, home.ExitCode));
        Assert.Contains("root of the file system", root.Stderr);
        Assert.Contains("home folder", home.Stderr);
    }

    [Fact]
    public async Task The_folder_above_the_content_folder_is_a_usage_error_naming_the_content_folder()
    {
        // It was read as content: every picture under content/static/ was told to move to static/, and site.yaml to be created.
        var run = await _site.RunCliAsync("validate", "--content", _site.Root);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("no site.yaml", run.Stderr);
        Assert.Contains($"--content {Path.Combine(_site.Root, "content")}", run.Stderr);
        Assert.DoesNotContain("not-content", run.Stderr);
    }

    [Fact]
    public async Task The_root_of_the_file_system_and_the_home_folder_are_refused_as_content_before_anything_is_read()
    {
        // Every file of the disk was read, and each reported as lying outside the content folder: hundreds of thousands of errors.
        var root = await _site.RunCliAsync("validate", "--content", "/");
        var home = await _site.RunCliAsync("validate", "--content", Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (root.ExitCode, home.ExitCode));
        Assert.StartsWith("error: '/' has no site.yaml, so it is no content folder, and nothing in it was read.", root.Stderr);
        Assert.Contains("Pass the folder holding site.yaml, e.g. --content content", root.Stderr);
        Assert.DoesNotContain("[unsafe-file]", root.Stderr);
        Assert.Contains("has no site.yaml", home.Stderr);
    }

    [Fact]
    public async Task A_folder_without_site_yaml_is_a_usage_error_saying_what_a_content_folder_holds_or_the_name_meant()
    {
        var empty = Path.Combine(_site.Root, "new-site");
        Directory.CreateDirectory(empty);
        File.Move(Path.Combine(_site.ContentDir, "site.yaml"), Path.Combine(_site.ContentDir, "site.yml"));

        var fresh = await _site.RunCliAsync("validate", "--content", empty);
        var misnamed = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir);

        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (fresh.ExitCode, misnamed.ExitCode));
        Assert.StartsWith($"error: '{empty}' has no site.yaml, so it is no content folder, and nothing in it was read. " +
                          "Pass the folder holding site.yaml, e.g. --content content, or to start a site here create site.yaml (title, base_url and imprint), " +
                          "constituencies.yaml and pages/, as the content guide shows.", fresh.Stderr);
        Assert.Contains($"error: '{_site.ContentDir}' has no site.yaml, so it is no content folder, and nothing in it was read. Did you mean 'site.yml'? Rename it to site.yaml.", misnamed.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData("nowhere", "does not exist")]
    [InlineData("content/site.yaml", "is a file")]
    [InlineData("drafts", "has no site.yaml")]
    public async Task Preview_of_a_content_folder_that_is_not_one_is_a_usage_error_as_in_the_other_commands(string folder, string said)
    {
        // The first two ended the process with a stack trace; the third served an empty site and watched the folder.
        Directory.CreateDirectory(Path.Combine(_site.Root, "drafts"));
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var code = await CliApp.RunAsync(["preview", "--content", Path.Combine(_site.Root, folder), "--port", "0"], stdout, stderr, stop.Token);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: ", stderr.ToString());
        Assert.Contains(said, stderr.ToString());
        Assert.Contains("Usage: londontories preview", stderr.ToString());
        Assert.DoesNotContain("Preview of", stdout.ToString());
    }

    private const int Sigint = 2;

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The tool as its own process, started in <paramref name="folder"/>, as an editor in a terminal there runs it.</summary>
    private static Task<CliRun> RunInAsync(string folder, params string[] args) => RunWithHomeAsync(folder, null, args);

    /// <param name="home">The HOME the process is given, where not the test's own.</param>
    private static async Task<CliRun> RunWithHomeAsync(string folder, string? home, params string[] args)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(dotnet, [typeof(CliApp).Assembly.Location, .. args])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (home is not null)
        {
            start.Environment["HOME"] = home;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Publish_works_for_an_account_whose_home_folder_does_not_exist()
    {
        // A service account or a container's user often has a HOME that was never made (/nonexistent);
        // the check that --out is not the home folder ended the run with a stack trace there.
        var run = await RunWithHomeAsync(_site.Root, Path.Combine(_site.Root, "no-such-home"), "publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task Posts_listed_from_inside_the_content_folder_read_the_content_there_and_are_not_refused_as_a_publish_would_be()
    {
        // The default 'out' there lies inside the content folder, which posts only reads; it was refused as if it would write web/ and social/ there.
        _site.Page("social/hello.md", "schedule: 2026-12-07T09:00\nplatforms: [x]");

        var run = await RunInAsync(_site.ContentDir, "posts", "--content", ".", "--now", "2026-11-30T12:00:00Z");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Stderr));
        Assert.Contains("hello", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_run_inside_the_content_folder_without_content_is_told_to_pass_this_folder()
    {
        var run = await RunInAsync(_site.ContentDir, "validate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: there is no folder 'content' here, but this folder holds site.yaml: it is the content folder itself, so pass --content . to use it.", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batersea", "Did you mean 'battersea'?")]
    [InlineData("Battersea", "Did you mean 'battersea'?")]
    [InlineData("zzzz", "Name it by its slug from constituencies.yaml, e.g. --seat battersea.")]
    public async Task Posts_for_a_seat_that_is_not_one_suggest_the_slug_meant(string seat, string hint)
    {
        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--seat", seat);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --seat: there is no constituency '{seat}'. {hint}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posts_refuse_the_content_folder_as_the_output_folder_too()
    {
        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.ContentDir + "/");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"is the content folder '{_site.ContentDir}'", run.Stderr);
    }

    [Theory]
    [InlineData("publish", "6")]
    [InlineData("publish", "0.5")]
    [InlineData("posts", "6")]
    [InlineData("posts", "12")]
    public async Task A_grace_period_without_a_unit_is_a_usage_error_naming_the_forms(string command, string grace)
    {
        var run = await _site.RunCliAsync(command, "--content", _site.ContentDir, "--out", _site.OutDir, "--grace", grace);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --grace '{grace}' has no unit", run.Stderr);
        Assert.Contains("6h, 30m, 1d or 06:00", run.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData("posts", "99999999d")]
    [InlineData("publish", "800000d")]
    [InlineData("posts", "401d")]
    [InlineData("publish", "9999h")]
    public async Task A_grace_period_past_400_days_is_a_usage_error(string command, string grace)
    {
        var run = await _site.RunCliAsync(command, "--content", _site.ContentDir, "--out", _site.OutDir, "--grace", grace);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --grace '{grace}' is longer than 400 days", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData("posts", "1e3h")]
    [InlineData("publish", "2E1m")]
    [InlineData("posts", "1e-9d")]
    [InlineData("posts", "NaNh")]
    [InlineData("posts", "-Infinityh")]
    [InlineData("publish", "Infinityd")]
    public async Task A_grace_period_written_as_an_exponent_or_not_a_number_is_a_usage_error_naming_the_forms(string command, string grace)
    {
        var run = await _site.RunCliAsync(command, "--content", _site.ContentDir, "--out", _site.OutDir, "--grace", grace);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --grace takes a duration such as 6h, 30m, 1d or 06:00 (hours and minutes), not '{grace}'.", run.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData("24:00", "write 24h or 1d.")]
    [InlineData("36:30", "write 2190m or 1.12:30 (days.hours:minutes).")]
    [InlineData("48:00:00", "write 48h or 2d.")]
    [InlineData("24:00:00", "write 24h or 1d.")]
    public async Task A_grace_period_of_a_day_or_more_in_hours_and_minutes_says_how_to_write_it(string grace, string hint)
    {
        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--grace", grace);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --grace '{grace}' reads as hours and minutes, which stop at 23:59", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(hint, run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Fact]
    public async Task Posts_prints_a_schedule_error_of_a_post_it_could_not_load()
    {
        _site.Write("social/clocks.md", "---\nschedule: 2026-10-25T01:30\nplatforms: [facebook]\naudience: [battersea]\n---\nThe clocks go back.\n");

        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir);

        Assert.Equal(ExitCodes.ContentErrors, run.ExitCode);
        Assert.Contains("[invalid-time]", run.Stderr);
        Assert.Contains("social/clocks.md", run.Stderr);
    }

    [Theory]
    [InlineData("6h")]
    [InlineData("30m")]
    [InlineData("1d")]
    [InlineData("06:00")]
    [InlineData("06:00:00")]
    public async Task A_grace_period_with_a_unit_is_taken(string grace)
    {
        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--grace", grace);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("publish")]
    [InlineData("posts")]
    [InlineData("push")]
    public async Task A_connection_string_naming_only_the_blob_endpoint_is_a_usage_error_without_its_signature(string command)
    {
        string[] content = command == "runs" ? [] : ["--content", _site.ContentDir];

        var run = await _site.RunCliAsync([command, .. content, "--storage", "BlobEndpoint=http://127.0.0.1:1/a;SharedAccessSignature=sv=2022&sig=SECRETSIG"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: --storage: ", run.Stderr);
        Assert.Contains("TableEndpoint=", run.Stderr);
        Assert.DoesNotContain("SECRETSIG", run.Stderr + run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Theory]
    [InlineData("https://127.0.0.1:1/?sv=2022&sig=SUPERSECRETSIG", "https://127.0.0.1:1/?…")]
    [InlineData("https://alice:SUPERSECRETSIG@127.0.0.1:1/", "https://127.0.0.1:1/")]
    [InlineData("https://alice:SUPERSECRETSIG@account.blob.core.windows.net/?sig=SUPERSECRETSIG", "https://account.blob.core.windows.net/?…")]
    public async Task A_storage_URL_is_named_in_its_error_without_its_signature_or_password(string url, string shown)
    {
        var run = await _site.RunCliAsync("runs", "--storage", url);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: --storage: the account URL {shown} carries a password or a shared access signature", run.Stderr);
        Assert.DoesNotContain("SUPERSECRETSIG", run.Stderr + run.Stdout);
        Assert.DoesNotContain("alice", run.Stderr);
    }
}
