using System.Text;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Audience;

public static partial class Slug
{
    /// <summary>
    /// The most characters a slug may have: it names a folder in the output and in storage, where a
    /// name has at most 255 bytes, and a part of every address of the page.
    /// </summary>
    public const int MaxLength = 100;

    /// <summary>The one shape a slug may take: lower-case words of letters and digits joined by single hyphens, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string value) => value.Length <= MaxLength && Pattern().IsMatch(value);

    /// <summary>What a slug that is not valid should be, for the hint of its error.</summary>
    public static string Rule(string value) => value.Length > MaxLength && Pattern().IsMatch(value)
        ? $"A slug has at most {MaxLength} characters, since it names a folder of the site: shorten it, e.g. '{Suggestion(value)}'."
        : $"Slugs are lower-case letters, digits and single hyphens, e.g. '{Suggestion(value)}'.";

    /// <summary>Turns a display name ("Barking and Dagenham", "Ealing, Southall") into its slug.</summary>
    public static string From(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingHyphen = false;
        // Accents come off as the letter's own mark once decomposed (é is e and a mark); the few Latin
        // letters that do not decompose are spelt as English writes them.
        foreach (var c in Latin(name.Replace("&", " and ", StringComparison.Ordinal).ToLowerInvariant().Normalize(NormalizationForm.FormD)))
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(c);
                pendingHyphen = false;
            }
            else if (c is ' ' or '-' or '_' or '/')
            {
                pendingHyphen = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>A slug to suggest for a name: its own, or an example where nothing of it is left (a name in another script).</summary>
    public static string Suggestion(string name) => From(name) switch
    {
        { Length: 0 } => "local-news",
        { Length: > MaxLength } slug => slug[..MaxLength].LastIndexOf('-') is var cut and > 0 ? slug[..cut] : slug[..MaxLength],
        var slug => slug,
    };

    private static IEnumerable<char> Latin(string text)
    {
        foreach (var c in text)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var spelt = c switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ø' => "o",
                'ł' => "l",
                'đ' or 'ð' => "d",
                'þ' => "th",
                'ı' => "i",
                _ => null,
            };
            if (spelt is null)
            {
                yield return c;
                continue;
            }

            foreach (var letter in spelt)
            {
                yield return letter;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
