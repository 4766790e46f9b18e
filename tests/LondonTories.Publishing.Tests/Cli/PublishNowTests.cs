using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Cli;

/// <summary>Publishing as of a later moment is a rehearsal: a local folder takes it and says so; the live site never does.</summary>
public sealed class PublishNowTests : IDisposable
{
    private readonly TestSite _site = new();

    public PublishNowTests() => _site.Page("pages/launch.md", "title: Launch\npublish_at: 2099-01-01T09:00:00Z", "Not yet.\n");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_later_now_is_refused_for_storage_before_anything_is_contacted()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--storage", "UseDevelopmentStorage=true", "--now", "2099-01-02T00:00:00Z");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--now 2099-01-02 00:00:00Z is later than the clock", run.Stderr);
        Assert.Contains("would put embargoed pages on the live site early; nothing was changed. Rehearse on a local folder with --out instead.", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task A_later_now_on_a_local_folder_is_a_rehearsal_and_says_so()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2099-01-02T00:00:00Z");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("A rehearsal as of 2099-01-02 00:00Z, later than now: this folder shows the site as it will be then; nothing went live.", run.Stdout);
        Assert.True(_site.Exists("web/battersea/launch/index.html"));
    }

    [Fact]
    public async Task A_past_now_is_no_rehearsal()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2020-01-01T00:00:00Z");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("rehearsal", run.Stdout);
    }
}
