using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Keeps one run's history as the run publishes. Each file written to <c>$web</c> whose bytes history
/// does not hold yet goes into the run's packs from the bytes in hand, compressed on its own, in blocks
/// uploaded alongside the site's own uploads; what history holds is what the latest manifest names in
/// packs still there, so no file is listed or read back. <see cref="RecordAsync"/> then packs the files
/// on the site that history still lacks (from their old pack when it is about to age out, else read
/// back from <c>$web</c>, as after a run that stopped part way), commits the packs, and only then writes
/// the manifest: a manifest never names bytes that are not kept, and a pack no manifest names is never read.
/// </summary>
public sealed class HistoryRecorder
{
    private readonly SiteHistory _history;
    private readonly string _runId;
    private readonly DateTimeOffset _started;
    private readonly DateTimeOffset _freshSince;
    private readonly int _packSize;
    private readonly int _blockSize;
    private readonly int _parallelism;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeptBytes> _packed = new(StringComparer.Ordinal);
    private readonly List<Pack> _packs = [];
    private Task<RunManifest?>? _latest;

    internal HistoryRecorder(SiteHistory history, string runId, DateTimeOffset started, DateTimeOffset freshSince, int packSize, int blockSize, int parallelism)
    {
        _history = history;
        _runId = runId;
        _started = started;
        _freshSince = freshSince;
        _packSize = packSize;
        _blockSize = blockSize;
        _parallelism = parallelism;
    }

    /// <summary>Keeps the bytes of a file just written to the site, unless history holds them already.</summary>
    public async Task KeepAsync(OutputFile file, CancellationToken cancellationToken)
    {
        if (!file.Path.StartsWith("web/", StringComparison.Ordinal))
        {
            return;
        }

        if (Fresh(await LatestAsync(cancellationToken).ConfigureAwait(false), file.Sha256) is null)
        {
            await PackAsync(file.Sha256, file.Bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records <paramref name="site"/> (every <c>web/…</c> path and its digest, empty where unknown) as
    /// the run's manifest once every byte it names is kept, and returns it.
    /// </summary>
    public async Task<RunManifest> RecordAsync(IReadOnlyDictionary<string, string> site, BlobContainerClient web, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var latest = await LatestAsync(cancellationToken).ConfigureAwait(false);
        var files = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var lacking = new List<string>();
        foreach (var (path, sha) in site)
        {
            if (sha.Length == 64 && (Fresh(latest, sha) is not null || Packed(sha) is not null))
            {
                files[path] = sha;
            }
            else
            {
                lacking.Add(path);
            }
        }

        // Bytes the latest manifest keeps in a pack about to age out are read from that pack, many to a request, and packed again.
        var repacked = latest is null ? []
            : (await _history.ReadFilesAsync(latest, lacking.Select(path => site[path]).Where(sha => latest.Kept.ContainsKey(sha)), cancellationToken).ConfigureAwait(false)).Files;
        await Parallel.ForEachAsync(repacked, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (file, ct) => await PackAsync(file.Key, file.Value, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var path in lacking)
        {
            if (repacked.ContainsKey(site[path]))
            {
                files[path] = site[path];
            }
        }

        lacking.RemoveAll(files.ContainsKey);
        await Parallel.ForEachAsync(lacking, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, async (path, ct) =>
        {
            // The bytes as they are in $web, hashed here: a digest in history must be the digest of what it holds.
            var bytes = (await web.GetBlobClient(path["web/".Length..]).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content.ToArray();
            var actual = Hashing.Sha256Hex(bytes);
            if (Fresh(latest, actual) is null)
            {
                await PackAsync(actual, bytes, ct).ConfigureAwait(false);
            }

            files[path] = actual;
        }).ConfigureAwait(false);

        await CommitAsync(cancellationToken).ConfigureAwait(false);
        var kept = new SortedDictionary<string, KeptBytes>(StringComparer.Ordinal);
        foreach (var sha in files.Values)
        {
            kept[sha] = Packed(sha) ?? Fresh(latest, sha)!;
        }

        var packs = new SortedDictionary<string, KeptPack>(StringComparer.Ordinal);
        foreach (var blob in kept.Values.Select(k => k.Blob).Distinct(StringComparer.Ordinal))
        {
            packs[blob] = latest is not null && latest.Packs.TryGetValue(blob, out var pack) ? pack : new KeptPack(_started);
        }

        var manifest = new RunManifest(_runId, at, new SortedDictionary<string, string>(files, StringComparer.Ordinal)) { Kept = kept, Packs = packs };
        await _history.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>Where the latest manifest keeps these bytes, if in a pack recent enough not to age out before the next run.</summary>
    private KeptBytes? Fresh(RunManifest? latest, string sha256) =>
        latest is not null && latest.Kept.TryGetValue(sha256, out var kept) && kept.InPack
        && latest.Packs.TryGetValue(kept.Blob, out var pack) && pack.Written >= _freshSince ? kept : null;

    private KeptBytes? Packed(string sha256)
    {
        lock (_gate)
        {
            return _packed.GetValueOrDefault(sha256);
        }
    }

    private Task<RunManifest?> LatestAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A failed read is tried again by the next file rather than failing every one after it.
            if (_latest is null || _latest.IsFaulted || _latest.IsCanceled)
            {
                _latest = ReadLatestAsync(cancellationToken);
            }

            return _latest;
        }
    }

    /// <summary>
    /// The latest manifest, placing only bytes in packs that are there: one listing of the packs, a few
    /// names a run, so a pack gone early (by hand, or a shorter lifecycle rule) is packed again, not named.
    /// </summary>
    private async Task<RunManifest?> ReadLatestAsync(CancellationToken cancellationToken)
    {
        await _history.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (await _history.ReadLatestAsync(cancellationToken).ConfigureAwait(false) is not { } latest)
        {
            return null;
        }

        var packs = await _history.ListPacksAsync(cancellationToken).ConfigureAwait(false);
        return latest.Kept.Values.All(k => packs.Contains(k.Blob)) ? latest : latest with
        {
            Kept = new SortedDictionary<string, KeptBytes>(latest.Kept.Where(k => packs.Contains(k.Value.Blob)).ToDictionary(), StringComparer.Ordinal),
        };
    }

    private async Task PackAsync(string sha256, byte[] file, CancellationToken cancellationToken)
    {
        if (Packed(sha256) is not null)
        {
            return;
        }

        var bytes = KeptPack.Compress(file);
        var full = new List<(Pack Pack, string BlockId, byte[] Buffer, int Length)>();
        lock (_gate)
        {
            if (_packed.ContainsKey(sha256))
            {
                return;
            }

            var pack = _packs.Count > 0 ? _packs[^1] : null;
            if (pack is null || (pack.Length > 0 && pack.Length + bytes.Length > _packSize))
            {
                if (pack is not null && pack.Cut() is { } last)
                {
                    full.Add(last);
                }

                pack = new Pack($"{SiteHistory.PacksPrefix}{_runId}-{_packs.Count}.pack", _blockSize);
                _packs.Add(pack);
            }

            _packed[sha256] = new KeptBytes(pack.Name, pack.Length, bytes.Length);
            pack.Append(bytes, full);
        }

        // The writer that filled a block uploads it, so no more than one block per writer waits in memory.
        await Task.WhenAll(full.Select(block => StageAsync(block, cancellationToken))).ConfigureAwait(false);
    }

    private async Task StageAsync((Pack Pack, string BlockId, byte[] Buffer, int Length) block, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(block.Buffer, 0, block.Length, writable: false);
            await _history.Container.GetBlockBlobClient(block.Pack.Name).StageBlockAsync(block.BlockId, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }
    }

    /// <summary>Uploads the last blocks and commits every pack: from here on its bytes are durably kept.</summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var last = new List<(Pack Pack, string BlockId, byte[] Buffer, int Length)>();
        lock (_gate)
        {
            if (_packs.Count > 0 && _packs[^1].Cut() is { } block)
            {
                last.Add(block);
            }
        }

        await Task.WhenAll(last.Select(block => StageAsync(block, cancellationToken))).ConfigureAwait(false);
        await Parallel.ForEachAsync(_packs, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, async (pack, ct) =>
            await _history.Container.GetBlockBlobClient(pack.Name).CommitBlockListAsync(pack.BlockIds,
                new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" } }, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>One pack being filled: its bytes so far, the block being filled and the blocks cut from it.</summary>
    private sealed class Pack(string name, int blockSize)
    {
        private byte[]? _buffer;
        private int _filled;

        public string Name => name;

        public long Length { get; private set; }

        public List<string> BlockIds { get; } = [];

        public void Append(ReadOnlySpan<byte> bytes, List<(Pack, string, byte[], int)> full)
        {
            Length += bytes.Length;
            while (bytes.Length > 0)
            {
                _buffer ??= ArrayPool<byte>.Shared.Rent(blockSize);
                var taken = Math.Min(bytes.Length, blockSize - _filled);
                bytes[..taken].CopyTo(_buffer.AsSpan(_filled));
                _filled += taken;
                bytes = bytes[taken..];
                if (_filled == blockSize && Cut() is { } block)
                {
                    full.Add(block);
                }
            }
        }

        /// <summary>Ends the block being filled, if it holds anything.</summary>
        public (Pack, string, byte[], int)? Cut()
        {
            if (_buffer is null || _filled == 0)
            {
                return null;
            }

            // Every block id of a blob must be as long as the others.
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(BlockIds.Count.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)));
            BlockIds.Add(id);
            var block = (this, id, _buffer, _filled);
            _buffer = null;
            _filled = 0;
            return block;
        }
    }
}
