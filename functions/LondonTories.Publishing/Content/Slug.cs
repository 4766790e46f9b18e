using System.Text;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Content;

public static partial class Slug
{
    /// <summary>The one shape a slug may take: lower-case words of letters and digits joined by single hyphens.</summary>
    public static bool IsValid(string value) => Pattern().IsMatch(value);

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
    public static string Suggestion(string name) => From(name) is { Length: > 0 } slug ? slug : "local-news";

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
