namespace LondonTories.Publishing.Content;

/// <summary>
/// Files of the content tree that the content model leaves to another part of the publisher (social
/// posts and the channels they go out on). They are decoded with every other file and read once the
/// site and its seats are, into the same diagnostics, so an editor still gets one sorted list of problems.
/// </summary>
public interface IContentPart
{
    /// <summary>Whether the file at <paramref name="path"/> is this part's to read as text.</summary>
    bool Reads(string path);

    /// <summary>
    /// The warning for a file in this part's folder that it does not read, or null for a file elsewhere.
    /// For a picture or other media, <paramref name="staticHint"/> tells where such files go, as the content
    /// model's own warnings do, and ends without a full stop for the part to finish; otherwise it is null.
    /// </summary>
    (string Code, string Message, string Hint)? Unread(string path, string? staticHint);

    /// <summary>What the part makes of its files, found again with <see cref="SiteContent.Part{T}"/>.</summary>
    object Load(ContentReading reading);
}
