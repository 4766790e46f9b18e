using System.Collections.Concurrent;
using System.Text.Json;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Publishing;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Publishes to a folder laid out like the blob containers (<c>web/</c> is <c>$web</c>). Each file is
/// written to a temporary name and moved into place, so a reader never sees half a file. What each
/// file holds is remembered in <c>.publish-state.json</c> beside the containers, checked against the
/// file's size and time, so a run need not read back every file it published.
/// </summary>
public sealed class LocalFolderTarget : ISiteTarget
{
    public const string StateFileName = ".publish-state.json";

    private readonly string _root;
    private readonly ConcurrentDictionary<string, StateEntry> _state = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<DirectoryInfo>> _createdFolders = new(StringComparer.Ordinal);
    private byte[] _stateBytesRead = [];

    public LocalFolderTarget(string root)
    {
        _root = Path.GetFullPath(root);
        Description = root;
        History = new FolderPublicationHistory(_root);
    }

    public string Description { get; }

    public IPublicationHistory History { get; }

    public async Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        _state.Clear();
        var statePath = Path.Combine(_root, StateFileName);
        var remembered = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        if (File.Exists(statePath))
        {
            _stateBytesRead = await File.ReadAllBytesAsync(statePath, cancellationToken).ConfigureAwait(false);
            try
            {
                remembered = JsonSerializer.Deserialize<Dictionary<string, StateEntry>>(_stateBytesRead) ?? remembered;
            }
            catch (JsonException)
            {
                // A damaged state file only costs a full comparison of the files themselves.
            }
        }

        var held = new ConcurrentDictionary<string, TargetEntry>(StringComparer.Ordinal);
        if (!Directory.Exists(_root))
        {
            return held;
        }

        // The usual case, a file as the last run left it, costs one directory entry; only files
        // changed since, or unknown, are read and hashed.
        var unknown = new List<(string Path, FileInfo File)>();
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.Name is StateFileName or FolderPublicationHistory.FileName || file.Name.StartsWith(".tmp-", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Path.GetRelativePath(_root, file.FullName).Replace('\\', '/');
            if (remembered.TryGetValue(path, out var entry) && entry.Length == file.Length && entry.Modified == file.LastWriteTimeUtc.Ticks)
            {
                _state[path] = entry;
                held[path] = new TargetEntry(entry.Sha256, entry.InputKey);
            }
            else
            {
                unknown.Add((path, file));
            }
        }

        await Parallel.ForEachAsync(unknown, cancellationToken, async (item, ct) =>
        {
            var bytes = await File.ReadAllBytesAsync(item.File.FullName, ct).ConfigureAwait(false);
            var entry = new StateEntry(Hashing.Sha256Hex(bytes), null, item.File.Length, item.File.LastWriteTimeUtc.Ticks);
            _state[item.Path] = entry;
            held[item.Path] = new TargetEntry(entry.Sha256, entry.InputKey);
        }).ConfigureAwait(false);
        return held;
    }

    public async Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        var destination = FullPath(file.Path);
        var folder = Path.GetDirectoryName(destination)!;
        _ = _createdFolders.GetOrAdd(folder, f => new Lazy<DirectoryInfo>(() => Directory.CreateDirectory(f))).Value;
        var temporary = Path.Combine(Path.GetDirectoryName(destination)!, $".tmp-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(temporary, file.Bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, destination, overwrite: true);
        var info = new FileInfo(destination);
        _state[file.Path] = new StateEntry(file.Sha256, file.InputKey, info.Length, info.LastWriteTimeUtc.Ticks);
    }

    public async Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken)
    {
        var destination = FullPath(file.Path);
        var folder = Path.GetDirectoryName(destination)!;
        _ = _createdFolders.GetOrAdd(folder, f => new Lazy<DirectoryInfo>(() => Directory.CreateDirectory(f))).Value;
        var temporary = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(temporary, file.Bytes, cancellationToken).ConfigureAwait(false);
        try
        {
            // Without overwrite the move fails when the file exists, even if another process made it a moment ago.
            File.Move(temporary, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            File.Delete(temporary);
            return false;
        }

        var info = new FileInfo(destination);
        _state[file.Path] = new StateEntry(file.Sha256, file.InputKey, info.Length, info.LastWriteTimeUtc.Ticks);
        return true;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = FullPath(path);
        File.Delete(fullPath);
        _state.TryRemove(path, out _);
        // Leave no empty folders behind, so the folder mirrors what a blob listing would show.
        for (var folder = Path.GetDirectoryName(fullPath); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    break;
                }

                Directory.Delete(folder);
                _createdFolders.TryRemove(folder, out _);
            }
            catch (IOException)
            {
                // Deletes run in parallel: another one emptied, removed or refilled this folder first.
                break;
            }
        }

        return Task.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, StateEntry>(_state, StringComparer.Ordinal));
        if (!bytes.AsSpan().SequenceEqual(_stateBytesRead))
        {
            Directory.CreateDirectory(_root);
            var statePath = Path.Combine(_root, StateFileName);
            var temporary = statePath + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, statePath, overwrite: true);
            _stateBytesRead = bytes;
        }
    }

    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{path}' is outside the output folder.");
        }

        return full;
    }

    private sealed record StateEntry(string Sha256, string? InputKey, long Length, long Modified);
}
