using System.Text.Json;
using System.Text.Json.Serialization;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The publication history of a local folder, in <c>.publications.json</c> beside the containers, so a
/// local publish dates its pages as truly as the ledger does, and the same history always gives the same files.
/// Removed pages stay in it with the time they left; a file written before they did reads as it always has.
/// </summary>
public sealed partial class FolderPublicationHistory(string root) : IPublicationHistory
{
    public const string FileName = ".publications.json";

    // The history read last, with the length and time of the file it came from: a run reads it before
    // rendering and again to record, and it names every page of the site.
    private (long Length, DateTime Modified, Dictionary<string, PageHistory> Pages)? _read;

    private string FilePath => Path.Combine(root, FileName);

    public async Task<IReadOnlyDictionary<string, PageHistory>> ReadAsync(CancellationToken cancellationToken)
    {
        var file = new FileInfo(FilePath);
        if (!file.Exists)
        {
            return new Dictionary<string, PageHistory>(StringComparer.Ordinal);
        }

        if (_read is { } read && read.Length == file.Length && read.Modified == file.LastWriteTimeUtc)
        {
            return read.Pages;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
            var pages = JsonSerializer.Deserialize(bytes, HistoryJson.Default.DictionaryStringPageHistory) is { } saved
                ? new Dictionary<string, PageHistory>(saved, StringComparer.Ordinal)
                : new Dictionary<string, PageHistory>(StringComparer.Ordinal);
            _read = (file.Length, file.LastWriteTimeUtc, pages);
            return pages;
        }
        catch (JsonException)
        {
            // A damaged history dates every page afresh; the site itself is unaffected.
            return new Dictionary<string, PageHistory>(StringComparer.Ordinal);
        }
    }

    public async Task<int> RecordAsync(IReadOnlyList<PublishedPage> pages, string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var after = new SortedDictionary<string, PageHistory>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            after[page.Path] = new PageHistory(page.ContentSha256, page.Published, page.Updated);
        }

        // A page that leaves is kept, marked removed, as the ledger on storage keeps it: should it come
        // back, it keeps its first publication.
        foreach (var (path, old) in before)
        {
            if (!after.ContainsKey(path))
            {
                after[path] = old.Removed is null ? old with { Removed = PageDates.Latest(at, old.LastPublished) } : old;
            }
        }

        var changes = after.Count(p => !before.TryGetValue(p.Key, out var old) || old != p.Value);
        if (changes > 0)
        {
            Directory.CreateDirectory(root);
            var temporary = FilePath + ".tmp";
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(after, HistoryJson.Default.SortedDictionaryStringPageHistory), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, FilePath, overwrite: true);
        }

        return changes;
    }

    // Generated at build time, as the folder's state is: the history names every page of the site.
    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(Dictionary<string, PageHistory>))]
    [JsonSerializable(typeof(SortedDictionary<string, PageHistory>))]
    private sealed partial class HistoryJson : JsonSerializerContext;
}
