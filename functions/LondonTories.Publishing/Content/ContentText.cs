using System.Buffers;
using System.Globalization;
using System.Text;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Turns a content file's bytes into text: UTF-8 only (with or without a BOM), lines ending in
/// <c>\n</c>, and no control characters but tabs and line ends. Anything else is reported where it is,
/// and the text goes on with a replacement character there so that the rest of the file is still checked.
/// </summary>
public static class ContentText
{
    /// <summary>At most this many control characters are reported for one file; the rest are counted.</summary>
    private const int ReportedPerFile = 3;

    public static string Decode(byte[] bytes, string displayPath, DiagnosticBag diagnostics)
    {
        string text;
        if (Utf16(bytes) is { } utf16)
        {
            diagnostics.Error(SourceLocation.StartOf(displayPath), "utf16", $"the file is {utf16.EncodingName.Replace("Unicode", "UTF-16", StringComparison.Ordinal)}, not UTF-8.",
                "Open it in your editor and save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8).");
            text = utf16.GetString(bytes);
        }
        else
        {
            if (FirstInvalidUtf8(bytes) is { } invalid)
            {
                diagnostics.Error(Position(bytes, invalid, displayPath), "not-utf8",
                    $"the file is not UTF-8: byte 0x{bytes[invalid]:X2} here is not a UTF-8 character (the file is probably Windows-1252 or Latin-1).",
                    "Save the file as UTF-8 in your editor; the character here will need retyping.");
            }

            text = new UTF8Encoding(false).GetString(bytes);
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        text = text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
        return RefuseControlCharacters(text, displayPath, diagnostics);
    }

    private static Encoding? Utf16(byte[] bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        }

        // Without a BOM, UTF-16 text in a Latin script has every other byte zero, which UTF-8 text never has.
        if (bytes.Length >= 4 && bytes.Length % 2 == 0)
        {
            if (bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 && bytes[2] != 0)
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
            }

            if (bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 && bytes[3] != 0)
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
            }
        }

        return null;
    }

    private static int? FirstInvalidUtf8(byte[] bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var index = 0;
        while (index < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(index), out _, out var consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return null;
    }

    /// <summary>The line and column of a byte, counting columns in characters as editors do.</summary>
    private static SourceLocation Position(byte[] bytes, int index, string displayPath)
    {
        var lineStart = index == 0 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', index - 1) + 1;

        var line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
        var column = 1 + Encoding.UTF8.GetCharCount(bytes, lineStart, index - lineStart);
        return new SourceLocation(displayPath, line, column);
    }

    private static string RefuseControlCharacters(string text, string displayPath, DiagnosticBag diagnostics)
    {
        if (!text.AsSpan().ContainsAny(ControlCharacters))
        {
            return text;
        }

        var builder = new StringBuilder(text);
        var (line, column, found) = (1, 1, 0);
        for (var i = 0; i < builder.Length; i++)
        {
            var c = builder[i];
            if (c == '\n')
            {
                (line, column) = (line + 1, 1);
                continue;
            }

            if (ControlCharacters.Contains(c))
            {
                if (found++ < ReportedPerFile)
                {
                    diagnostics.Error(new SourceLocation(displayPath, line, column), "control-character",
                        string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4}{Name(c)} is not allowed in content."),
                        "Delete it: only tabs and line ends may appear among the text (it often comes from pasting out of another program).");
                }

                builder[i] = '\uFFFD';
            }

            column++;
        }

        if (found > ReportedPerFile)
        {
            diagnostics.Error(SourceLocation.StartOf(displayPath), "control-character",
                string.Create(CultureInfo.InvariantCulture, $"the file holds {found} control characters in all; the first {ReportedPerFile} are reported."));
        }

        return builder.ToString();
    }

    private static string Name(char c) => c switch
    {
        '\0' => " (NUL)",
        '\u001b' => " (escape)",
        '\u007f' => " (delete)",
        '\uFFFE' or '\uFFFF' => " (not a character)",
        _ => string.Empty,
    };

    /// <summary>
    /// The first character of <paramref name="text"/> that no page or feed may carry: a control
    /// character as <see cref="ControlCharacters"/> has them, U+FFFE or U+FFFF, which XML cannot hold,
    /// or half of a surrogate pair. -1 when there is none.
    /// </summary>
    /// <remarks>
    /// A file's bytes are checked as they are read, but an escape in a quoted YAML value ("\x07") or in a
    /// template's string makes the character only once decoded or rendered; the feeds' XML writer then stopped the run.
    /// </remarks>
    internal static int IndexOfForbidden(ReadOnlySpan<char> text)
    {
        var at = 0;
        while (text[at..].IndexOfAny(Forbidden) is var found and >= 0)
        {
            var i = at + found;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                return i;
            }

            at = i + 2;
        }

        return -1;
    }

    /// <summary><paramref name="text"/> with each character <see cref="IndexOfForbidden"/> finds replaced by U+FFFD.</summary>
    internal static string ReplaceForbidden(string text)
    {
        var chars = text.ToCharArray();
        var from = 0;
        while (IndexOfForbidden(chars.AsSpan(from)) is var found and >= 0)
        {
            chars[from + found] = '\uFFFD';
            from += found + 1;
        }

        return new string(chars);
    }

    /// <summary>How an error names a character <see cref="IndexOfForbidden"/> found.</summary>
    internal static string Describe(char c) => char.IsSurrogate(c)
        ? string.Create(CultureInfo.InvariantCulture, $"half of a character (U+{(int)c:X4}), without its other half,")
        : string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4}{Name(c)}");

    /// <summary>C0 controls but tab and line feed (carriage returns are gone by now), DEL, the C1 controls, and the two noncharacters XML cannot hold.</summary>
    private static readonly char[] Controls =
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n')).Select(c => (char)c), '\u007f', .. Enumerable.Range(0x80, 0x20).Select(c => (char)c), '\uFFFE', '\uFFFF'];

    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(Controls);

    // A decoded or rendered text may hold a carriage return, which XML holds too; a surrogate is checked for its pair.
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        [.. Controls.Where(c => c != '\r'), .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);
}
