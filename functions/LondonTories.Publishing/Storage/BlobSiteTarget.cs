using System.Collections.Concurrent;
using System.IO.Compression;
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
/// A run can also keep a record of every blob it left (<see cref="SaveHeldRecordAsync"/>), which the
/// next run reads in place of that listing when the site's fingerprint vouches for it.
/// </summary>
public sealed class BlobSiteTarget : ISiteTarget
{
    public const string Sha256Metadata = "sha256";
    public const string InputKeyMetadata = "inputkey";
    public const string RunIdMetadata = "runid";

    /// <summary>The record of every blob the site held at the end of the last run that kept one, in the private history container.</summary>
    public const string HeldRecordBlob = "held.json.gz";

    private static readonly string[] Segments = ["web", "social"];

    private readonly SiteStorage _storage;
    private readonly HistoryRecorder? _history;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _created = new(StringComparer.Ordinal);

    // Every blob of both containers as this run found and left it: what the next run reads in place of a listing.
    private readonly ConcurrentDictionary<string, TargetEntry> _held = new(StringComparer.Ordinal);
    private string? _heldRecord;
    private bool _readFromRecord;
    private int _changed;

    internal BlobSiteTarget(SiteStorage storage, HistoryRecorder? history)
    {
        _storage = storage;
        _history = history;
    }

    /// <summary>Every <c>web/…</c> path <c>$web</c> holds now and the SHA-256 of its bytes (empty where unknown), as this target read it and changed it since.</summary>
    public IReadOnlyDictionary<string, string> Site() =>
        _held.Where(h => h.Key.StartsWith("web/", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value.Sha256, StringComparer.Ordinal);

    public string Description => _storage.Description;

    public IPublicationHistory History => _storage.Ledger;

    /// <summary>
    /// Lets <see cref="ReadAsync"/> take what the site holds from the record a run kept, at the version
    /// (ETag) the site's fingerprint names, rather than from a listing: listing a site of 30,000 blobs with
    /// their metadata took 4 s of a one-page edit's 7.5 s on Azurite. The fingerprint vouches for the
    /// site as that run left it, as it does when a run finds nothing to do and lists nothing at all;
    /// any other version, or none, and the containers are listed.
    /// </summary>
    public void TrustHeldRecord(string? version) => _heldRecord = version;

    public async Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        _held.Clear();
        _readFromRecord = _heldRecord is not null && await ReadHeldRecordAsync(_heldRecord, cancellationToken).ConfigureAwait(false);
        if (!_readFromRecord)
        {
            await ListAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Dictionary<string, TargetEntry>(_held, StringComparer.Ordinal);
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
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
                    _held[$"{segment}/{blob.Name}"] = new TargetEntry(sha, inputKey);
                }

                _created.TryAdd(segment, new Lazy<Task>(Task.CompletedTask));
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                // Not created yet: the first write creates it.
            }
        }
    }

    /// <summary>Takes the record at <paramref name="version"/>; false when it is gone, another version, or not one this version wrote.</summary>
    private async Task<bool> ReadHeldRecordAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            var download = await HeldRecord.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(version) } }, cancellationToken).ConfigureAwait(false);
            using var gzip = new GZipStream(download.Value.Content.ToStream(), CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            await gzip.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (StateRows.Read(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)) is not { } rows)
            {
                return false;
            }

            foreach (var (path, entry) in rows)
            {
                _held[path] = new TargetEntry(entry.Sha256, entry.InputKey);
            }

            return true;
        }
        catch (Exception exception) when (exception is RequestFailedException { Status: 404 or 412 } or InvalidDataException)
        {
            _held.Clear();
            return false;
        }
    }

    /// <summary>
    /// Keeps the record of every blob the site holds now, for the next run to read in place of a listing,
    /// and gives its version, for the site's fingerprint to name. A run that changed nothing writes
    /// nothing: it gives the version of the record it read, or null when it listed instead.
    /// </summary>
    public async Task<string?> SaveHeldRecordAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _changed) == 0)
        {
            return _readFromRecord ? _heldRecord : null;
        }

        var rows = StateRows.Write(_held.Select(h => KeyValuePair.Create(h.Key, new StateEntry(h.Value.Sha256, h.Value.InputKey, 0, 0))));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(rows.Span);
        }

        var upload = new BinaryData(compressed.GetBuffer().AsMemory(0, (int)compressed.Length));
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" } };
        try
        {
            return (await HeldRecord.UploadAsync(upload, options, cancellationToken).ConfigureAwait(false)).Value.ETag.ToString();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await HistoryContainer.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (await HeldRecord.UploadAsync(upload, options, cancellationToken).ConfigureAwait(false)).Value.ETag.ToString();
        }
    }

    private BlobContainerClient HistoryContainer => _storage.Blobs.GetBlobContainerClient(SiteHistory.ContainerName);

    private BlobClient HeldRecord => HistoryContainer.GetBlobClient(HeldRecordBlob);

    private void Changed(string path, TargetEntry? entry)
    {
        Interlocked.Exchange(ref _changed, 1);
        if (entry is not null)
        {
            _held[path] = entry;
        }
        else
        {
            _held.TryRemove(path, out _);
        }
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
        Changed(file.Path, new TargetEntry(file.Sha256, file.InputKey));

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
            Changed(file.Path, new TargetEntry(file.Sha256, file.InputKey));
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Removed by hand since the listing: the next run writes it whole.
            Changed(file.Path, null);
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
            Changed(file.Path, new TargetEntry(file.Sha256, null));
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // A retry after a lost answer meets the blob its own first attempt created: that one was ours.
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Changed(file.Path, new TargetEntry(properties.Value.Metadata.TryGetValue(Sha256Metadata, out var sha) ? sha : string.Empty, null));
            return properties.Value.Metadata.TryGetValue(RunIdMetadata, out var creator) && creator == runId;
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var (container, name) = Locate(path);
        // If a retried delete already succeeded the blob is gone, which is what was wanted.
        await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        Changed(path, null);
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
