using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace LondonTories.Publishing.Content;

/// <summary>
/// The words a reader sees that are not an editor's page: the built-in layouts' labels, link texts,
/// feed titles and date format, one table per language from <c>strings/&lt;lang&gt;.yaml</c>, with
/// English built in for any key a table lacks. <c>{seat}</c>, <c>{site}</c>, <c>{count}</c> and
/// <c>{date}</c> in a text stand for what the page fills in.
/// </summary>
public sealed class SiteStrings
{
    public const string Folder = "strings/";

    /// <summary>Every key with its English text: the keys a strings file may give.</summary>
    public static readonly FrozenDictionary<string, string> English = new Dictionary<string, string>
    {
        ["skip_to_content"] = "Skip to content",
        ["languages"] = "Languages",
        ["breadcrumb"] = "Breadcrumb",
        ["london"] = "London",
        ["more_from"] = "More from {seat}",
        ["more_for"] = "More for {seat}",
        ["everything_for"] = "Everything for {seat}",
        ["nothing_published"] = "Nothing is published here yet.",
        ["seat_title"] = "{seat} · {site}",
        ["feed_title"] = "{seat} · {site}",
        ["published"] = "Published {date}",
        ["updated"] = "Updated {date}",
        ["date_format"] = "d MMMM yyyy",
        ["hub_summary"] = "Find your constituency: {count} seats across London.",
        ["hex_map_caption"] = "Map of London's constituencies, one hexagon each: choose yours.",
        ["constituencies_by_borough"] = "Constituencies by borough",
        ["not_found"] = "Page not found",
        ["not_found_title"] = "Page not found · {site}",
        ["not_found_text"] = "This page does not exist or is no longer published.",
        ["find_your_constituency"] = "Find your constituency",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, StringTable> _tables;

    public SiteStrings(IEnumerable<StringTable> tables) =>
        _tables = tables.ToFrozenDictionary(t => t.Language, StringComparer.OrdinalIgnoreCase);

    public static SiteStrings None { get; } = new([]);

    public IEnumerable<StringTable> Tables => _tables.Values;

    /// <summary>The texts for a language: its own file, else its base language's (en-GB, then en), each key falling back to English.</summary>
    public StringTable For(string language)
    {
        if (_tables.TryGetValue(language, out var table))
        {
            return table;
        }

        var dash = language.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && _tables.TryGetValue(language[..dash], out var parent)
            ? parent with { Language = language }
            : new StringTable(language, FrozenDictionary<string, string>.Empty);
    }

    /// <summary>Whether a language has texts of its own: English always does, being built in.</summary>
    public bool Covers(string language)
    {
        var baseLanguage = language.Split('-')[0];
        return baseLanguage == "en" || _tables.ContainsKey(language) || _tables.ContainsKey(baseLanguage);
    }
}

/// <summary>One language's texts: what its file gives, English for the rest.</summary>
public sealed record StringTable(string Language, FrozenDictionary<string, string> Given)
{
    public string this[string key] => Given.TryGetValue(key, out var text) ? text : SiteStrings.English[key];

    /// <summary>A digest of the strings file the words come from (a language without one of its own borrows its parent's); empty for the built-in English.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>The keys the file lacks, which read in English.</summary>
    public ImmutableArray<string> Missing => [.. SiteStrings.English.Keys.Where(k => !Given.ContainsKey(k)).Order(StringComparer.Ordinal)];

    // Read without a lock once known: CultureInfo.GetCultureInfo takes a process-wide one, and a
    // run asks for the culture of every page it renders, on every core at once.
    private static readonly ConcurrentDictionary<string, CultureInfo> Cultures = new(StringComparer.Ordinal);

    public CultureInfo Culture => Cultures.GetOrAdd(Language, static language =>
    {
        try
        {
            return CultureInfo.GetCultureInfo(language);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    });

    /// <summary>The text of <paramref name="key"/> with its placeholders filled; a placeholder without a value stays as written.</summary>
    public string Format(string key, string? seat = null, string? site = null, string? count = null, string? date = null) =>
        Format(key, static t => t, static v => v, seat, site, count, date);

    /// <summary>
    /// As <see cref="Format(string, string?, string?, string?, string?)"/>, passing the text written in the file
    /// through <paramref name="text"/> and each filled-in value through <paramref name="value"/>, e.g. to escape them.
    /// </summary>
    public string Format(string key, Func<string, string> text, Func<string, string> value, string? seat = null, string? site = null, string? count = null, string? date = null)
    {
        var written = text(this[key]);
        if (!written.Contains('{', StringComparison.Ordinal))
        {
            return written;
        }

        return written
            .Replace("{seat}", seat is null ? "{seat}" : value(seat), StringComparison.Ordinal)
            .Replace("{site}", site is null ? "{site}" : value(site), StringComparison.Ordinal)
            .Replace("{count}", count is null ? "{count}" : value(count), StringComparison.Ordinal)
            .Replace("{date}", date is null ? "{date}" : value(date), StringComparison.Ordinal);
    }

    /// <summary>A moment as a reader of this language writes the date, in the site's time zone.</summary>
    public string Date(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(this["date_format"], Culture);
}
