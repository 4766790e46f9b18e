using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>Content from a folder on disk, such as the repository's <c>content/</c>.</summary>
public sealed class FolderContentSource(string root) : IContentSource
{
    public string Root { get; } = Path.GetFullPath(root);

    public string DisplayRoot { get; } = root.Replace('\\', '/').TrimEnd('/');

    public async Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException($"The content folder '{DisplayRoot}' does not exist.");
        }

        var paths = Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .ToList();
        var files = new ContentFile[paths.Count];
        await Parallel.ForAsync(0, paths.Count, cancellationToken, async (i, ct) =>
        {
            var relative = Path.GetRelativePath(Root, paths[i]).Replace('\\', '/');
            files[i] = new ContentFile(relative, await File.ReadAllBytesAsync(paths[i], ct).ConfigureAwait(false));
        }).ConfigureAwait(false);
        return files;
    }
}
