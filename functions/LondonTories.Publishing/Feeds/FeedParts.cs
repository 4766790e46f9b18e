using System.Text;

namespace LondonTories.Publishing.Feeds;

/// <summary>
/// A feed this project wrote, cut into its head, one part per entry and its tail, so that entries
/// whose bytes are still right can be joined with newly written ones. Each entry's bytes depend on
/// nothing around them: both writers indent every entry alike and escape every '&lt;' in text, so an
/// entry's markup never appears inside another's.
/// </summary>
internal sealed class FeedParts(ReadOnlyMemory<byte> head, List<ReadOnlyMemory<byte>> entries, ReadOnlyMemory<byte> tail)
{
    private static readonly byte[] AtomEntry = Encoding.UTF8.GetBytes("\n  <entry");
    private static readonly byte[] AtomEnd = Encoding.UTF8.GetBytes("\n</feed>");
    private static readonly byte[] JsonItems = Encoding.UTF8.GetBytes("\n  \"items\": [");
    private static readonly byte[] JsonItemStart = Encoding.UTF8.GetBytes("\n    {");
    private static readonly byte[] JsonItemEnd = Encoding.UTF8.GetBytes("\n    }");
    private static readonly byte[] JsonEnd = Encoding.UTF8.GetBytes("\n  ]\n}");

    public List<ReadOnlyMemory<byte>> Entries => entries;

    /// <summary>An Atom feed as <see cref="AtomFeed"/> writes it, or null when it is not one.</summary>
    public static FeedParts? Atom(byte[] bytes)
    {
        var span = bytes.AsSpan();
        var end = span.LastIndexOf(AtomEnd);
        var first = span.IndexOf(AtomEntry);
        if (end < 0 || first < 0 || first > end)
        {
            return null;
        }

        var parts = new List<ReadOnlyMemory<byte>>();
        var at = first;
        while (at < end)
        {
            var next = span[(at + AtomEntry.Length)..end].IndexOf(AtomEntry);
            var stop = next < 0 ? end : at + AtomEntry.Length + next;
            parts.Add(bytes.AsMemory(at, stop - at));
            at = stop;
        }

        return new FeedParts(bytes.AsMemory(0, first), parts, bytes.AsMemory(end));
    }

    /// <summary>
    /// A JSON feed as <see cref="JsonFeed"/> writes it (its items last, indented), or null when it is not
    /// one. JSON text never holds a raw line break, so a line break and the indentation of an item
    /// can only be the writer's own: the items are found without reading their strings.
    /// </summary>
    public static FeedParts? Json(byte[] bytes)
    {
        var span = bytes.AsSpan();
        var items = span.IndexOf(JsonItems);
        if (items < 0 || !span.EndsWith(JsonEnd))
        {
            return null;
        }

        var (first, end) = (items + JsonItems.Length, bytes.Length - JsonEnd.Length);
        var parts = new List<ReadOnlyMemory<byte>>();
        var at = first;
        while (at < end)
        {
            // Every item after the first starts after the ',' that follows the one before: the join puts it back.
            if (parts.Count > 0 && bytes[at++] != (byte)',')
            {
                return null;
            }

            var close = span[at..end].IndexOf(JsonItemEnd);
            if (!span[at..end].StartsWith(JsonItemStart) || close < 0)
            {
                return null;
            }

            var stop = at + close + JsonItemEnd.Length;
            parts.Add(bytes.AsMemory(at, stop - at));
            at = stop;
        }

        return parts.Count == 0 ? null : new FeedParts(bytes.AsMemory(0, first), parts, bytes.AsMemory(end));
    }

    /// <summary>The head, <paramref name="parts"/> (with <paramref name="separator"/> between them) and the tail.</summary>
    public byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> parts, byte? separator)
    {
        var length = head.Length + tail.Length + (separator is null ? 0 : Math.Max(0, parts.Count - 1));
        foreach (var part in parts)
        {
            length += part.Length;
        }

        // Every byte is written below: a feed is big enough that zeroing it first costs.
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        var at = 0;
        head.Span.CopyTo(bytes);
        at += head.Length;
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0 && separator is { } between)
            {
                bytes[at++] = between;
            }

            parts[i].Span.CopyTo(bytes.AsSpan(at));
            at += parts[i].Length;
        }

        tail.Span.CopyTo(bytes.AsSpan(at));
        return bytes;
    }
}
