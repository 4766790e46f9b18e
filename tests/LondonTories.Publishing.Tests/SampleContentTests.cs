using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests;

/// <summary>The repository's own content/ is real and publishes cleanly, showing every mechanism.</summary>
public sealed class SampleContentTests : IDisposable
{
    private static readonly string ContentDir = FindContent();
    private readonly string _out = Directory.CreateTempSubdirectory("londontories-sample-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task The_sample_content_publishes_every_seat_with_variants_and_translations()
    {
        var publisher = TestSite.Services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(new FolderContentSource(ContentDir), CancellationToken.None);

        Assert.Equal(75, content.Constituencies.Length);
        Assert.All(content.Constituencies, c => Assert.True(c.Tags.Contains("inner-london") ^ c.Tags.Contains("outer-london"), c.Slug));
        Assert.True(content.Pages.Count(p => !p.IsTranslation) >= 12);

        var result = await publisher.PublishAsync(content, new LocalFolderTarget(_out), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(75, Directory.EnumerateDirectories(Path.Combine(_out, "web")).Count(d => File.Exists(Path.Combine(d, "pages.json"))));
        var battersea = File.ReadAllText(Path.Combine(_out, "web/battersea/housing/index.html"));
        var bromley = File.ReadAllText(Path.Combine(_out, "web/bromley-and-biggin-hill/housing/index.html"));
        var elsewhere = File.ReadAllText(Path.Combine(_out, "web/barking/housing/index.html"));
        Assert.NotEqual(battersea, bromley);
        Assert.Contains("Nine Elms", battersea);
        Assert.Contains("Green Belt", bromley);
        Assert.DoesNotContain("Nine Elms", elsewhere);
        Assert.Contains(content.Constituencies, c => c.Languages.Contains("bn") && File.Exists(Path.Combine(_out, $"web/{c.Slug}/bn/index.html")));
        Assert.Contains(content.Constituencies, c => c.Languages.Contains("ur") && File.Exists(Path.Combine(_out, $"web/{c.Slug}/ur/index.html")));
        Assert.Contains(content.Pages, p => p.PublishAt > TestSite.Now);
        Assert.Contains(content.Pages, p => p.ExpireAt is not null);
    }

    [Fact]
    public async Task The_sample_posts_go_out_exactly_when_due_in_several_seats_and_languages()
    {
        var publisher = TestSite.Services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(new FolderContentSource(ContentDir), CancellationToken.None);
        Assert.Contains(content.Posts, p => p.IsSponsored);
        Assert.Contains(content.Posts, p => !p.IsSponsored);
        Assert.Contains(content.Posts, p => p.Translations.ContainsKey("bn") && p.Translations.ContainsKey("ur"));
        var actionDay = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var options = new PublishOptions { SocialGracePeriod = TimeSpan.FromDays(400) };

        var before = await publisher.PublishAsync(content, new LocalFolderTarget(_out), options with { Now = actionDay.AddMinutes(-1) }, CancellationToken.None);
        var at = await publisher.PublishAsync(content, new LocalFolderTarget(_out), options with { Now = actionDay }, CancellationToken.None);

        Assert.True(before.Succeeded, string.Join("\n", before.Diagnostics));
        var sentBefore = before.Posts.Where(p => p.SentByThisRun).Select(p => p.PostId).ToHashSet();
        Assert.Equal(content.Posts.Where(p => p.Schedule < actionDay).Select(p => p.Id).Order(), sentBefore.Order());
        Assert.Equal(["winter-action-day"], at.Posts.Where(p => p.SentByThisRun).Select(p => p.PostId).Distinct());
        var files = Directory.EnumerateFiles(Path.Combine(_out, "social"), "*.json", SearchOption.AllDirectories).ToList();
        Assert.Equal(at.Posts.Length, files.Count);
        Assert.True(File.Exists(Path.Combine(_out, "social/2026/03/29/register-clocks-forward/east-ham.json")));
        var eastHam = File.ReadAllText(Path.Combine(_out, "social/2026/03/29/register-clocks-forward/east-ham.json"));
        Assert.Contains("\"language\": \"bn\"", eastHam);
        Assert.Contains("\"language\": \"ur\"", eastHam);
        Assert.Contains("\"scheduled_london\": \"2026-03-29T10:00:00+01:00\"", eastHam);
    }

    private static string FindContent()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LondonTories.sln")))
            {
                return Path.Combine(dir.FullName, "content");
            }
        }

        throw new InvalidOperationException("The repository root (LondonTories.sln) was not found above the test folder.");
    }
}
