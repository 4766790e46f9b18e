using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>A feed whose entries changed keeps the unchanged entries of the feed already published and renders only the others.</summary>
public sealed class FeedReuseTests : IDisposable
{
    private readonly TestSite _site = new();

    public FeedReuseTests()
    {
        _site.Page("pages/housing.md", "title: Housing\nweight: 2", "Homes in {{ constituency.name }}.\n")
            .Page("pages/transport.md", "title: Transport\nweight: 3", "Buses.\n")
            .Page("pages/register.md", "title: Register to vote\nweight: 1", "Register with {{ constituency.data.council }}.\n");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Editing_one_page_reads_the_held_feeds_and_only_that_pages_articles_and_gives_the_feeds_a_fresh_publish_gives()
    {
        var first = await _site.PublishAsync();
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");

        var target = new ReadRecordingTarget(new LocalFolderTarget(_site.OutDir));
        var edit = await Publish(target);

        var fresh = Path.Combine(_site.Root, "fresh");
        await Publish(new LocalFolderTarget(fresh));

        // The feeds as published, and the edited page's articles from where the folder staged them: the other entries are kept as they were.
        var feedFiles = first.WrittenPaths.Where(p => p.EndsWith("/feed.atom", StringComparison.Ordinal) || p.EndsWith("/feed.json", StringComparison.Ordinal));
        var edited = first.PublishedPages.Where(p => p.Path.EndsWith("/transport/index.html", StringComparison.Ordinal)).Select(p => p.Path.Replace("index.html", "fragment.html"));
        Assert.Equal(feedFiles.Concat(edited).Order(StringComparer.Ordinal), target.Reads.Order(StringComparer.Ordinal));
        Assert.Contains(edit.WrittenPaths, p => p.EndsWith("/feed.atom", StringComparison.Ordinal));
        Assert.Contains(edit.WrittenPaths, p => p.EndsWith("/feed.json", StringComparison.Ordinal));
        var feeds = Directory.EnumerateFiles(Path.Combine(fresh, "web"), "feed.*", SearchOption.AllDirectories).ToList();
        Assert.Equal(12, feeds.Count);
        Assert.All(feeds, feed => Assert.Equal(File.ReadAllBytes(feed), File.ReadAllBytes(Path.Combine(_site.OutDir, Path.GetRelativePath(fresh, feed)))));
    }

    [Fact]
    public async Task A_published_fragment_that_no_longer_matches_its_digest_is_rendered_again()
    {
        await _site.PublishAsync();
        _site.Page("pages/transport.md", "title: Transport\nweight: 3", "Buses and trains.\n");

        var edit = await Publish(new AlteringTarget(new LocalFolderTarget(_site.OutDir), _site.OutDir));

        var fresh = Path.Combine(_site.Root, "fresh");
        await Publish(new LocalFolderTarget(fresh));
        Assert.True(edit.Succeeded);
        Assert.Equal(File.ReadAllBytes(Path.Combine(fresh, "web/battersea/feed.atom")), File.ReadAllBytes(Path.Combine(_site.OutDir, "web/battersea/feed.atom")));
        Assert.DoesNotContain("altered", File.ReadAllText(Path.Combine(_site.OutDir, "web/feed.json")), StringComparison.Ordinal);
    }

    private Task<PublishResult> Publish(ISiteTarget target) =>
        TestSite.Services.GetRequiredService<Publisher>().PublishAsync(
            new FolderContentSource(_site.ContentDir), target, new PublishOptions { Now = TestSite.Now }, CancellationToken.None);

    /// <summary>The folder, noting every path read back from it.</summary>
    private class ReadRecordingTarget(LocalFolderTarget inner) : ISiteTarget
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _reads = new(StringComparer.Ordinal);

        public IEnumerable<string> Reads => _reads.Keys;

        public string Description => inner.Description;

        public IPublicationHistory? History => inner.History;

        public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

        public Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public Task WriteAsync(OutputFile file, CancellationToken cancellationToken) => inner.WriteAsync(file, cancellationToken);

        public Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken) => inner.CreateOnceAsync(file, runId, cancellationToken);

        public Task DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

        public Task RekeyAsync(OutputFile file, CancellationToken cancellationToken) => inner.RekeyAsync(file, cancellationToken);

        public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

        public OutputFile Stage(OutputFile file) => inner.Stage(file);

        public virtual byte[]? ReadNearby(string path, string sha256)
        {
            _reads[path] = true;
            return inner.ReadNearby(path, sha256);
        }
    }

    /// <summary>The folder, whose files another program alters after the run has listed them and before it reads them back.</summary>
    private sealed class AlteringTarget(LocalFolderTarget inner, string root) : ReadRecordingTarget(inner)
    {
        public override byte[]? ReadNearby(string path, string sha256)
        {
            File.AppendAllText(Path.Combine(root, path), "<p>altered</p>");
            return base.ReadNearby(path, sha256);
        }
    }
}
