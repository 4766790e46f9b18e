using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Content from a folder on disk, such as the repository's <c>content/</c>. Only plain files inside
/// the folder are read: a link (which could lead anywhere, <c>/proc/self/environ</c> included) or an
/// entry that is not a plain file is never opened, and loading reports it as an error naming the file.
/// </summary>
public sealed class FolderContentSource(string root) : IContentSource
{
    // Canonical, without a trailing separator: files are matched against Root plus one separator,
    // and 'content/' (as tab completion writes it) must mean the same folder as 'content'.
    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string DisplayRoot { get; } = root.Replace('\\', '/').TrimEnd('/');

    // Read as they are on every system .NET runs on, by a thread blocked in the call: the files are
    // small and local, and reading a site's few hundred of them asynchronously took 18 to 20 ms of a
    // command's start, this way 7. What goes wrong is still the task's, as it was.
    public Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(ReadAll(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<ContentFile>>(cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException<IReadOnlyList<ContentFile>>(exception);
        }
    }

    private IReadOnlyList<ContentFile> ReadAll(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException($"The content folder '{DisplayRoot}' does not exist.");
        }

        var found = new List<(string Relative, FileInfo? File, string? Refusal)>();
        Walk(new DirectoryInfo(Root), found);
        var read = ContentFile.WithinTotal([.. found.Select(f => (f.Relative, f.File?.Length ?? 0))]);
        var files = new ContentFile[found.Count];
        try
        {
            Parallel.For(0, found.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var (relative, file, refusal) = found[i];
                files[i] = refusal is not null || file is null ? new ContentFile(relative, []) { Refusal = refusal }
                    : !read[i] ? new ContentFile(relative, []) { Size = file.Length }
                    : new ContentFile(relative, Read(file)) { Size = file.Length };
            });
        }
        catch (AggregateException exception)
        {
            // Callers see what reading the files one after another would have thrown.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerExceptions[0]);
        }

        return files;
    }

    private void Walk(DirectoryInfo folder, List<(string Relative, FileInfo? File, string? Refusal)> found)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden }))
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            // Only where '\' is the separator: elsewhere it is part of a name, which loading refuses
            // rather than turn 'x\..\..' into a path that climbs out of the site.
            var relative = Path.DirectorySeparatorChar == '/'
                ? Path.GetRelativePath(Root, entry.FullName)
                : Path.GetRelativePath(Root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry.LinkTarget is { } target || entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                found.Add((relative, null, $"'{relative}' is a link{(entry.LinkTarget is { } to ? $" to '{to}'" : string.Empty)}; links are never followed, " +
                                           "so nothing outside the content folder can be published. Copy the file into the folder instead."));
            }
            else if (entry is DirectoryInfo subfolder)
            {
                Walk(subfolder, found);
            }
            else if (entry is FileInfo file && !Path.GetFullPath(file.FullName).StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                found.Add((relative, null, $"'{relative}' resolves outside the content folder; only files inside it are published."));
            }
            else if (entry is FileInfo { Length: 0 } empty && relative.StartsWith("static/", StringComparison.Ordinal))
            {
                // A pipe, socket or device reports no length, and opening a pipe would wait forever; an
                // empty static file publishes nothing useful either.
                found.Add((relative, null, $"'{relative}' has no bytes to publish: it is empty, or not a plain file (a pipe, socket or device). Save it again with its content, or remove it."));
            }
            else if (entry is FileInfo plain)
            {
                found.Add((relative, plain, null));
            }
        }
    }

    /// <summary>
    /// Reads a file whole, or, past <see cref="ContentFile.MaxBytes"/>, only far enough for loading to
    /// refuse it: a video dropped into the folder would otherwise be held in memory whole, and past 2 GiB
    /// could not be read at all. One that reports no length (an empty file, or something that is not a
    /// plain file) is never opened.
    /// </summary>
    private static byte[] Read(FileInfo file)
    {
        if (file.Length == 0)
        {
            return [];
        }

        if (file.Length <= ContentFile.MaxBytes)
        {
            return File.ReadAllBytes(file.FullName);
        }

        var bytes = new byte[ContentFile.MaxBytes + 1];
        using var handle = File.OpenHandle(file.FullName);
        var read = 0;
        while (read < bytes.Length && RandomAccess.Read(handle, bytes.AsSpan(read), read) is var count and > 0)
        {
            read += count;
        }

        return read == bytes.Length ? bytes : bytes[..read];
    }
}
