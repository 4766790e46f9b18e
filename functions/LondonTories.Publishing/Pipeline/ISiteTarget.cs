namespace LondonTories.Publishing.Pipeline;

/// <summary>Another run holds the target; nothing was changed.</summary>
public sealed class SiteTargetBusyException(string message) : IOException(message);

/// <summary>
/// A path the target will not write because it would land outside its folder or container. An
/// <see cref="IOException"/>, so every host reports it as the failed write it is, never as a crash.
/// </summary>
public sealed class UnsafeOutputPathException(string message) : IOException(message);

internal sealed class NoLock : IAsyncDisposable
{
    public static readonly NoLock Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>What the target holds for a path: the SHA-256 of its bytes and, for pages, the digest of the inputs that made it.</summary>
public sealed record TargetEntry(string Sha256, string? InputKey);

/// <summary>Where a run publishes: a local folder, or the blob containers.</summary>
public interface ISiteTarget
{
    string Description { get; }

    /// <summary>Where the target remembers when each page was published; null when it does not, and every run dates its pages afresh.</summary>
    IPublicationHistory? History => null;

    /// <summary>
    /// Keeps other runs off the target until disposed; held for a whole run, from reading what the
    /// target holds to the last write. Throws <see cref="SiteTargetBusyException"/> when another run
    /// keeps holding it. A target whose caller serialises runs some other way (a blob lease) needs none.
    /// </summary>
    Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    /// <summary>Everything the target holds, read in one pass (one listing, not one request a file).</summary>
    Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes one file whole; a reader sees the old bytes or the new, never part of them. May be called in parallel.</summary>
    Task WriteAsync(OutputFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a file only if nothing is at its path yet, atomically, for what must go out exactly once
    /// (social posts). True when this run created it, also when an earlier attempt of the same run
    /// (<paramref name="runId"/>) did and lost its answer; false when it was already there.
    /// </summary>
    Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the file the target holds at <paramref name="file"/>'s path, its bytes unchanged
    /// (<see cref="OutputFile.Sha256"/>), was made from new inputs (<see cref="OutputFile.InputKey"/>),
    /// so that the next run need not render it again; <paramref name="file"/> carries no bytes and none
    /// are sent. May be called in parallel.
    /// </summary>
    Task RekeyAsync(OutputFile file, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes the target holds at <paramref name="path"/> when it can hand them back without a
    /// round trip over the network (a local disk), so a run can reuse a file it published rather
    /// than render it again; null when it cannot, holds nothing there, or what it holds does not
    /// carry the digest <paramref name="sha256"/>. The target answers for that digest: it hashes
    /// the bytes unless it knows them unchanged since they were hashed.
    /// </summary>
    byte[]? ReadNearby(string path, string sha256) => null;

    /// <summary>
    /// Takes a file's bytes out of memory until the run writes it, where the target can keep them
    /// nearby (a local disk); returns the file to write later. A run renders every file before it
    /// writes the first, and the whole site's bytes need not be in memory meanwhile. May be called in parallel.
    /// </summary>
    OutputFile Stage(OutputFile file) => file;

    /// <summary>
    /// Told, before the first write of a run, every staged file the run will write, so a target can
    /// put a folder that is wholly new in place at once, all its files together, instead of file by
    /// file. The run still calls <see cref="WriteAsync"/> for each of them.
    /// </summary>
    void WillWrite(IReadOnlyCollection<OutputFile> files)
    {
    }

    /// <summary>Called once after every write and delete of a run succeeded.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
