using System.Globalization;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Diagnostics;

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

    /// <summary>
    /// A page's or a post's times are moments: a date alone is read as the midnight that starts it, seldom
    /// what was meant, and for a time that ends something (an expiry, a promotion's end) a day early.
    /// </summary>
    internal static void WarnIfDateAlone(YamlFields fields, string key, string text, bool endsSomething, DiagnosticBag diagnostics)
    {
        var date = text.Trim();
        if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            diagnostics.Warning(fields.LocationOf(fields.Find(key)!), "date-without-time",
                $"{key}: '{date}' has no time of day, so it is read as 00:00, midnight at the start of that day.",
                $"Give the time as well, e.g. '{key}: {date}T09:00'{(endsSomething ? $", or '{key}: {date}T23:59' for the end of that day" : string.Empty)}.");
        }
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
            error = $"'{text}' is not a date and time; write it as 2026-11-30T09:00 ({TimeName(zone)}) or 2026-11-30T09:00:00Z.";
            return null;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var (before, after) = OffsetsAround(local, zone);
            error = $"{text} does not exist in {zone.Id}: the clocks go forward that night, so the wall-clock time is skipped. " +
                    $"Write it with an offset, {Stamp(local, before)} or {Stamp(local, after)}, or choose another time.";
            return null;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var (first, second) = OffsetsAround(local, zone);
            error = $"{text} happens twice in {zone.Id}: the clocks go back that night. " +
                    $"Write it with an offset: {Stamp(local, first)} (the first time) or {Stamp(local, second)} (the second).";
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// The two moments a wall-clock time without an offset can mean on a night the clocks change, in
    /// the order <see cref="Parse"/>'s error names them (the offset before the change first), each as
    /// <c>2026-10-25T01:30:00+01:00</c>; empty for any other text.
    /// </summary>
    public static IReadOnlyList<string> MomentsOf(string text, TimeZoneInfo zone)
    {
        text = text.Trim();
        if (OutsideYears(text) || OffsetSuffix().IsMatch(text) || !DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return [];
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (!zone.IsInvalidTime(local) && !zone.IsAmbiguousTime(local))
        {
            return [];
        }

        var (before, after) = OffsetsAround(local, zone);
        return [Stamp(local, before), Stamp(local, after)];
    }

    /// <summary>The instant written with its offset in the site's zone, so that a wall-clock time the clocks repeat reads back as the one meant.</summary>
    public static string Exact(DateTimeOffset instant, TimeZoneInfo zone) => Stamp(ToLocal(instant, zone).DateTime, ToLocal(instant, zone).Offset);

    /// <summary>
    /// Which of the two equal wall-clock times of the night the clocks go back <paramref name="instant"/>
    /// is, such as <c>UTC+00:00, the second 01:30</c>; null at any other moment.
    /// </summary>
    public static string? WhichOfTwice(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = ToLocal(instant, zone);
        if (!zone.IsAmbiguousTime(local))
        {
            return null;
        }

        var (first, _) = OffsetsAround(local.DateTime, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{OffsetName(local)}, the {(local.Offset == first ? "first" : "second")} {local:HH:mm}");
    }

    // The zone's offsets either side of the night, earlier first: the two a skipped or repeated time could be written with.
    private static (TimeSpan Before, TimeSpan After) OffsetsAround(DateTime local, TimeZoneInfo zone) =>
        (zone.GetUtcOffset(local.AddHours(-3)), zone.GetUtcOffset(local.AddHours(3)));

    /// <summary>How a message names the site's wall-clock time: <c>London time</c>, or <c>Europe/Paris time</c> on other clocks.</summary>
    public static string TimeName(TimeZoneInfo zone) => $"{(KeepsLondonClocks(zone) ? "London" : zone.Id)} time";

    /// <summary>Whether <paramref name="zone"/> shows London's clock on every day of a year, as 'GB' and 'Europe/London' do.</summary>
    public static bool KeepsLondonClocks(TimeZoneInfo zone)
    {
        var london = FindZone("Europe/London");
        if (zone.HasSameRules(london))
        {
            return true;
        }

        var day = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 365; i++, day = day.AddDays(1))
        {
            if (zone.GetUtcOffset(day) != london.GetUtcOffset(day))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What the site's clock reads at <paramref name="local"/>: BST or GMT on London's clocks, which
    /// editors know by those names, and the offset itself on any other, whose summer time is not BST.
    /// </summary>
    public static string ClockName(DateTimeOffset local, TimeZoneInfo zone) =>
        KeepsLondonClocks(zone)
            ? zone.IsDaylightSavingTime(local) ? "BST" : "GMT"
            : OffsetName(local);

    /// <summary>The offset of a wall-clock reading from UTC, as <c>UTC+01:00</c>.</summary>
    public static string OffsetName(DateTimeOffset local) => local.ToString("'UTC'zzz", CultureInfo.InvariantCulture);

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
