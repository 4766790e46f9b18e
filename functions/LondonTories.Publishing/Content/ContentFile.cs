namespace LondonTories.Publishing.Content;

/// <summary>One file of the editors' content tree, addressed by its path relative to the tree's root.</summary>
public sealed record ContentFile(string Path, byte[] Bytes)
{
    /// <summary>Files larger than this are refused: a page is never that big, a mistaken upload often is.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Why the source would not read this file (a link, or not a plain file): loading reports it as an error.</summary>
    public string? Refusal { get; init; }

    /// <summary>
    /// The file's size as its source gives it, which for a file over <see cref="MaxBytes"/> is more than
    /// <see cref="Bytes"/> holds: such a file is read only far enough for loading to refuse it.
    /// </summary>
    public long Size { get; init; } = Bytes.Length;
}

/// <summary>Where content is read from: a local folder, or the <c>content</c> blob container.</summary>
public interface IContentSource
{
    /// <summary>How paths are shown to editors, e.g. <c>content</c>, so that errors read <c>content/pages/x.md:3:1</c>.</summary>
    string DisplayRoot { get; }

    Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken);
}
