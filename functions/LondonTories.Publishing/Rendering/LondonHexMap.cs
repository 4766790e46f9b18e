using System.Collections.Frozen;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Rendering;

/// <summary>A seat's cell in the hex cartogram: HexJSON "odd-r" offset coordinates, pointy-topped, r growing northwards.</summary>
public readonly record struct HexCell(int Q, int R)
{
    /// <summary>Odd rows (negative ones too) sit half a hex to the right.</summary>
    public bool IsShifted => R % 2 != 0;
}

/// <summary>One seat's hexagon placed on the drawing: its centre and its six corners, in drawing units.</summary>
public sealed record HexTile(string GssCode, HexCell Cell, double X, double Y, string Points);

/// <summary>The hexagons of the seats that have a cell, and the size of the drawing that holds them.</summary>
public sealed record HexMapDrawing(IReadOnlyDictionary<string, HexTile> Tiles, double Width, double Height)
{
    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width:0.##} {Height:0.##}");
}

/// <summary>
/// London's 75 seats (2024 boundaries) as a hex cartogram, one equal hexagon a seat, from Open
/// Innovations' UK constituency hex map. Shipped with the library, keyed by ONS code, so every host
/// can draw it without the data folder.
/// </summary>
public static class LondonHexMap
{
    private static readonly Lazy<FrozenDictionary<string, HexCell>> Cells = new(Load);

    public static IReadOnlyDictionary<string, HexCell> All => Cells.Value;

    public static HexCell? Find(string gssCode) => Cells.Value.TryGetValue(gssCode, out var cell) ? cell : null;

    /// <summary>
    /// Places the hexagons of the given seats (those without a cell are left out) with circumradius
    /// <paramref name="radius"/>, moved so the drawing starts at 0,0 with a margin of <paramref name="margin"/>.
    /// </summary>
    public static HexMapDrawing Draw(IEnumerable<string> gssCodes, double radius = 10, double margin = 2)
    {
        var halfWidth = Math.Sqrt(3) * radius / 2;
        var centres = new List<(string Code, HexCell Cell, double X, double Y)>();
        foreach (var code in gssCodes.Distinct(StringComparer.Ordinal))
        {
            if (Find(code) is { } cell)
            {
                // The layout's own maths: x = √3·s·(q + ½ on odd rows), y = −1.5·s·r (r grows northwards).
                centres.Add((code, cell, 2 * halfWidth * (cell.Q + (cell.IsShifted ? 0.5 : 0)), -1.5 * radius * cell.R));
            }
        }

        if (centres.Count == 0)
        {
            return new HexMapDrawing(FrozenDictionary<string, HexTile>.Empty, 0, 0);
        }

        var left = centres.Min(c => c.X) - halfWidth - margin;
        var top = centres.Min(c => c.Y) - radius - margin;
        var width = centres.Max(c => c.X) + halfWidth + margin - left;
        var height = centres.Max(c => c.Y) + radius + margin - top;
        var tiles = centres.ToFrozenDictionary(c => c.Code, c =>
        {
            var x = c.X - left;
            var y = c.Y - top;
            return new HexTile(c.Code, c.Cell, Math.Round(x, 2), Math.Round(y, 2), Corners(x, y, radius, halfWidth));
        }, StringComparer.Ordinal);
        return new HexMapDrawing(tiles, Math.Round(width, 2), Math.Round(height, 2));
    }

    private static string Corners(double x, double y, double radius, double halfWidth)
    {
        (double X, double Y)[] corners =
        [
            (x, y - radius), (x + halfWidth, y - radius / 2), (x + halfWidth, y + radius / 2),
            (x, y + radius), (x - halfWidth, y + radius / 2), (x - halfWidth, y - radius / 2),
        ];
        return string.Join(' ', corners.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X:0.##},{c.Y:0.##}")));
    }

    private static FrozenDictionary<string, HexCell> Load()
    {
        using var stream = typeof(LondonHexMap).Assembly.GetManifestResourceStream("london-hexmap-2024.csv")
            ?? throw new InvalidOperationException("The London hex map resource is missing from the build.");
        using var reader = new StreamReader(stream);
        var header = Csv.SplitLine(reader.ReadLine() ?? string.Empty);
        var code = IndexOf(header, "gss_code");
        var q = IndexOf(header, "q");
        var r = IndexOf(header, "r");
        var cells = new Dictionary<string, HexCell>(StringComparer.Ordinal);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = Csv.SplitLine(line);
            cells[fields[code]] = new HexCell(int.Parse(fields[q], CultureInfo.InvariantCulture), int.Parse(fields[r], CultureInfo.InvariantCulture));
        }

        return cells.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The London hex map resource has no '{column}' column.");
    }
}
