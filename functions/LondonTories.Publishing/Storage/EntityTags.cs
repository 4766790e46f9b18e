namespace LondonTories.Publishing.Storage;

/// <summary>
/// An <c>If-None-Match</c> header as RFC 9110 defines it: <c>*</c>, or a list of entity tags, strong or
/// weak. It is decided here, never passed on to storage, so no caller's header can make a storage
/// request fail.
/// </summary>
public sealed record EntityTags(bool Any, IReadOnlyList<string> Tags)
{
    public static readonly EntityTags None = new(false, []);

    /// <summary>The header's tags; a malformed header is ignored, as the RFC lets a server do.</summary>
    public static EntityTags Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return None;
        }

        if (header.Trim() == "*")
        {
            return new EntityTags(true, []);
        }

        var tags = new List<string>();
        var rest = header.AsSpan().Trim();
        while (!rest.IsEmpty)
        {
            // Empty list elements ("a", , "b") are skipped: the RFC says a recipient must ignore them.
            if (rest[0] == ',')
            {
                rest = rest[1..].TrimStart();
                continue;
            }

            if (rest.StartsWith("W/", StringComparison.Ordinal))
            {
                rest = rest[2..];
            }

            // An opaque tag is a quoted run of visible characters other than the quote itself.
            if (rest.Length < 2 || rest[0] != '"' || rest[1..].IndexOf('"') is var close && close < 0)
            {
                return None;
            }

            var tag = rest[..(close + 2)];
            foreach (var c in tag[1..^1])
            {
                if (c is < '!' or > '~' && c < '\u0080')
                {
                    return None;
                }
            }

            tags.Add(tag.ToString());
            rest = rest[(close + 2)..].TrimStart();
            if (!rest.IsEmpty && rest[0] != ',')
            {
                return None;
            }
        }

        return new EntityTags(false, tags);
    }

    public bool IsEmpty => !Any && Tags.Count == 0;

    /// <summary>Whether a representation with <paramref name="etag"/> matches (weak comparison, as If-None-Match uses).</summary>
    public bool Matches(string etag) => Any || Tags.Contains(etag, StringComparer.Ordinal);
}
