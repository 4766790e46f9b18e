using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Publishes to the site's blob containers: <c>web/…</c> into <c>$web</c>, <c>social/…</c> into
/// <c>social</c>. Each blob carries the SHA-256 of its bytes and the page's input key in its
/// metadata, so one listing with metadata tells a run everything the target holds. A blob is
/// replaced by a single upload, so a reader sees the old bytes or the new, never part of them.
/// </summary>
public sealed class BlobSiteTarget : ISiteTarget
{
    public const string Sha256Metadata = "sha256";
    public const string InputKeyMetadata = "inputkey";
    public const string RunIdMetadata = "runid";

    private static readonly string[] Segments = ["web", "social"];

    private readonly SiteStorage _storage;
    private readonly HistoryRecorder? _history;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _site = new(StringComparer.Ordinal);

    internal BlobSiteTarget(SiteStorage storage, HistoryRecorder? history)
    {
        _storage = storage;
        _history = history;
    }

    /// <summary>Every <c>web/…</c> path <c>$web</c> holds now and the SHA-256 of its bytes (empty where unknown), as this target read it and changed it since.</summary>
    public IReadOnlyDictionary<string, string> Site => _site;

    public string Description => _storage.Description;

    public IPublicationHistory History => _storage.Ledger;

    public async Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, TargetEntry>(StringComparer.Ordinal);
        foreach (var segment in Segments)
        {
            var container = _storage.ContainerFor(segment);
            try
            {
                await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
                {
                    // A blob put there by hand has no recorded digest: it is simply replaced when the site has that path.
                    var sha = blob.Metadata.TryGetValue(Sha256Metadata, out var value) ? value : string.Empty;
                    var inputKey = blob.Metadata.TryGetValue(InputKeyMetadata, out var key) ? key : null;
                    held[$"{segment}/{blob.Name}"] = new TargetEntry(sha, inputKey);
                    if (segment == "web")
                    {
                        _site[$"web/{blob.Name}"] = sha;
                    }
                }

                _created.TryAdd(segment, new Lazy<Task>(Task.CompletedTask));
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                // Not created yet: the first write creates it.
            }
        }

        return held;
    }

    public async Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        var (container, name) = Locate(file.Path);
        await EnsureCreatedAsync(file.Path, container, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(name).UploadAsync(new BinaryData(file.Bytes), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = file.ContentType,
                CacheControl = MediaTypes.CacheControlFor(file.Path),
                ContentHash = MD5.HashData(file.Bytes),
            },
            Metadata = MetadataOf(file),
        }, cancellationToken).ConfigureAwait(false);
        if (file.Path.StartsWith("web/", StringComparison.Ordinal))
        {
            _site[file.Path] = file.Sha256;
        }

        if (_history is not null)
        {
            await _history.KeepAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RekeyAsync(OutputFile file, CancellationToken cancellationToken)
    {
        var (container, name) = Locate(file.Path);
        try
        {
            // Metadata only: the blob keeps its bytes and headers, and no history is kept for bytes already kept.
            await container.GetBlobClient(name).SetMetadataAsync(MetadataOf(file), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Removed by hand since the listing: the next run writes it whole.
        }
    }

    /// <summary>What a site file's blob records of it: the digest of its bytes and, where it has one, the key of its inputs.</summary>
    private static Dictionary<string, string> MetadataOf(OutputFile file)
    {
        var metadata = new Dictionary<string, string> { [Sha256Metadata] = file.Sha256 };
        if (file.InputKey is not null)
        {
            metadata[InputKeyMetadata] = file.InputKey;
        }

        return metadata;
    }

    public async Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken)
    {
        var (container, name) = Locate(file.Path);
        await EnsureCreatedAsync(file.Path, container, cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(name);
        try
        {
            // If-None-Match: * makes the service refuse the upload when the blob exists, so of any
            // number of runs racing for the same post exactly one creates it.
            await blob.UploadAsync(new BinaryData(file.Bytes), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders
                {
                    ContentType = file.ContentType,
                    CacheControl = "private, no-store",
                    ContentHash = MD5.HashData(file.Bytes),
                },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = file.Sha256, [RunIdMetadata] = runId },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // A retry after a lost answer meets the blob its own first attempt created: that one was ours.
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.Value.Metadata.TryGetValue(RunIdMetadata, out var creator) && creator == runId;
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var (container, name) = Locate(path);
        // If a retried delete already succeeded the blob is gone, which is what was wanted.
        await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        _site.TryRemove(path, out _);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The container and blob name of an output path. A path the pipeline should never make (an empty,
    /// '.' or '..' part, a backslash) is refused before any client is made for it: the service and the
    /// tools that read the container may resolve such a name to another blob than the one it seems to be.
    /// </summary>
    private (BlobContainerClient Container, string Name) Locate(string path)
    {
        if (!RelativePaths.IsSafe(path))
        {
            throw new UnsafeOutputPathException($"'{path}' does not name one blob of {Description}; nothing was written there.");
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw new UnsafeOutputPathException($"'{path}' does not name a container and a blob.");
        }

        return (_storage.ContainerFor(path[..slash]), path[(slash + 1)..]);
    }

    private Task EnsureCreatedAsync(string path, BlobContainerClient container, CancellationToken cancellationToken) =>
        _created.GetOrAdd(path[..path.IndexOf('/', StringComparison.Ordinal)],
            _ => new Lazy<Task>(() => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken))).Value;
}
