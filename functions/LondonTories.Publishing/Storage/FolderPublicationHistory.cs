using System.Text.Json;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The publication history of a local folder, in <c>.publications.json</c> beside the containers, so a
/// local publish dates its pages as truly as the ledger does, and the same history always gives the same files.
/// </summary>
public sealed class FolderPublicationHistory(string root) : IPublicationHistory
{
    public const string FileName = ".publications.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string FilePath => Path.Combine(root, FileName);

    public async Task<IReadOnlyDictionary<string, PageHistory>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return new Dictionary<string, PageHistory>(StringComparer.Ordinal);
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<SortedDictionary<string, PageHistory>>(bytes, Json)?
                .ToDictionary(StringComparer.Ordinal) ?? new Dictionary<string, PageHistory>(StringComparer.Ordinal);
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

        var changes = after.Count(p => !before.TryGetValue(p.Key, out var old) || old != p.Value) + before.Keys.Count(k => !after.ContainsKey(k));
        if (changes > 0)
        {
            Directory.CreateDirectory(root);
            var temporary = FilePath + ".tmp";
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(after, Json), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, FilePath, overwrite: true);
        }

        return changes;
    }
}
