using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>Where history keeps one file's bytes: a whole blob (<c>files/&lt;sha256&gt;</c>), or a range of a pack.</summary>
public sealed record KeptBytes(string Blob, long Offset = 0, long? Length = null)
{
    [JsonIgnore]
    public bool InPack => Blob.StartsWith(SiteHistory.PacksPrefix, StringComparison.Ordinal);
}

/// <summary>A pack of history: when it was written, and how each file in it is encoded (<c>deflate</c>: each on its own, as raw DEFLATE).</summary>
public sealed record KeptPack(DateTimeOffset Written, string Encoding = KeptPack.Deflate)
{
    public const string Deflate = "deflate";

    internal static byte[] Compress(byte[] bytes)
    {
        using var output = new MemoryStream(bytes.Length / 3 + 64);
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>The file's own bytes from its bytes in the pack; null when they do not inflate.</summary>
    internal byte[]? Decode(ReadOnlyMemory<byte> kept)
    {
        if (Encoding != Deflate)
        {
            return null;
        }

        try
        {
            using var input = new MemoryStream(kept.ToArray(), writable: false);
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            deflate.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}

/// <summary>
/// What the site held after one run: every <c>web/…</c> path and the SHA-256 of its bytes, and where
/// history keeps the bytes of each digest (<see cref="Kept"/>) and each pack it names (<see cref="Packs"/>).
/// Manifests recorded before packs name no places: their bytes are at <c>files/&lt;sha256&gt;</c>.
/// </summary>
public sealed record RunManifest(string RunId, DateTimeOffset Recorded, SortedDictionary<string, string> Files)
{
    public SortedDictionary<string, KeptBytes> Kept { get; init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, KeptPack> Packs { get; init; } = new(StringComparer.Ordinal);

    public KeptBytes Locate(string sha256) => Kept.TryGetValue(sha256, out var kept) ? kept : new KeptBytes(SiteHistory.FilesPrefix + sha256);
}

/// <summary>
/// The private <c>history</c> container: the bytes of every file the site published, packed a run's
/// new files at a time (<c>packs/&lt;run id&gt;-&lt;n&gt;.pack</c>), and the manifest of each run that
/// changed the site (<c>runs/&lt;run id&gt;.json</c>), which names where each of its files' bytes are, so
/// a rollback needs that manifest alone. Histories recorded before packs kept each file whole as
/// <c>files/&lt;sha256&gt;</c>; their manifests still roll back. <c>latest</c> names the last manifest
/// recorded, whose packs the next run need not repeat.
/// </summary>
public sealed class SiteHistory(BlobContainerClient container, StorageOptions options)
{
    public const string ContainerName = "history";
    public const string FilesPrefix = "files/";
    public const string PacksPrefix = "packs/";
    public const string RunsPrefix = "runs/";
    public const string LatestBlob = "latest";

    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public BlobContainerClient Container => container;

    /// <summary>
    /// Starts keeping the history of run <paramref name="runId"/>, begun at <paramref name="at"/>: bytes
    /// kept by a pack older than <see cref="StorageOptions.RepackHistoryAfter"/> are packed again, so
    /// files the site still holds never age out of history.
    /// </summary>
    public HistoryRecorder Begin(string runId, DateTimeOffset at) =>
        new(this, runId, at, at - options.RepackHistoryAfter, options.HistoryPackSize, Math.Max(1, options.HistoryBlockSize), options.Parallelism);

    /// <summary>Records <paramref name="manifest"/>'s files again as the manifest of <paramref name="runId"/>: a rollback's site is that run's.</summary>
    public async Task<RunManifest> RecordAsync(string runId, RunManifest manifest, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var copy = manifest with { RunId = runId, Recorded = at };
        await WriteManifestAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy;
    }

    internal async Task WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken)
    {
        // Gzipped, as tools that fetch it are told: a manifest names every file of the site, and its digests twice.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, manifest, Json);
        }

        compressed.Position = 0;
        await container.GetBlobClient($"{RunsPrefix}{manifest.RunId}.json").UploadAsync(compressed, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", ContentEncoding = "gzip" },
        }, cancellationToken).ConfigureAwait(false);
        // Only once the manifest is there: the next run takes the packs it names as kept.
        await container.GetBlobClient(LatestBlob).UploadAsync(BinaryData.FromString(manifest.RunId), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest a run recorded, or null if it recorded none.</summary>
    /// <exception cref="InvalidDataException">The run's manifest is there but cannot be read as one.</exception>
    public async Task<RunManifest?> ReadManifestAsync(string runId, CancellationToken cancellationToken)
    {
        if (runId.Length == 0 || runId.Contains('/', StringComparison.Ordinal) || runId.Contains('\\', StringComparison.Ordinal) || runId.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var name = $"{RunsPrefix}{runId}.json";
        RunManifest? manifest;
        try
        {
            var content = (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            // Manifests recorded before packs are plain JSON; a client that inflates gzip by itself hands over plain JSON too.
            if (content.ToMemory().Span is [0x1f, 0x8b, ..])
            {
                using var gzip = new GZipStream(content.ToStream(), CompressionMode.Decompress);
                manifest = JsonSerializer.Deserialize<RunManifest>(gzip, Json);
            }
            else
            {
                manifest = content.ToObjectFromJson<RunManifest>(Json);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"its manifest, {ContainerName}/{name}, is not a manifest's JSON.", exception);
        }

        // A field left out or null would fail the rollback halfway, and a manifest naming no files would empty the site.
        if (manifest is not { Files.Count: > 0, Kept: not null, Packs: not null }
            || !manifest.Files.Values.All(IsDigest) || !manifest.Kept.Values.All(k => k?.Blob is not null) || !manifest.Packs.Values.All(p => p?.Encoding is not null))
        {
            throw new InvalidDataException($"its manifest, {ContainerName}/{name}, is JSON but not a manifest's: it names no files, or a file without its digest.");
        }

        // A run only ever published under web/: a path elsewhere (a post's document, another container) would be written there by a rollback.
        return manifest.Files.Keys.FirstOrDefault(path => !IsSitePath(path)) is { } outside
            ? throw new InvalidDataException($"its manifest, {ContainerName}/{name}, names '{outside}', which is not a file of the site under web/.")
            : manifest;
    }

    private static bool IsSitePath(string path) => path.StartsWith("web/", StringComparison.Ordinal) && path.Length > "web/".Length && RelativePaths.IsSafe(path);

    private static bool IsDigest(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>The manifest <c>latest</c> names, or null when there is none (or it cannot be read, when the next run simply packs again).</summary>
    public async Task<RunManifest?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var runId = (await container.GetBlobClient(LatestBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
            return await ReadManifestAsync(runId.Trim(), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The names of the packs history holds.</summary>
    public async Task<HashSet<string>> ListPacksAsync(CancellationToken cancellationToken)
    {
        var packs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = PacksPrefix }, cancellationToken).ConfigureAwait(false))
        {
            packs.Add(blob.Name);
        }

        return packs;
    }

    /// <summary>
    /// The bytes of <paramref name="digests"/> as <paramref name="manifest"/> places them, each checked
    /// against its digest: ranges of one pack close together are read in one request. Digests history
    /// no longer holds, or holds damaged, are named in <c>Missing</c> and <c>Damaged</c>.
    /// </summary>
    public async Task<(Dictionary<string, byte[]> Files, List<string> Missing, List<string> Damaged)> ReadFilesAsync(
        RunManifest manifest, IEnumerable<string> digests, CancellationToken cancellationToken)
    {
        var spans = new List<Read>();
        foreach (var group in digests.Distinct(StringComparer.Ordinal).Select(sha => (Sha: sha, Kept: manifest.Locate(sha))).GroupBy(f => f.Kept.Blob, StringComparer.Ordinal))
        {
            Read? open = null;
            foreach (var file in group.OrderBy(f => f.Kept.Offset))
            {
                // Ranges of a pack a small gap apart are read as one, up to a block's size.
                if (open?.Length is { } openLength && file.Kept.Length is { } length && file.Kept.Offset >= open.Offset + openLength
                    && file.Kept.Offset - (open.Offset + openLength) <= 64 * 1024 && file.Kept.Offset + length - open.Offset <= options.HistoryBlockSize)
                {
                    open.Length = file.Kept.Offset + length - open.Offset;
                    open.Files.Add(file);
                    continue;
                }

                open = new Read(group.Key, file.Kept.Offset, file.Kept.Length);
                open.Files.Add(file);
                spans.Add(open);
            }
        }

        var files = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var missing = new ConcurrentBag<string>();
        var damaged = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(spans, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (span, ct) =>
        {
            BinaryData bytes;
            try
            {
                // Empty files, the only ones of no length, need no read.
                var range = span.Length is { } length ? new BlobDownloadOptions { Range = new HttpRange(span.Offset, length) } : null;
                bytes = span.Length == 0 ? BinaryData.Empty
                    : (await container.GetBlobClient(span.Blob).DownloadContentAsync(range, ct).ConfigureAwait(false)).Value.Content;
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 416)
            {
                span.Files.ForEach(f => missing.Add(f.Sha256));
                return;
            }

            var memory = bytes.ToMemory();
            foreach (var (sha, kept) in span.Files)
            {
                var start = (int)(kept.Offset - span.Offset);
                if (kept.Length is { } length && start + length > memory.Length)
                {
                    missing.Add(sha);
                    continue;
                }

                var slice = kept.Length is { } sliceLength
                    ? manifest.Packs.TryGetValue(span.Blob, out var pack) ? pack.Decode(memory.Slice(start, (int)sliceLength)) : null
                    : memory.ToArray();
                if (slice is not null && Hashing.Sha256Hex(slice) == sha)
                {
                    files[sha] = slice;
                }
                else
                {
                    damaged.Add(sha);
                }
            }
        }).ConfigureAwait(false);

        return (new Dictionary<string, byte[]>(files, StringComparer.Ordinal), [.. missing.Order(StringComparer.Ordinal)], [.. damaged.Order(StringComparer.Ordinal)]);
    }

    /// <summary>One read of history: a whole blob (no <see cref="Length"/>), or a range of a pack holding one or more files.</summary>
    private sealed class Read(string blob, long offset, long? length)
    {
        public string Blob => blob;

        public long Offset => offset;

        public long? Length { get; set; } = length;

        public List<(string Sha256, KeptBytes Kept)> Files { get; } = [];
    }
}
