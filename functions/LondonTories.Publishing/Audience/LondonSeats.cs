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
    private static readonly Lazy<(FrozenDictionary<string, string> NamesByCode, FrozenSet<string> Boroughs, FrozenDictionary<string, int> Electorates, FrozenDictionary<string, string[]> BoroughsByCode)> Reference = new(Load);

    private static FrozenDictionary<string, string> NamesByCode => Reference.Value.NamesByCode;

    /// <summary>London's 32 boroughs and the City of London, named as the ONS names them.</summary>
    public static FrozenSet<string> Boroughs => Reference.Value.Boroughs;

    /// <summary>The official name of the seat with <paramref name="gssCode"/>, or null when no London seat of 2024 has it.</summary>
    public static string? NameOf(string gssCode) => NamesByCode.GetValueOrDefault(gssCode);

    /// <summary>The electors on the register of the seat with <paramref name="gssCode"/> at the 2024 general election, or null.</summary>
    public static int? Electorate2024Of(string gssCode) => Reference.Value.Electorates.TryGetValue(gssCode, out var electorate) ? electorate : null;

    /// <summary>The boroughs the seat with <paramref name="gssCode"/> lies in, the largest share of its people first; empty when no London seat has the code.</summary>
    public static IReadOnlyList<string> BoroughsOf(string gssCode) => Reference.Value.BoroughsByCode.TryGetValue(gssCode, out var boroughs) ? boroughs : [];

    /// <summary>The code of the London seat named <paramref name="name"/>, however its commas and capitals are written, or null.</summary>
    public static string? CodeOf(string name)
    {
        var slug = Slug.From(name);
        return NamesByCode.FirstOrDefault(seat => Slug.From(seat.Value) == slug).Key;
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

    private static (FrozenDictionary<string, string>, FrozenSet<string>, FrozenDictionary<string, int>, FrozenDictionary<string, string[]>) Load()
    {
        using var stream = typeof(LondonSeats).Assembly.GetManifestResourceStream("london-constituencies-2024.csv")
            ?? throw new InvalidOperationException("The 2024 seats resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var seats = new Dictionary<string, string>(StringComparer.Ordinal);
        var boroughs = new HashSet<string>(StringComparer.Ordinal);
        var electorates = new Dictionary<string, int>(StringComparer.Ordinal);
        var boroughsByCode = new Dictionary<string, string[]>(StringComparer.Ordinal);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = Csv.SplitLine(line);
            if (fields.Count >= 3)
            {
                seats[fields[1]] = fields[0];
                boroughsByCode[fields[1]] = fields[2].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                boroughs.UnionWith(boroughsByCode[fields[1]]);
                if (fields.Count >= 4 && int.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var electorate))
                {
                    electorates[fields[1]] = electorate;
                }
            }
        }

        return (seats.ToFrozenDictionary(StringComparer.Ordinal), boroughs.ToFrozenSet(StringComparer.Ordinal), electorates.ToFrozenDictionary(StringComparer.Ordinal), boroughsByCode.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
