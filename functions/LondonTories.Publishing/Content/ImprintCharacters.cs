using System.Globalization;

namespace LondonTories.Publishing.Content;

/// <summary>
/// The invisible characters an imprint may not hold. The imprint is a legal statement that must read
/// exactly as written, and these change how text reads without showing: a right-to-left override
/// displays "Rachel Denholm" backwards, a zero-width space or word joiner makes two imprints that look
/// alike differ. Page text keeps them, since Urdu and Bengali text may need them.
/// </summary>
internal static class ImprintCharacters
{
    private static readonly Dictionary<char, string> Names = new()
    {
        ['\u061C'] = "ARABIC LETTER MARK",
        ['\u200B'] = "ZERO WIDTH SPACE",
        ['\u200C'] = "ZERO WIDTH NON-JOINER",
        ['\u200D'] = "ZERO WIDTH JOINER",
        ['\u200E'] = "LEFT-TO-RIGHT MARK",
        ['\u200F'] = "RIGHT-TO-LEFT MARK",
        ['\u202A'] = "LEFT-TO-RIGHT EMBEDDING",
        ['\u202B'] = "RIGHT-TO-LEFT EMBEDDING",
        ['\u202C'] = "POP DIRECTIONAL FORMATTING",
        ['\u202D'] = "LEFT-TO-RIGHT OVERRIDE",
        ['\u202E'] = "RIGHT-TO-LEFT OVERRIDE",
        ['\u2060'] = "WORD JOINER",
        ['\u2061'] = "FUNCTION APPLICATION",
        ['\u2062'] = "INVISIBLE TIMES",
        ['\u2063'] = "INVISIBLE SEPARATOR",
        ['\u2064'] = "INVISIBLE PLUS",
        ['\u2066'] = "LEFT-TO-RIGHT ISOLATE",
        ['\u2067'] = "RIGHT-TO-LEFT ISOLATE",
        ['\u2068'] = "FIRST STRONG ISOLATE",
        ['\u2069'] = "POP DIRECTIONAL ISOLATE",
        ['\uFEFF'] = "ZERO WIDTH NO-BREAK SPACE",
    };

    /// <summary>The index and name ("U+202E RIGHT-TO-LEFT OVERRIDE") of the first refused character, if any.</summary>
    public static (int Index, string Name)? FindRefused(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Names.TryGetValue(text[i], out var name) && !IsJoinerInWord(text, i))
            {
                return (i, string.Create(CultureInfo.InvariantCulture, $"U+{(int)text[i]:X4} {name}"));
            }
        }

        return null;
    }

    /// <summary>
    /// Bengali, Urdu and other scripts spell some words with a zero-width joiner or non-joiner (র‍্যাচেল,
    /// Rachel, has one after র), so a promoter's name or address written in them may hold one after a
    /// letter or mark of their own; after Latin letters, or anywhere else, one only hides.
    /// </summary>
    private static bool IsJoinerInWord(string text, int index) =>
        text[index] is '\u200C' or '\u200D'
        && index > 0
        && text[index - 1] > '\u036F'
        && (char.IsLetter(text[index - 1]) || CharUnicodeInfo.GetUnicodeCategory(text[index - 1]) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark);
}
