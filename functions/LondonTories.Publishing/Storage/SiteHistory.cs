using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>What the site held after one run: every <c>web/…</c> path and the SHA-256 of its bytes.</summary>
public sealed record RunManifest(string RunId, DateTimeOffset Recorded, SortedDictionary<string, string> Files);

/// <summary>
/// The private <c>history</c> container: each file the site ever published kept once, named by the
/// SHA-256 of its bytes (<c>files/&lt;sha256&gt;</c>), and the manifest of each run that changed the
/// site (<c>runs/&lt;run id&gt;.json</c>). A rollback rebuilds any recorded run's site from it.
/// </summary>
public sealed class SiteHistory(BlobContainerClient container, int parallelism)
{
    public const string ContainerName = "history";
    public const string FilesPrefix = "files/";
    public const string RunsPrefix = "runs/";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public BlobContainerClient Container => container;

    /// <summary>
    /// Records what <paramref name="web"/> holds now as the manifest of <paramref name="runId"/>, first
    /// keeping the bytes of every file history does not have yet.
    /// </summary>
    public async Task<RunManifest> RecordAsync(string runId, BlobContainerClient web, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var kept = await ListFilesAsync(cancellationToken).ConfigureAwait(false);
        var files = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var blobs = new List<BlobItem>();
        await foreach (var blob in web.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            blobs.Add(blob);
        }

        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (blob, ct) =>
        {
            blob.Metadata.TryGetValue(BlobSiteTarget.Sha256Metadata, out var sha);
            if (sha is { Length: 64 } && kept.Contains(sha))
            {
                files[$"web/{blob.Name}"] = sha;
                return;
            }

            // The bytes as they are in $web, hashed here: the name in history must be the digest of what it holds.
            var bytes = (await web.GetBlobClient(blob.Name).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray();
            var actual = Hashing.Sha256Hex(bytes);
            await KeepAsync(actual, bytes, ct).ConfigureAwait(false);
            files[$"web/{blob.Name}"] = actual;
        }).ConfigureAwait(false);

        var manifest = new RunManifest(runId, at, new SortedDictionary<string, string>(files, StringComparer.Ordinal));
        await container.GetBlobClient($"{RunsPrefix}{runId}.json").UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>Records <paramref name="files"/> as the manifest of <paramref name="runId"/>; every file's bytes must already be kept.</summary>
    public async Task<RunManifest> RecordAsync(string runId, IReadOnlyDictionary<string, string> files, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var manifest = new RunManifest(runId, at, new SortedDictionary<string, string>(files.ToDictionary(), StringComparer.Ordinal));
        await container.GetBlobClient($"{RunsPrefix}{runId}.json").UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>The manifest a run recorded, or null if it recorded none.</summary>
    public async Task<RunManifest?> ReadManifestAsync(string runId, CancellationToken cancellationToken)
    {
        if (runId.Length == 0 || runId.Contains('/', StringComparison.Ordinal) || runId.Contains('\\', StringComparison.Ordinal) || runId.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var download = await container.GetBlobClient($"{RunsPrefix}{runId}.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToObjectFromJson<RunManifest>(Json);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The digests of every file history keeps.</summary>
    public async Task<HashSet<string>> ListFilesAsync(CancellationToken cancellationToken)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = FilesPrefix }, cancellationToken).ConfigureAwait(false))
            {
                kept.Add(blob.Name[FilesPrefix.Length..]);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return kept;
    }

    public async Task<byte[]> ReadFileAsync(string sha256, CancellationToken cancellationToken) =>
        (await container.GetBlobClient(FilesPrefix + sha256).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();

    private async Task KeepAsync(string sha256, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(FilesPrefix + sha256).UploadAsync(new BinaryData(bytes),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // Kept already: the same digest is the same bytes.
        }
    }
}
