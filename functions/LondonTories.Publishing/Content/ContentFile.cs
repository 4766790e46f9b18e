namespace LondonTories.Publishing.Content;

/// <summary>One file of the editors' content tree, addressed by its path relative to the tree's root.</summary>
public sealed record ContentFile(string Path, byte[] Bytes)
{
    /// <summary>Files larger than this are refused: a page is never that big, a mistaken upload often is.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// A site's content in all: more is refused. A folder of photographs dropped into static/, or of
    /// pages into pages/, each under <see cref="MaxBytes"/>, would otherwise be held in memory whole,
    /// gigabytes of it, by a run that has a few gigabytes at most; a source reads nothing past this.
    /// </summary>
    public const long MaxTotalBytes = 256L * 1024 * 1024;

    /// <summary>How much of a file of <paramref name="size"/> bytes a source reads: all of it, or far enough for loading to refuse it.</summary>
    public static long ReadOf(long size) => Math.Min(size, MaxBytes + 1L);

    /// <summary>
    /// Which files, of those listed with their sizes, a source reads: in path order while the content
    /// stays within <see cref="MaxTotalBytes"/>, the site's own files first (site.yaml and the files
    /// beside it, then layouts and strings), then pages and posts, then media. Past it the rest are
    /// left unread: loading refuses the content as a whole, and needs only their sizes to say so.
    /// </summary>
    public static bool[] WithinTotal(IReadOnlyList<(string Path, long Size)> listed)
    {
        var read = new bool[listed.Count];
        var total = 0L;
        foreach (var i in Enumerable.Range(0, listed.Count).OrderBy(i => ReadingOrder(listed[i].Path)).ThenBy(i => listed[i].Path, StringComparer.Ordinal))
        {
            total += ReadOf(listed[i].Size);
            read[i] = total <= MaxTotalBytes;
        }

        return read;
    }

    /// <summary>Whether a file is among the many a site may have (pages, posts, media), which content past <see cref="MaxTotalBytes"/> leaves unread.</summary>
    public static bool IsBulk(string path) =>
        path.StartsWith("pages/", StringComparison.Ordinal) || path.StartsWith("social/", StringComparison.Ordinal) || path.StartsWith("static/", StringComparison.Ordinal);

    private static int ReadingOrder(string path) =>
        !path.Contains('/', StringComparison.Ordinal) ? 0 : !IsBulk(path) ? 1 : path.StartsWith("static/", StringComparison.Ordinal) ? 3 : 2;

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
