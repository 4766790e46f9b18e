using System.Globalization;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Reads editors' times. A time with an offset or 'Z' is an instant; one without is a wall-clock
/// time in the site's zone, which may not exist (clocks go forward) or happen twice (clocks go back):
/// both are refused with the offsets to choose from, because guessing could publish an hour early.
/// </summary>
public static partial class SiteClock
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    /// <summary>
    /// The years a time may name. Nothing is published before 1970 or long after now, and at either end
    /// of what a date can hold, an offset or the hours added and taken off a moment (a post's grace, a
    /// link's lifetime) would fall outside it, a crash where the editor should get an error.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <inheritdoc cref="Earliest"/>
    public static readonly DateTimeOffset Latest = new(2999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    public static TimeZoneInfo FindZone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    /// <summary>Whether <paramref name="text"/> names a year before <see cref="Earliest"/> or after <see cref="Latest"/>.</summary>
    public static bool OutsideYears(string text)
    {
        text = text.Trim();
        return text.Length >= 4 && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && (year < Earliest.Year || year > Latest.Year);
    }

    /// <summary>Parses <paramref name="text"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static DateTimeOffset? Parse(string text, TimeZoneInfo zone, out string? error)
    {
        error = null;
        text = text.Trim();
        if (OutsideYears(text))
        {
            error = $"'{text}' is outside the years a time may name: write one between {Earliest.Year} and {Latest.Year}, such as 2026-11-30T09:00.";
            return null;
        }

        if (OffsetSuffix().IsMatch(text))
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                return instant.ToUniversalTime();
            }

            error = $"'{text}' is not a valid date and time: its day, hour or offset does not exist; write it as 2026-11-30T09:00:00Z or 2026-11-30T09:00+01:00.";
            return null;
        }

        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"'{text}' is not a date and time; write it as 2026-11-30T09:00 (London time) or 2026-11-30T09:00:00Z.";
            return null;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            var after = zone.GetUtcOffset(local.AddHours(3));
            error = $"{text} does not exist in {zone.Id}: the clocks go forward that night, so the wall-clock time is skipped. " +
                    $"Write it with an offset, {Stamp(local, before)} or {Stamp(local, after)}, or choose another time.";
            return null;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).ToArray();
            error = $"{text} happens twice in {zone.Id}: the clocks go back that night. " +
                    $"Write it with an offset: {Stamp(local, offsets[0])} (the first time) or {Stamp(local, offsets[^1])} (the second).";
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The instant as the site's wall clock shows it, with its offset.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>The instant as the site's wall clock shows it, for a message: <c>2026-11-30 12:30 (Europe/London)</c>.</summary>
    public static string Text(DateTimeOffset instant, TimeZoneInfo zone) =>
        string.Create(CultureInfo.InvariantCulture, $"{ToLocal(instant, zone):yyyy-MM-dd HH:mm} ({zone.Id})");

    private static string Stamp(DateTime local, TimeSpan offset) =>
        new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();
}
