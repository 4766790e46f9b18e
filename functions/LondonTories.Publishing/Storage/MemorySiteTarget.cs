using System.Collections.Concurrent;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// A site held in memory, for the editors' preview: a publish run writes here exactly what it would
/// write to a folder or the blob containers, and readers get whole files, old or new.
/// </summary>
public sealed class MemorySiteTarget : ISiteTarget
{
    private readonly ConcurrentDictionary<string, OutputFile> _files;

    public MemorySiteTarget()
        : this(new ConcurrentDictionary<string, OutputFile>(StringComparer.Ordinal))
    {
    }

    private MemorySiteTarget(ConcurrentDictionary<string, OutputFile> files) => _files = files;

    public string Description => "memory";

    public int Count => _files.Count;

    /// <summary>A target holding the same files, so a run for another moment re-renders only what differs.</summary>
    public MemorySiteTarget Copy() => new(new ConcurrentDictionary<string, OutputFile>(_files, StringComparer.Ordinal));

    public bool TryGet(string path, out OutputFile file) => _files.TryGetValue(path, out file!);

    public Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, TargetEntry>>(
            _files.ToDictionary(f => f.Key, f => new TargetEntry(f.Value.Sha256, f.Value.InputKey), StringComparer.Ordinal));

    public Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        _files[file.Path] = file;
        return Task.CompletedTask;
    }

    public Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryAdd(file.Path, file));

    public Task RekeyAsync(OutputFile file, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(file.Path, out var held) && held.Sha256 == file.Sha256)
        {
            _files[file.Path] = held with { InputKey = file.InputKey };
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        _files.TryRemove(path, out _);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
