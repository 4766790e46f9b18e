using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Content;

/// <summary>Language codes, their own names for themselves, and which are written right to left.</summary>
public static partial class Languages
{
    private static readonly FrozenSet<string> RightToLeft =
        FrozenSet.ToFrozenSet(["ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> NativeNames = new Dictionary<string, string>
    {
        ["en"] = "English",
        ["bn"] = "বাংলা",
        ["ur"] = "اردو",
        ["gu"] = "ગુજરાતી",
        ["pa"] = "ਪੰਜਾਬੀ",
        ["pl"] = "Polski",
        ["tr"] = "Türkçe",
        ["so"] = "Soomaali",
        ["ar"] = "العربية",
        ["fa"] = "فارسی",
        ["he"] = "עברית",
        ["ps"] = "پښتو",
        ["ta"] = "தமிழ்",
        ["zh"] = "中文",
        ["ro"] = "Română",
        ["pt"] = "Português",
        ["es"] = "Español",
        ["fr"] = "Français",
        ["lt"] = "Lietuvių",
        ["hi"] = "हिन्दी",
        ["yo"] = "Yorùbá",
        ["tw"] = "Twi",
        ["el"] = "Ελληνικά",
        ["it"] = "Italiano",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsLanguageCode(string code) => Code().IsMatch(code);

    /// <summary>The code an editor probably meant by a language written otherwise: 'BN', 'Bengali', 'বাংলা'.</summary>
    public static string? CodeMeant(string written)
    {
        var text = written.Trim();
        if (IsLanguageCode(text.ToLowerInvariant()))
        {
            return text.ToLowerInvariant();
        }

        // The names Londoners use where the platform's own differ ('Bangla').
        if (text.ToLowerInvariant() switch { "bengali" => "bn", "farsi" => "fa", _ => null } is { } known)
        {
            return known;
        }

        return System.Globalization.CultureInfo.GetCultures(System.Globalization.CultureTypes.NeutralCultures)
            .Where(c => c.TwoLetterISOLanguageName.Length == 2 && IsLanguageCode(c.TwoLetterISOLanguageName))
            .FirstOrDefault(c => string.Equals(c.EnglishName, text, StringComparison.OrdinalIgnoreCase) || string.Equals(c.NativeName, text, StringComparison.OrdinalIgnoreCase))
            ?.TwoLetterISOLanguageName;
    }

    /// <summary>A BCP 47 tag as sites use them: a language, then optionally a script, a region and variants (en, en-GB, zh-Hant-HK).</summary>
    public static bool IsLanguageTag(string tag) => Tag().IsMatch(tag);

    public static bool IsRightToLeft(string code) => RightToLeft.GetAlternateLookup<ReadOnlySpan<char>>().Contains(Primary(code));

    public static string Direction(string code) => IsRightToLeft(code) ? "rtl" : "ltr";

    public static string NativeName(string code) =>
        NativeNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(Primary(code), out var name) ? name : code;

    // The language subtag alone, without splitting the tag: every page asks several times.
    private static ReadOnlySpan<char> Primary(string code) => code.IndexOf('-') is var dash and >= 0 ? code.AsSpan(0, dash) : code;

    [GeneratedRegex("^[a-z]{2,3}(-[a-z0-9]{2,8})?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Code();

    [GeneratedRegex("^[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*\\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Tag();
}
