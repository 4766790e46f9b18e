using System.Collections.Frozen;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>
/// A point inside each of London's 75 seats (2024 boundaries), keyed by ONS code: where a sponsored
/// post's ad is centred. Shipped with the library so every host can target ads without the data folder.
/// </summary>
public static class SeatCentres
{
    private static readonly Lazy<FrozenDictionary<string, (double Latitude, double Longitude)>> Points = new(Load);

    public static (double Latitude, double Longitude)? Find(string gssCode) => Points.Value.TryGetValue(gssCode, out var point) ? point : null;

    private static FrozenDictionary<string, (double, double)> Load()
    {
        using var stream = typeof(SeatCentres).Assembly.GetManifestResourceStream("london-constituency-centroids-2024.csv")
            ?? throw new InvalidOperationException("The seat centres are missing from the assembly.");
        using var reader = new StreamReader(stream);
        var points = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        reader.ReadLine();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = Csv.SplitLine(line);
            points[fields[0]] = (double.Parse(fields[2], CultureInfo.InvariantCulture), double.Parse(fields[3], CultureInfo.InvariantCulture));
        }

        return points.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
