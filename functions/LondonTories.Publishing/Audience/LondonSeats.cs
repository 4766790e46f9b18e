using System.Collections.Frozen;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Audience;

/// <summary>
/// London's 75 seats of the 2024 boundaries by their ONS codes, and the 33 boroughs they lie in, so
/// a seat's <c>gss_code</c> and boroughs are checked where they are written: the hub's map and the
/// targeting of sponsored posts find a seat by its code, and <c>borough:</c> selectors by its boroughs.
/// </summary>
public static class LondonSeats
{
    private static readonly Lazy<(FrozenDictionary<string, LondonSeat> ByCode, FrozenSet<string> Boroughs)> Reference = new(Load);

    /// <summary>London's 32 boroughs and the City of London, named as the ONS names them.</summary>
    public static FrozenSet<string> Boroughs => Reference.Value.Boroughs;

    /// <summary>The London seat of 2024 with <paramref name="gssCode"/>, or null when none has it.</summary>
    public static LondonSeat? Find(string gssCode) => Reference.Value.ByCode.GetValueOrDefault(gssCode);

    /// <summary>The code of the London seat named <paramref name="name"/>, however its commas and capitals are written, or null.</summary>
    public static string? CodeOf(string name)
    {
        var slug = Slug.From(name);
        return Reference.Value.ByCode.Values.FirstOrDefault(seat => Slug.From(seat.Name) == slug)?.Code;
    }

    /// <summary>
    /// The London borough <paramref name="written"/> stands for: the same name however its capitals and
    /// '&amp;' are written, else the nearest by spelling, or null.
    /// </summary>
    public static string? BoroughMeant(string written)
    {
        var slug = Slug.From(written.Replace("&", " and ", StringComparison.Ordinal));
        return Boroughs.FirstOrDefault(borough => Slug.From(borough) == slug) ?? DidYouMean.Suggest(written, Boroughs);
    }

    private static (FrozenDictionary<string, LondonSeat>, FrozenSet<string>) Load()
    {
        using var stream = typeof(LondonSeats).Assembly.GetManifestResourceStream("london-constituencies-2024.csv")
            ?? throw new InvalidOperationException("The 2024 seats resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var seats = new Dictionary<string, LondonSeat>(StringComparer.Ordinal);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = Csv.SplitLine(line);
            if (fields.Count >= 3)
            {
                var electorate = fields.Count >= 4 && int.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var registered)
                    ? registered
                    : (int?)null;
                seats[fields[1]] = new LondonSeat(fields[1], fields[0], fields[2].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), electorate);
            }
        }

        return (seats.ToFrozenDictionary(StringComparer.Ordinal), seats.Values.SelectMany(s => s.Boroughs).ToFrozenSet(StringComparer.Ordinal));
    }
}

/// <summary>
/// A London seat of 2024 as the reference gives it: its code, official name, the boroughs it lies in
/// (the largest share of its people first) and the electors on its register at the 2024 general election.
/// </summary>
public sealed record LondonSeat(string Code, string Name, IReadOnlyList<string> Boroughs, int? Electorate2024);
