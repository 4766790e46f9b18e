using System.Text;
using System.Text.Json;

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

    /// <summary>A JSON feed as <see cref="JsonFeed"/> writes it (its items last), or null when it is not one.</summary>
    public static FeedParts? Json(byte[] bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            var (inItems, itemsStart, previousEnd) = (false, -1, -1);
            var parts = new List<ReadOnlyMemory<byte>>();
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    inItems = reader.ValueTextEquals("items"u8);
                }
                else if (inItems && reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.StartArray)
                {
                    itemsStart = previousEnd = (int)reader.BytesConsumed;
                }
                else if (inItems && reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.EndArray)
                {
                    if (parts.Count == 0 || reader.BytesConsumed != bytes.Length - "\n}".Length)
                    {
                        return null;
                    }

                    return new FeedParts(bytes.AsMemory(0, itemsStart), parts, bytes.AsMemory(previousEnd));
                }
                else if (inItems && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
                {
                    // Skip the ',' that follows the previous item: the join puts it back.
                    var start = parts.Count == 0 ? previousEnd : previousEnd + 1;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    if (parts.Count > 0 && bytes[previousEnd] != (byte)',')
                    {
                        return null;
                    }

                    parts.Add(bytes.AsMemory(start, end - start));
                    previousEnd = end;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>The head, <paramref name="parts"/> (with <paramref name="separator"/> between them) and the tail.</summary>
    public byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> parts, byte? separator)
    {
        var length = head.Length + tail.Length + (separator is null ? 0 : Math.Max(0, parts.Count - 1));
        foreach (var part in parts)
        {
            length += part.Length;
        }

        var bytes = new byte[length];
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
