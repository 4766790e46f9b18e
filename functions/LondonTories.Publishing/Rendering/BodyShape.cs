using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using Scriban.Runtime;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// A body that only prints values by name, its Markdown parsed once for every seat: parsed with a
/// stand-in word for each value, and each seat's values written into the HTML in their place.
/// That gives the HTML the seat's own text would give only where a value reads as a plain word in
/// running text, so the shape is kept only where every stand-in came out as text (not in a link,
/// an id or an audience rule) between neighbours that cannot join it to other syntax, and a seat
/// is filled in only when each of its values is plain words; any other seat's body is parsed on
/// its own.
/// </summary>
internal sealed class BodyShape
{
    // What may stand next to a value for it to read as a word whatever the word is.
    private const string Before = "(*_\"'";
    private const string After = ".,;:!?)*_\"'";

    // Words that would begin a link where the text around a value continues them.
    private static readonly string[] LinkStarts = ["www.", "http:", "https:", "ftp:", "mailto:", "tel:"];

    private readonly PrintShape _print;
    private readonly RenderSession.ParsedBody _parsed;

    private BodyShape(PrintShape print, RenderSession.ParsedBody parsed)
    {
        _print = print;
        _parsed = parsed;
    }

    /// <param name="everyBlock">The skeleton's HTML with every audience block kept: each stand-in must appear there as text, as often as it is printed.</param>
    public static BodyShape? Of(PrintShape print, RenderSession.ParsedBody parsed, string everyBlock)
    {
        var skeleton = print.Skeleton;
        for (var i = 0; i < print.Printed.Length; i++)
        {
            var before = print.Pieces[i].Length == 0 ? (i == 0 ? ' ' : '\0') : print.Pieces[i][^1];
            var after = print.Pieces[i + 1].Length == 0 ? (i + 1 == print.Printed.Length ? ' ' : '\0') : print.Pieces[i + 1][0];
            if (!(char.IsWhiteSpace(before) || Before.Contains(before, StringComparison.Ordinal))
                || !(char.IsWhiteSpace(after) || After.Contains(after, StringComparison.Ordinal)))
            {
                return null;
            }
        }

        var seen = new int[print.Paths.Length];
        var at = 0;
        while ((at = everyBlock.IndexOf(PrintShape.StandInPrefix, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            if (StandInAt(everyBlock, at, out var index, out var length) is false || index >= seen.Length
                || everyBlock.LastIndexOf('<', at) > everyBlock.LastIndexOf('>', at))
            {
                return null;
            }

            seen[index]++;
            at += length;
        }

        for (var k = 0; k < seen.Length; k++)
        {
            if (seen[k] != print.Printed.Count(p => p == k))
            {
                return null;
            }
        }

        return skeleton.Length > 0 ? new BodyShape(print, parsed) : null;
    }

    /// <summary>The seat's body HTML, or null when one of its values is not plain words and the body must be parsed with them.</summary>
    public string? HtmlFor(Constituency seat, ScriptObject model, RenderSession session)
    {
        if (_print.ValuesFrom(model) is not { } values)
        {
            return null;
        }

        var escaped = new string[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            if (!IsPlain(values[k], k))
            {
                return null;
            }

            escaped[k] = values[k].Replace("&", "&amp;", StringComparison.Ordinal);
        }

        // Measured first and then written once: a body is made for every page of every seat, and a
        // builder growing as the values go in cost more than the rest of the fill.
        var html = _parsed.HtmlFor(seat, session);
        var (total, from) = (html.Length, 0);
        int at;
        while ((at = html.IndexOf(PrintShape.StandInPrefix, from, StringComparison.Ordinal)) >= 0)
        {
            if (!StandInAt(html, at, out var index, out var length))
            {
                return null;
            }

            total += escaped[index].Length - length;
            from = at + length;
        }

        return string.Create(total, (html, escaped), static (span, state) =>
        {
            var (html, escaped) = state;
            var (from, written) = (0, 0);
            int at;
            while ((at = html.IndexOf(PrintShape.StandInPrefix, from, StringComparison.Ordinal)) >= 0)
            {
                StandInAt(html, at, out var index, out var length);
                html.AsSpan(from, at - from).CopyTo(span[written..]);
                written += at - from;
                escaped[index].CopyTo(span[written..]);
                written += escaped[index].Length;
                from = at + length;
            }

            html.AsSpan(from).CopyTo(span[written..]);
        });
    }

    /// <summary>
    /// Whether the value reads as words wherever a stand-in stood: letters first, a letter, digit or
    /// mark last, nothing Markdown or HTML gives a meaning to, and nothing that begins a link.
    /// </summary>
    private bool IsPlain(string value, int path)
    {
        if (value.Length == 0 || !char.IsLetter(value[0]) || !IsWordChar(value[^1]))
        {
            return false;
        }

        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (IsWordChar(c) || c is ',' or '.' or '\'' or '\u2019' or '-' or '@')
            {
                continue;
            }

            if ((c == ' ' && value[i - 1] != ' ') || (c == '&' && value[i + 1] == ' '))
            {
                continue;
            }

            return false;
        }

        foreach (var start in LinkStarts)
        {
            if (value.Contains(start, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        // A last word that text after the value could continue into a link: "www" before ".", "http" before ":".
        var lastWord = value.AsSpan(value.LastIndexOfAny([' ', ',', '.', '\'', '\u2019', '-', '@', '&']) + 1);
        for (var i = 0; i < _print.Printed.Length; i++)
        {
            if (_print.Printed[i] == path && _print.Pieces[i + 1] is { Length: > 0 } next && ContinuesIntoLink(lastWord, next[0]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a link start begins with <paramref name="word"/> followed by <paramref name="next"/>, as "www" and "." begin "www.".</summary>
    private static bool ContinuesIntoLink(ReadOnlySpan<char> word, char next)
    {
        foreach (var start in LinkStarts)
        {
            if (start.Length > word.Length && start.AsSpan(0, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
                && start.AsSpan(word.Length, 1).Equals([next], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>Reads the stand-in at <paramref name="at"/>: which value it stands for and how long it is.</summary>
    private static bool StandInAt(string html, int at, out int index, out int length)
    {
        (index, length) = (-1, 0);
        if (string.CompareOrdinal(html, at, PrintShape.StandInPrefix, 0, PrintShape.StandInPrefix.Length) != 0)
        {
            return false;
        }

        var start = at + PrintShape.StandInPrefix.Length;
        var i = start;
        while (i < html.Length && html[i] is >= 'a' and <= 'z' && string.CompareOrdinal(html, i, "xqZ", 0, 3) != 0)
        {
            i++;
        }

        if (i == start || string.CompareOrdinal(html, i, "xqZ", 0, 3) != 0)
        {
            return false;
        }

        index = DecodeIndex(html.AsSpan(start, i - start));
        length = i + 3 - at;
        return true;
    }

    private static int DecodeIndex(ReadOnlySpan<char> letters)
    {
        var index = -1;
        foreach (var c in letters)
        {
            index = ((index + 1) * 26) + (c - 'a');
        }

        return index;
    }
}
