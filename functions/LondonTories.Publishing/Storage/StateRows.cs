using System.Buffers;
using System.Text.Json;

namespace LondonTories.Publishing.Storage;

/// <summary>What a folder target knows of one file it wrote or hashed: its digest, the key of the inputs it was made from, and the size and time that vouch for it.</summary>
internal sealed record StateEntry(string Sha256, string? InputKey, long Length, long Modified);

/// <summary>
/// What a target knows of the site's files as rows, one per file, <c>[path, sha256, input key,
/// length, modified]</c>, sorted by path: a folder's state file, and a blob target's record of what
/// it holds. Either names every file of the site and is read and written on every run, so it is read
/// and written row by row rather than as objects; so are the lines of the journal kept beside a
/// folder's state, one file written or deleted each.
/// </summary>
internal static class StateRows
{
    private const int Format = 2;

    /// <param name="sizeHint">About how long the file will be, such as the length of the one read: a site's state is megabytes, and each doubling of the buffer on the way there is a large array thrown away.</param>
    public static ReadOnlyMemory<byte> Write(IEnumerable<KeyValuePair<string, StateEntry>> entries, int sizeHint = 0)
    {
        var rows = entries.ToArray();
        Array.Sort(rows, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var buffer = new ArrayBufferWriter<byte>(Math.Max(sizeHint, rows.Length * 192) + 4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", Format);
            writer.WriteStartArray("files");
            foreach (var (path, entry) in rows)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(path);
                writer.WriteStringValue(entry.Sha256);
                writer.WriteStringValue(entry.InputKey);
                writer.WriteNumberValue(entry.Length);
                writer.WriteNumberValue(entry.Modified);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>The rows of a state file, or null when it is not one this version wrote (the caller then hashes every file).</summary>
    public static Dictionary<string, StateEntry>? Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            int? format = null;
            Dictionary<string, StateEntry>? rows = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("format") && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    format = reader.GetInt32();
                }
                else if (format == Format && reader.ValueTextEquals("files") && reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                {
                    rows = ReadRows(ref reader);
                }
                else
                {
                    return null;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject ? rows : null;
        }
        catch (Exception exception) when (JsonFields.IsUnreadable(exception))
        {
            return null;
        }
    }

    private static Dictionary<string, StateEntry>? ReadRows(ref Utf8JsonReader reader)
    {
        var rows = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            var path = JsonFields.String(ref reader);
            var sha256 = JsonFields.String(ref reader);
            var inputKey = JsonFields.NullableString(ref reader);
            var length = JsonFields.Int64(ref reader);
            var modified = JsonFields.Int64(ref reader);
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return null;
            }

            rows[path] = new StateEntry(sha256, inputKey, length, modified);
        }

        return reader.TokenType == JsonTokenType.EndArray ? rows : null;
    }

    /// <summary>A line of the journal: a file written, with what the state keeps of it, or deleted (null).</summary>
    public static byte[] JournalLine(string path, StateEntry? entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (path.Length * 2));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Path", path);
            if (entry is null)
            {
                writer.WriteNull("State");
            }
            else
            {
                writer.WriteStartObject("State");
                writer.WriteString("Sha256", entry.Sha256);
                writer.WriteString("InputKey", entry.InputKey);
                writer.WriteNumber("Length", entry.Length);
                writer.WriteNumber("Modified", entry.Modified);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The path a journal line names and what it says of it, or null for a line cut short or one this version did not write.</summary>
    public static (string Path, StateEntry? State)? ReadJournalLine(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            JsonFields.StartObject(ref reader);
            (string? path, StateEntry? state) = (null, null);
            while (JsonFields.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("Path"u8))
                {
                    path = JsonFields.String(ref reader);
                }
                else if (reader.ValueTextEquals("State"u8))
                {
                    state = ReadJournalState(ref reader);
                }
                else
                {
                    JsonFields.SkipValue(ref reader);
                }
            }

            return path is null || reader.Read() ? null : (path, state);
        }
        catch (Exception exception) when (JsonFields.IsUnreadable(exception))
        {
            return null;
        }
    }

    private static StateEntry? ReadJournalState(ref Utf8JsonReader reader)
    {
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        (string? sha256, string? inputKey, long? length, long? modified) = (null, null, null, null);
        while (JsonFields.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("Sha256"u8))
            {
                sha256 = JsonFields.String(ref reader);
            }
            else if (reader.ValueTextEquals("InputKey"u8))
            {
                inputKey = JsonFields.NullableString(ref reader);
            }
            else if (reader.ValueTextEquals("Length"u8))
            {
                length = JsonFields.Int64(ref reader);
            }
            else if (reader.ValueTextEquals("Modified"u8))
            {
                modified = JsonFields.Int64(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return sha256 is not null && length is { } size && modified is { } time ? new StateEntry(sha256, inputKey, size, time) : throw new JsonException("The entry lacks a field.");
    }
}
