using System.Collections.Immutable;
using System.Text.Json;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Reads the files a folder keeps for itself field by field. Each call takes the next value of the
/// kind asked for or throws; the file's reader turns any throw into "not a file this version wrote".
/// </summary>
/// <remarks>
/// These files are read on every run, and a run is often a program started for that run alone: the
/// serialiser's metadata for their records was most of the code such a run compiled before it could
/// tell that it had nothing to do.
/// </remarks>
internal static class JsonFields
{
    /// <summary>Whether <paramref name="exception"/> is what reading a damaged, cut short or foreign file throws.</summary>
    public static bool IsUnreadable(Exception exception) => exception is JsonException or InvalidOperationException or FormatException;

    /// <summary>Moves to the next token, which must exist.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The file ends inside a value.");
        }
    }

    /// <summary>Moves to the next token, which must start an object.</summary>
    public static void StartObject(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"Expected {token}, found {reader.TokenType}.");
        }
    }

    /// <summary>True on the name of the object's next property, false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"Expected a property, found {reader.TokenType}."),
        };
    }

    /// <summary>Moves past the value of a property this version does not read.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    /// <summary>Moves to the next token, which must start an array, or be null (false).</summary>
    public static bool StartArray(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        return true;
    }

    /// <summary>True on the first token of the array's next element, false at its end.</summary>
    public static bool NextElement(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    public static string String(ref Utf8JsonReader reader) => NullableString(ref reader) ?? throw new JsonException("Expected a string, found null.");

    public static string? NullableString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null
            ? reader.GetString()
            : throw new JsonException($"Expected a string, found {reader.TokenType}.");
    }

    public static int Int32(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetInt32();
    }

    public static long Int64(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetInt64();
    }

    public static bool Boolean(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetBoolean();
    }

    public static DateTimeOffset Instant(ref Utf8JsonReader reader) => NullableInstant(ref reader) ?? throw new JsonException("Expected an instant, found null.");

    public static DateTimeOffset? NullableInstant(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();
    }

    /// <summary>An array of strings; null reads as empty.</summary>
    public static ImmutableArray<string> Strings(ref Utf8JsonReader reader)
    {
        if (!StartArray(ref reader))
        {
            return [];
        }

        var strings = ImmutableArray.CreateBuilder<string>();
        while (NextElement(ref reader))
        {
            strings.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected a string, found {reader.TokenType}."));
        }

        return strings.ToImmutable();
    }

    /// <summary>A member of <paramref name="enumType"/>, written as its number, which must name one.</summary>
    public static int Member(ref Utf8JsonReader reader, Type enumType)
    {
        var value = Int32(ref reader);
        return Enum.IsDefined(enumType, value) ? value : throw new FormatException($"{value} is not a {enumType.Name}.");
    }

    /// <summary>Writes <paramref name="values"/> as an array of strings.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.IsDefault ? [] : values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
