using System.Diagnostics;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Storage;

/// <summary>Only plain files inside the content folder are ever read, and static/ never stands in for what the site generates.</summary>
public sealed class FolderContentSourceTests : IDisposable
{
    private readonly TestSite _site = new();
    private readonly string _outside;

    public FolderContentSourceTests()
    {
        _site.Page("pages/housing.md", "title: Housing", "Homes.\n");
        _outside = Path.Combine(_site.Root, "secret.txt");
        File.WriteAllText(_outside, "SECRET=hunter2\n");
    }

    public void Dispose() => _site.Dispose();

    private async Task<CliRun> PublishAsync() =>
        await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T12:00:00Z");

    private void AssertNothingLeaked(CliRun run)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("hunter2", run.Stdout + run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        if (Directory.Exists(_site.OutDir))
        {
            Assert.DoesNotContain(Directory.EnumerateFiles(_site.OutDir, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("hunter2", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("static/photos", "p{0:000}.jpg")]
    [InlineData("pages/exported", "p{0:000}.md")]
    public async Task Content_past_what_a_site_may_hold_is_not_read_and_the_run_says_so_once(string folder, string name)
    {
        // Three hundred files of a mebibyte each (sparse: they take no disk), past the 256 MiB a site's content may hold;
        // and a picture of the site's own, which a run that read it as empty would call broken.
        Directory.CreateDirectory(Path.Combine(_site.ContentDir, "static"));
        File.WriteAllText(Path.Combine(_site.ContentDir, "static", "logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
        Directory.CreateDirectory(Path.Combine(_site.ContentDir, folder));
        for (var i = 0; i < 300; i++)
        {
            using var file = File.Create(Path.Combine(_site.ContentDir, folder, string.Format(System.Globalization.CultureInfo.InvariantCulture, name, i)));
            file.SetLength(ContentFile.MaxBytes);
        }

        var files = await new FolderContentSource(_site.ContentDir).ReadAllAsync(CancellationToken.None);

        Assert.Equal(300, files.Count(f => f.Path.StartsWith(folder + "/", StringComparison.Ordinal) && f.Size == ContentFile.MaxBytes));
        Assert.InRange(files.Sum(f => (long)f.Bytes.Length), 0, ContentFile.MaxTotalBytes);
        Assert.Contains(files, f => f.Path == "site.yaml" && f.Bytes.Length > 0);

        var published = await PublishAsync();
        Assert.Equal(1, published.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));

        // Validation, which checks the site's files as far as it can, names this one problem and no other.
        var validated = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00:00Z");
        Assert.Equal(1, validated.ExitCode);
        Assert.DoesNotContain("   at ", published.Stderr + validated.Stderr);
        var error = Assert.Single(validated.Stderr.Split('\n'), line => line.Contains(": error: ", StringComparison.Ordinal));
        Assert.Contains($"{folder}:1:1: error: the content holds 300 MiB", error);
        Assert.Contains($"300 MiB of it in {folder}/", error);
        Assert.Contains("[content-too-large]", error);
        Assert.Contains(error, published.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("static/env.txt")]
    [InlineData("pages/env.md")]
    [InlineData("layouts/partials/footer.html")]
    public async Task A_link_to_a_file_outside_the_content_folder_is_an_error_naming_it(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_site.ContentDir, path))!);
        File.CreateSymbolicLink(Path.Combine(_site.ContentDir, path), _outside);

        var run = await PublishAsync();

        AssertNothingLeaked(run);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: '{path}' is a link to '{_outside}'", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Fact]
    public async Task A_linked_folder_is_not_followed()
    {
        var folder = Path.Combine(_site.Root, "elsewhere");
        Directory.CreateDirectory(folder);
        File.Copy(_outside, Path.Combine(folder, "env.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_site.ContentDir, "static"), folder);

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00:00Z");

        AssertNothingLeaked(run);
        Assert.Contains($"{_site.ContentDir}/static:1:1: error: 'static' is a link", run.Stderr);
    }

    [Fact]
    public async Task A_pipe_under_static_is_an_error_and_never_opened()
    {
        var pipe = Path.Combine(_site.ContentDir, "static", "pipe");
        Directory.CreateDirectory(Path.GetDirectoryName(pipe)!);
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [pipe]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/static/pipe:1:1: error: 'static/pipe' has no bytes to publish: it is empty, or not a plain file (a pipe, socket or device)", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Theory]
    [InlineData("static/video/launch.mp4")]
    [InlineData("drafts/launch.mp4")]
    public async Task A_file_of_gigabytes_is_an_error_naming_it_and_its_size_and_is_read_only_as_far_as_the_limit(string path)
    {
        var video = Path.Combine(_site.ContentDir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(video)!);
        using (var file = File.Create(video))
        {
            // Sparse: three gibibytes that take no room, past what one array can hold.
            file.SetLength(3L * 1024 * 1024 * 1024);
        }

        var files = await new FolderContentSource(_site.ContentDir).ReadAllAsync(CancellationToken.None);
        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00:00Z");

        Assert.Equal(ContentFile.MaxBytes + 1, Assert.Single(files, f => f.Path == path).Bytes.Length);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: the file is 3,145,728 KiB; content files may be at most 1,024 KiB.", run.Stderr);
        Assert.DoesNotContain("could not read or write files", run.Stderr);
    }

    [Theory]
    [InlineData("static/battersea/housing/index.html", "/battersea/housing/index.html")]
    [InlineData("static/battersea/pages.json", "/battersea/pages.json")]
    [InlineData("static/index.html", "/index.html")]
    [InlineData("static/manifest.json", "/manifest.json")]
    [InlineData("static/battersea", "/battersea/feed.atom")]
    [InlineData("static/404.html/x.txt", "/404.html")]
    public async Task A_static_file_in_the_place_of_a_generated_one_is_an_error_before_anything_is_written(string path, string generated)
    {
        var first = await PublishAsync();
        Assert.Equal(0, first.ExitCode);
        var before = _site.Snapshot();
        _site.Write(path, "<html>static copy</html>");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: {path} would be published at /{path["static/".Length..]}, where the site publishes its own {generated}.", run.Stderr);
        Assert.Equal(before, _site.Snapshot());
    }

    [Theory]
    [InlineData("static/Battersea/index.html", "/battersea/index.html")]
    [InlineData("static/BATTERSEA/Pages.json", "/battersea/pages.json")]
    [InlineData("static/Sitemap.xml", "/sitemap.xml")]
    public async Task A_static_file_whose_path_differs_from_a_generated_one_only_in_case_is_an_error(string path, string generated)
    {
        // Published beside it, it replaced the seat's own file wherever the site is copied to a Windows or macOS folder.
        _site.Write(path, "<html>static copy</html>");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: {path} would be published at /{path["static/".Length..]}, where the site publishes its own {generated}, a path that differs only in upper and lower case", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Theory]
    [InlineData("static/assets/site.css/a.png", "/assets/site.css")]
    [InlineData("static/Assets/Site.css/a.png", "/assets/site.css")]
    public async Task A_static_file_under_a_folder_named_as_a_built_in_asset_is_an_error_validate_reports_not_a_failed_write(string path, string asset)
    {
        // Content validated; every publish then failed writing, as the asset and the folder cannot both exist.
        _site.Write(path, "hi");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: {path} would be published under /{path["static/".Length..].Split('/')[0]}/{path["static/".Length..].Split('/')[1]}/, where the site publishes its own file {asset}. ", run.Stderr);
        Assert.Contains("[static-collision]", run.Stderr);
    }

    [Theory]
    [InlineData("static/images/Logo.png", "static/images/logo.png", "upper and lower case")]
    [InlineData("static/Images/logo.png", "static/images/logo.png", "upper and lower case")]
    [InlineData("static/images/cafe\u0301.png", "static/images/caf\u00e9.png", "how its accents are encoded")]
    public async Task Two_static_files_whose_paths_differ_only_in_case_or_accent_encoding_are_an_error_naming_both(string first, string second, string how)
    {
        // Both were published: wherever the site is copied to a Windows or macOS folder, one replaced the other.
        _site.Write(first, "one").Write(second, "two");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{second}:1:1: error: {second} and {first} differ only in {how}, so on a Windows or macOS folder one replaces the other. " +
                        "Rename or delete one of them. [static-collision]", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Theory]
    [InlineData("publish_at: 2027-01-01T09:00", "static/battersea/future/index.html", "/battersea/future/index.html")]
    [InlineData("publish_at: 2027-01-01T09:00", "static/battersea/future/fragment.html", "/battersea/future/fragment.html")]
    [InlineData("audience: [bromley-and-biggin-hill]", "static/battersea/future/index.html", "/battersea/future/index.html")]
    public async Task A_static_file_where_a_page_will_publish_later_is_an_error_now_not_when_the_page_comes_due(string frontMatter, string path, string address)
    {
        // Until the embargo lifted, the static copy stood in for the page, with no imprint; then it stopped every seat's publish.
        _site.Page("pages/future.md", $"title: Future\n{frontMatter}", "Soon.\n");
        _site.Write(path, "<html>static copy</html>");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: {path} would be published at {address}, where the site publishes its own page 'future'", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Fact]
    public async Task A_static_file_may_still_replace_a_built_in_asset()
    {
        _site.Write("static/assets/site.css", "body { color: navy; }\n");

        var run = await PublishAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("body { color: navy; }\n", _site.Output("web/assets/site.css"));
    }

    [Theory]
    [InlineData(@"static/x\..\..\..\..\pwned.txt")]
    [InlineData(@"static/a\b.css")]
    [InlineData(@"pages/a\b.md")]
    public async Task A_file_whose_name_holds_a_backslash_is_an_error_naming_it_and_never_a_path(string path)
    {
        _site.Write(path, "pwned\n");

        var validate = await _site.RunCliAsync("validate", "--content", _site.ContentDir, "--now", "2026-11-30T12:00:00Z");
        var publish = await PublishAsync();

        Assert.Equal((1, 1), (validate.ExitCode, publish.ExitCode));
        foreach (var run in (CliRun[])[validate, publish])
        {
            Assert.Contains($"{_site.ContentDir}/{path}:1:1: error: '{path}' has a backslash in its name", run.Stderr);
            Assert.Contains("Rename it", run.Stderr);
            Assert.Contains("[unsafe-file]", run.Stderr);
            Assert.DoesNotContain("   at ", run.Stderr);
        }

        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
        Assert.False(File.Exists(Path.Combine(_site.Root, "pwned.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_site.Root)!, "pwned.txt")));
    }

    [Theory]
    [InlineData("static/images/a\nb.txt", "static/images/a\\u000Ab.txt", "U+000A")]
    [InlineData("pages/evil\nsite.yaml:1:1: error: forged [x]\nz.md", "pages/evil\\u000Asite.yaml:1:1: error: forged [x]\\u000Az.md", "U+000A")]
    [InlineData("drafts/\u001b[2Jnotes.txt", "drafts/\\u001B[2Jnotes.txt", "U+001B (escape)")]
    [InlineData("static/tab\there.css", "static/tab\\u0009here.css", "U+0009")]
    public async Task A_file_whose_name_holds_a_control_character_is_an_error_showing_it_escaped_and_is_never_published(string path, string shown, string character)
    {
        // Its name went out as it was: a site address holding a line break, and a diagnostic whose line
        // breaks printed lines of their own, or whose escape cleared the editor's terminal.
        _site.Write(path, "text\n");

        var run = await PublishAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{_site.ContentDir}/{shown}:1:1: error: '{shown}' has the control character {character} in its name, which no site address or terminal shows as written, so it is never published. " +
                        "Rename it with letters, digits, hyphens and dots only. [unsafe-file]", run.Stderr);
        Assert.DoesNotContain(run.Stderr, c => c is '\u001b' or '\t');
        Assert.DoesNotContain(run.Stderr.Split('\n'), line => line.StartsWith("site.yaml:1:1", StringComparison.Ordinal) || line.StartsWith("z.md", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web")));
    }

    [Theory]
    [InlineData("static/x/../../../../pwned.txt")]
    [InlineData("static/./x.txt")]
    [InlineData("static//x.txt")]
    [InlineData(@"static/x\y.txt")]
    [InlineData("/static/x.txt")]
    public async Task A_path_with_empty_dot_or_backslash_segments_from_any_source_is_an_error_at_load(string path)
    {
        var files = await new FolderContentSource(_site.ContentDir).ReadAllAsync(CancellationToken.None);

        var content = TestSite.Services.GetRequiredService<ContentLoader>().Load([.. files, new ContentFile(path, "pwned\n"u8.ToArray())], "content");

        var error = Assert.Single(content.Diagnostics, d => d.IsError);
        Assert.Equal("unsafe-file", error.Code);
        Assert.Equal($"content/{path}", error.Location.Path);
        Assert.Contains("Rename it", error.ToString());
        Assert.Empty(content.StaticFiles);
    }
}
