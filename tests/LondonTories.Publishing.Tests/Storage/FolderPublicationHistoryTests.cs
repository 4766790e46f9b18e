using System.Text.Json;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

/// <summary>A folder's publication history keeps the format earlier releases wrote, and follows changes to its file.</summary>
public sealed class FolderPublicationHistoryTests : IDisposable
{
    private static readonly DateTimeOffset First = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // How the history has always been written: its records with their own names, indented.
    private static readonly JsonSerializerOptions Written = new() { WriteIndented = true };

    private readonly string _root = Directory.CreateTempSubdirectory("history-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string FilePath => Path.Combine(_root, FolderPublicationHistory.FileName);

    private static SortedDictionary<string, PageHistory> Pages(int count, DateTimeOffset updated) => new(
        Enumerable.Range(0, count).ToDictionary(i => $"web/seat-{i % 7}/page-{i}/index.html", i => new PageHistory(new string((char)('a' + (i % 6)), 64), First, updated)),
        StringComparer.Ordinal);

    private static List<PublishedPage> Published(SortedDictionary<string, PageHistory> pages) =>
        [.. pages.Select(p => new PublishedPage("seat", "page", "en", "https://example.org/", p.Key, "sha", Written: false)
        {
            Published = p.Value.FirstPublished,
            Updated = p.Value.LastPublished,
            ContentSha256 = p.Value.ContentSha256,
        })];

    [Fact]
    public async Task A_history_written_before_is_read_whole_and_kept_byte_for_byte_when_nothing_changed()
    {
        var pages = Pages(40, First);
        var before = JsonSerializer.SerializeToUtf8Bytes(pages, Written);
        await File.WriteAllBytesAsync(FilePath, before);
        var history = new FolderPublicationHistory(_root);

        var read = await history.ReadAsync(CancellationToken.None);

        Assert.Equal(pages.Count, read.Count);
        Assert.All(pages, p => Assert.Equal(p.Value, read[p.Key]));
        Assert.Equal(0, await history.RecordAsync(Published(pages), "run", Later, CancellationToken.None));
        Assert.Equal(before, await File.ReadAllBytesAsync(FilePath));
    }

    [Fact]
    public async Task A_changed_history_is_written_in_the_format_it_has_always_had()
    {
        var history = new FolderPublicationHistory(_root);
        var pages = Pages(40, First);
        Assert.Equal(40, await history.RecordAsync(Published(pages), "run-1", First, CancellationToken.None));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(pages, Written), await File.ReadAllBytesAsync(FilePath));

        await history.ReadAsync(CancellationToken.None);
        var edited = Pages(40, First);
        edited["web/seat-3/page-3/index.html"] = edited["web/seat-3/page-3/index.html"] with { ContentSha256 = new string('f', 64), LastPublished = Later };
        edited.Remove("web/seat-0/page-0/index.html");

        Assert.Equal(2, await history.RecordAsync(Published(edited), "run-2", Later, CancellationToken.None));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(edited, Written), await File.ReadAllBytesAsync(FilePath));
    }

    [Fact]
    public async Task A_file_changed_since_it_was_read_is_read_again()
    {
        var history = new FolderPublicationHistory(_root);
        await File.WriteAllBytesAsync(FilePath, JsonSerializer.SerializeToUtf8Bytes(Pages(3, First), Written));
        Assert.Equal(3, (await history.ReadAsync(CancellationToken.None)).Count);

        var replaced = Pages(5, Later);
        await File.WriteAllBytesAsync(FilePath, JsonSerializer.SerializeToUtf8Bytes(replaced, Written));
        var read = await history.ReadAsync(CancellationToken.None);

        Assert.Equal(5, read.Count);
        Assert.All(replaced, p => Assert.Equal(p.Value, read[p.Key]));
        // Recording what the file now says changes nothing, so the history recorded is the file's, not the one read first.
        Assert.Equal(0, await history.RecordAsync(Published(replaced), "run", Later, CancellationToken.None));
    }
}
