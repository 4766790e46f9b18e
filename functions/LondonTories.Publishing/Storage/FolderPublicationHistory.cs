using System.Buffers;
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
        catch (JsonException exception)
        {
            // Read as empty, it dated every page afresh and was then written over, so the first
            // publications it kept were lost for good: the run stops, and the file stays as it is.
            throw new DamagedFileException(
                $"the publication history '{FilePath}' is damaged ({exception.Message}). It keeps when each page was first published, so nothing was published. " +
                "Put back a good copy of it, or delete it to date every page from the next run.", exception);
        }
    }

    public async Task<int> RecordAsync(IReadOnlyList<PublishedPage> pages, string runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var after = new Dictionary<string, PageHistory>(pages.Count + before.Count, StringComparer.Ordinal);
        foreach (var page in pages)
        {
            after[page.Path] = new PageHistory(page.ContentSha256, page.Published, page.Updated);
        }

        var changes = 0;
        foreach (var (path, now) in after)
        {
            changes += before.TryGetValue(path, out var old) && old == now ? 0 : 1;
        }

        // A page that leaves is kept, marked removed, as the ledger on storage keeps it: should it come
        // back, it keeps its first publication.
        foreach (var (path, old) in before)
        {
            if (!after.ContainsKey(path))
            {
                var kept = old.Removed is null ? old with { Removed = PageDates.Latest(at, old.LastPublished) } : old;
                after[path] = kept;
                changes += kept == old ? 0 : 1;
            }
        }

        if (changes > 0)
        {
            Directory.CreateDirectory(root);
            var temporary = FilePath + ".tmp";
            WholeFile.Write(temporary, Serialize(after), FileMode.Create);
            File.Move(temporary, FilePath, overwrite: true);
        }

        return changes;
    }

    /// <summary>
    /// The history as a JSON object sorted by path, as a sorted dictionary serializes: sorting the
    /// paths once costs a fraction of keeping every page of a site in a sorted tree.
    /// </summary>
    private static byte[] Serialize(Dictionary<string, PageHistory> pages)
    {
        var rows = pages.ToArray();
        Array.Sort(rows, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var buffer = new ArrayBufferWriter<byte>((rows.Length * 256) + 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (path, page) in rows)
            {
                writer.WritePropertyName(path);
                JsonSerializer.Serialize(writer, page, HistoryJson.Default.PageHistory);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Generated at build time, as the folder's state is: the history names every page of the site.
    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(Dictionary<string, PageHistory>))]
    [JsonSerializable(typeof(PageHistory))]
    private sealed partial class HistoryJson : JsonSerializerContext;
}

/// <summary>A file the output keeps for itself that cannot be read; a run that went on would lose what it records.</summary>
public sealed class DamagedFileException(string message, Exception inner) : IOException(message, inner);
