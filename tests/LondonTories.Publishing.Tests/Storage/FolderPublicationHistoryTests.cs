using System.Text.Json;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;

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
        edited["web/seat-0/page-0/index.html"] = pages["web/seat-0/page-0/index.html"] with { Removed = Later };
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(edited, Written), await File.ReadAllBytesAsync(FilePath));
    }

    [Fact]
    public async Task A_page_removed_from_a_folder_and_published_again_keeps_its_first_publication_and_is_updated_when_it_returns()
    {
        using var site = new TestSite();
        site.Page("pages/housing.md", "title: Housing", "Homes.\n").Page("pages/transport.md", "title: Transport", "Buses.\n");
        await site.PublishAsync(First);
        site.Delete("pages/housing.md");
        await site.PublishAsync(First.AddDays(1), force: true);
        Assert.False(site.Exists("web/battersea/housing/index.html"));

        site.Page("pages/housing.md", "title: Housing", "Homes.\n");
        await site.PublishAsync(Later, force: true);

        using var json = JsonDocument.Parse(site.Output("web/battersea/pages.json"));
        var housing = json.RootElement.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "housing");
        Assert.Equal("2026-11-01T09:00:00Z", housing.GetProperty("published").GetString());
        Assert.Equal("2026-11-30T12:00:00Z", housing.GetProperty("updated").GetString());
    }

    [Fact]
    public async Task A_history_written_before_removed_pages_were_kept_is_read_and_a_removal_is_added_to_it()
    {
        var pages = Pages(3, First);
        await File.WriteAllBytesAsync(FilePath, JsonSerializer.SerializeToUtf8Bytes(pages, Written));
        var history = new FolderPublicationHistory(_root);
        var kept = new SortedDictionary<string, PageHistory>(pages.Skip(1).ToDictionary(), StringComparer.Ordinal);

        Assert.Equal(1, await history.RecordAsync(Published(kept), "run", Later, CancellationToken.None));
        var read = await new FolderPublicationHistory(_root).ReadAsync(CancellationToken.None);

        var removed = read[pages.Keys.First()];
        Assert.Equal((First, First, Later), (removed.FirstPublished, removed.LastPublished, removed.Removed));
        Assert.False(removed.Holds(removed.ContentSha256));
        Assert.All(kept, p => Assert.Equal(p.Value, read[p.Key]));
        Assert.Equal(0, await history.RecordAsync(Published(kept), "run", Later.AddDays(1), CancellationToken.None));
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

    [Theory]
    [InlineData("{\"web/a/index.html\": {\"ContentSha256\": \"ab\"}}")]
    [InlineData("{\"web/a/index.html\": {\"ContentSha256\": \"ab\", \"FirstPublished\": \"yesterday\", \"LastPublished\": \"2026-11-01T09:00:00+00:00\"}}")]
    [InlineData("{\"web/a/index.html\": [] }")]
    [InlineData("{\"web/a/index.html\": {\"ContentSha256\": \"ab\", \"FirstPublished\": \"2026-11-01T09:00:00+00:00\", \"LastPublished\": \"2026-11-01T09:00:00+00:00\"}")]
    public async Task A_history_that_is_not_one_whole_is_reported_damaged_rather_than_read_as_empty(string text)
    {
        await File.WriteAllTextAsync(FilePath, text);

        var damaged = await Assert.ThrowsAsync<DamagedFileException>(() => new FolderPublicationHistory(_root).ReadAsync(CancellationToken.None));

        Assert.Contains(FilePath, damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_read_keeps_every_instant_and_offset_and_passes_over_fields_it_does_not_know()
    {
        await File.WriteAllTextAsync(FilePath, """
            {
              "web/a/index.html": {
                "ContentSha256": "ab",
                "FirstPublished": "2026-11-01T09:00:00.1234567+01:00",
                "Later": { "kept": [1, 2] },
                "LastPublished": "2026-11-02T09:00:00+00:00",
                "Removed": "2026-11-03T09:00:00+00:00"
              }
            }
            """);

        var read = (await new FolderPublicationHistory(_root).ReadAsync(CancellationToken.None))["web/a/index.html"];

        Assert.Equal(new PageHistory("ab", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567), new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)) { Removed = new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero) }, read);
        Assert.Equal(TimeSpan.FromHours(1), read.FirstPublished.Offset);
    }
}
