using System.Buffers;
using System.Text.Json;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The publication history of a local folder, in <c>.publications.json</c> beside the containers, so a
/// local publish dates its pages as truly as the ledger does, and the same history always gives the same files.
/// Removed pages stay in it with the time they left; a file written before they did reads as it always has.
/// </summary>
public sealed class FolderPublicationHistory(string root) : IPublicationHistory
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
            var pages = Deserialize(await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false));
            _read = (file.Length, file.LastWriteTimeUtc, pages);
            return pages;
        }
        catch (Exception exception) when (JsonFields.IsUnreadable(exception))
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
    /// paths once costs a fraction of keeping every page of a site in a sorted tree. Each record is
    /// written field by field, with its own names, as the serialiser wrote it.
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
                writer.WriteStartObject(path);
                writer.WriteString(Names.ContentSha256, page.ContentSha256);
                writer.WriteString(Names.FirstPublished, page.FirstPublished);
                writer.WriteString(Names.LastPublished, page.LastPublished);
                if (page.Removed is { } removed)
                {
                    writer.WriteString(Names.Removed, removed);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The history in <paramref name="bytes"/>; throws what <see cref="JsonFields.IsUnreadable"/> names when they are not one.</summary>
    private static Dictionary<string, PageHistory> Deserialize(ReadOnlySpan<byte> bytes)
    {
        var pages = new Dictionary<string, PageHistory>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return pages;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        while (JsonFields.NextProperty(ref reader))
        {
            var path = reader.GetString()!;
            JsonFields.StartObject(ref reader);
            (string? content, DateTimeOffset? first, DateTimeOffset? last, DateTimeOffset? removed) = (null, null, null, null);
            while (JsonFields.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals(Names.ContentSha256.EncodedUtf8Bytes))
                {
                    content = JsonFields.NullableString(ref reader);
                }
                else if (reader.ValueTextEquals(Names.FirstPublished.EncodedUtf8Bytes))
                {
                    first = JsonFields.Instant(ref reader);
                }
                else if (reader.ValueTextEquals(Names.LastPublished.EncodedUtf8Bytes))
                {
                    last = JsonFields.Instant(ref reader);
                }
                else if (reader.ValueTextEquals(Names.Removed.EncodedUtf8Bytes))
                {
                    removed = JsonFields.NullableInstant(ref reader);
                }
                else
                {
                    JsonFields.SkipValue(ref reader);
                }
            }

            // A record from before articles were digested has none, and is taken as it stands.
            pages[path] = first is { } published && last is { } updated
                ? new PageHistory(content ?? string.Empty, published, updated) { Removed = removed }
                : throw new JsonException($"The record of '{path}' lacks its dates.");
        }

        return reader.Read() ? throw new JsonException("The history goes on after its end.") : pages;
    }

    private static class Names
    {
        public static readonly JsonEncodedText ContentSha256 = JsonEncodedText.Encode(nameof(PageHistory.ContentSha256));
        public static readonly JsonEncodedText FirstPublished = JsonEncodedText.Encode(nameof(PageHistory.FirstPublished));
        public static readonly JsonEncodedText LastPublished = JsonEncodedText.Encode(nameof(PageHistory.LastPublished));
        public static readonly JsonEncodedText Removed = JsonEncodedText.Encode(nameof(PageHistory.Removed));
    }
}

/// <summary>A file the output keeps for itself that cannot be read; a run that went on would lose what it records.</summary>
public sealed class DamagedFileException(string message, Exception inner) : IOException(message, inner);
