namespace LondonTories.Publishing.Content;

/// <summary>One file of the editors' content tree, addressed by its path relative to the tree's root.</summary>
public sealed record ContentFile(string Path, byte[] Bytes)
{
    /// <summary>Files larger than this are refused: a page is never that big, a mistaken upload often is.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// A site's content in all, media included: more is refused. A folder of photographs dropped into
    /// static/, each under <see cref="MaxBytes"/>, would otherwise be held in memory whole, gigabytes of
    /// it, by a run that has a few gigabytes at most; a source reads no media past this.
    /// </summary>
    public const long MaxTotalBytes = 256L * 1024 * 1024;

    /// <summary>How much of a file of <paramref name="size"/> bytes a source reads: all of it, or far enough for loading to refuse it.</summary>
    public static long ReadOf(long size) => Math.Min(size, MaxBytes + 1L);

    /// <summary>
    /// Which files, of those listed with their sizes, a source reads: every file but media, then media
    /// in path order while the content stays within <see cref="MaxTotalBytes"/>. Past it the rest are
    /// left unread (loading refuses the content as a whole, and needs only their sizes to say so).
    /// </summary>
    public static bool[] WithinTotal(IReadOnlyList<(string Path, long Size)> listed)
    {
        var read = new bool[listed.Count];
        var total = 0L;
        for (var i = 0; i < listed.Count; i++)
        {
            if (!IsMedia(listed[i].Path))
            {
                read[i] = true;
                total += ReadOf(listed[i].Size);
            }
        }

        foreach (var i in Enumerable.Range(0, listed.Count).Where(i => IsMedia(listed[i].Path)).OrderBy(i => listed[i].Path, StringComparer.Ordinal))
        {
            total += ReadOf(listed[i].Size);
            read[i] = total <= MaxTotalBytes;
        }

        return read;
    }

    private static bool IsMedia(string path) => path.StartsWith("static/", StringComparison.Ordinal);

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
