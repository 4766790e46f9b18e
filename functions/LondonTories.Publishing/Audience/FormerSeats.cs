using System.Collections.Frozen;

namespace LondonTories.Publishing.Audience;

/// <summary>
/// London's seats under the 2010 boundaries and the 2024 seat that took most of each, so that an
/// editor who writes an old name such as <c>croydon-central</c> is pointed at its successor.
/// </summary>
public static class FormerSeats
{
    private static readonly Lazy<(FrozenDictionary<string, FormerSeat> BySlug, FrozenDictionary<string, FormerSeat> ByCode)> Seats = new(Load);

    /// <summary>
    /// The successor's slug and a sentence explaining it, when <paramref name="written"/> is a 2010 seat,
    /// by its slug or by its name as editors still write it ("Ealing, Southall").
    /// </summary>
    public static (string SuccessorSlug, string Explanation)? Successor(string written)
    {
        if (!Seats.Value.BySlug.TryGetValue(written, out var seat) && !Seats.Value.BySlug.TryGetValue(Slug.From(written), out seat))
        {
            return null;
        }

        var successorSlug = Slug.From(seat.SuccessorName);
        return (successorSlug,
            $"'{written}' is {seat.Name}, a seat of the 2010 boundaries; since 2024 most of it ({seat.SharePercent}%) is in {seat.SuccessorName}: use '{successorSlug}'.");
    }

    /// <summary>The 2010 seat whose ONS code is <paramref name="gssCode"/>, and the 2024 seat that took most of it, or null.</summary>
    public static FormerSeat? ByCode(string gssCode) => Seats.Value.ByCode.GetValueOrDefault(gssCode);

    private static (FrozenDictionary<string, FormerSeat>, FrozenDictionary<string, FormerSeat>) Load()
    {
        using var stream = typeof(FormerSeats).Assembly.GetManifestResourceStream("london-constituencies-2010.csv")
            ?? throw new InvalidOperationException("The 2010 seats resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var seats = new Dictionary<string, FormerSeat>(StringComparer.Ordinal);
        var codes = new Dictionary<string, FormerSeat>(StringComparer.Ordinal);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = Csv.SplitLine(line);
            if (fields.Count >= 5)
            {
                seats[Slug.From(fields[0])] = codes[fields[1]] = new FormerSeat(fields[0], fields[3], int.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return (seats.ToFrozenDictionary(StringComparer.Ordinal), codes.ToFrozenDictionary(StringComparer.Ordinal));
    }
}

/// <summary>A London seat of the 2010 boundaries and the 2024 seat that took the largest share of its people.</summary>
public sealed record FormerSeat(string Name, string SuccessorName, int SharePercent);
