using System.Globalization;
using System.Text;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Whether an element's <c>style</c> attribute keeps a reader from reading its text: removed from the
/// layout, transparent, too small or faint to read, moved or clipped out of view, or reordered. The
/// declarations are read as a browser reads them (comments, escapes and any whitespace between the
/// parts), so a hidden imprint cannot pass for a shown one by spelling.
/// </summary>
internal static class InlineStyle
{
    // Below these, text is not there to read: a legal imprint must be legible, not merely present.
    private const double SmallestFontPx = 6;
    private const double FaintestOpacity = 0.5;
    private const double FarOffPx = 100;

    // Viewport units are taken at a small phone's viewport, where they give the least.
    private const double ViewportWidthPx = 320;
    private const double ViewportHeightPx = 568;

    // More blur than this and text is a smudge.
    private const double MostBlurPx = 2;

    public static bool Hides(string style)
    {
        var declarations = Declarations(style);
        string? Value(string name) => declarations.LastOrDefault(d => d.Name == name).Value;

        var clipsOverflow = Value("overflow") is "hidden" or "clip" or "scroll" or "auto"
            || Value("overflow-x") is "hidden" or "clip" || Value("overflow-y") is "hidden" or "clip";
        foreach (var (name, value) in declarations)
        {
            var hides = name switch
            {
                "display" => value == "none",
                "visibility" or "content-visibility" => value is "hidden" or "collapse",
                "opacity" => Fraction(value) < FaintestOpacity,
                "zoom" => Fraction(value) is { } zoom && zoom < FaintestOpacity && zoom >= 0,
                "filter" => Arguments(value, "opacity").Any(a => Fraction(a) < FaintestOpacity) || Arguments(value, "blur").Any(a => Pixels(a) > MostBlurPx),
                "color" or "-webkit-text-fill-color" => IsTransparent(value),
                "font-size" => Pixels(value) < SmallestFontPx,
                "font" => Parts(value).Select(part => Pixels(part.Split('/')[0])).FirstOrDefault(px => px is not null) < SmallestFontPx,
                "clip-path" => value != "none",
                "clip" => value != "auto",
                "transform" => Arguments(value, "scale", "scalex", "scaley", "scale3d").Any(a => Math.Abs(Number(a) ?? 1) < FaintestOpacity)
                    || Arguments(value, "translate", "translatex", "translatey", "translate3d").Any(IsFarOff)
                    || Matrix(Arguments(value, "matrix").ToList(), 0, 1, 2, 3, 4, 5) || Matrix(Arguments(value, "matrix3d").ToList(), 0, 1, 4, 5, 12, 13),
                "scale" => Parts(value).Any(a => Math.Abs(Number(a) ?? 1) < FaintestOpacity),
                "translate" or "left" or "top" or "right" or "bottom" or "inset" or "margin" or "margin-left" or "margin-top" or "margin-right"
                    or "margin-bottom" or "text-indent" => Parts(value).Any(IsFarOff),
                "height" or "max-height" or "width" or "max-width" or "line-height" => clipsOverflow && Pixels(value) < SmallestFontPx,
                "unicode-bidi" => value.Contains("override", StringComparison.Ordinal),
                _ => false,
            };
            if (hides)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a 2D or 3D matrix shrinks text below legibility or moves it far off: its x and y axes
    /// are the columns (a, b) and (c, d), its move (e, f), at the positions given.
    /// </summary>
    private static bool Matrix(List<string> arguments, int a, int b, int c, int d, int e, int f)
    {
        if (arguments.Count <= f || arguments.Take(f + 1).Any(x => Number(x) is null))
        {
            return false;
        }

        double At(int i) => Number(arguments[i])!.Value;
        return Math.Sqrt((At(a) * At(a)) + (At(b) * At(b))) < FaintestOpacity || Math.Sqrt((At(c) * At(c)) + (At(d) * At(d))) < FaintestOpacity
            || IsFarOffPx(At(e)) || IsFarOffPx(At(f));
    }

    /// <summary>A value's space-separated parts, a function call with spaces inside (<c>calc(1px - 2em)</c>) kept whole.</summary>
    private static List<string> Parts(string value)
    {
        var parts = new List<string>();
        var (depth, start) = (0, 0);
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || (value[i] == ' ' && depth == 0))
            {
                if (i > start)
                {
                    parts.Add(value[start..i]);
                }

                start = i + 1;
            }
            else if (value[i] == '(')
            {
                depth++;
            }
            else if (value[i] == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
        }

        return parts;
    }

    /// <summary>The declarations in order, names and values lower-cased, comments and escapes resolved, <c>!important</c> dropped.</summary>
    private static List<(string Name, string Value)> Declarations(string style)
    {
        var declarations = new List<(string, string)>();
        foreach (var declaration in Decode(style).Split(';'))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = string.Join(' ', declaration[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                .Replace("!important", string.Empty, StringComparison.Ordinal).Replace(" (", "(", StringComparison.Ordinal)
                .Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal)
                .Replace(", ", ",", StringComparison.Ordinal).Trim();
            declarations.Add((declaration[..colon].Trim(), value));
        }

        return declarations;
    }

    /// <summary>The text with comments removed and CSS escapes (<c>\6f</c>, <c>\o</c>) resolved, lower-cased.</summary>
    internal static string Decode(string style)
    {
        var text = new StringBuilder(style.Length);
        for (var i = 0; i < style.Length; i++)
        {
            if (style[i] == '/' && i + 1 < style.Length && style[i + 1] == '*')
            {
                var end = style.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? style.Length : end + 1;
                text.Append(' ');
                continue;
            }

            if (style[i] == '\\' && i + 1 < style.Length)
            {
                var digits = 0;
                while (digits < 6 && i + 1 + digits < style.Length && char.IsAsciiHexDigit(style[i + 1 + digits]))
                {
                    digits++;
                }

                if (digits == 0)
                {
                    text.Append(style[++i]);
                    continue;
                }

                var code = int.Parse(style.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                text.Append(code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(code) : "\uFFFD");
                i += digits;
                if (i + 1 < style.Length && char.IsWhiteSpace(style[i + 1]))
                {
                    i++;
                }

                continue;
            }

            text.Append(style[i]);
        }

        return text.ToString().ToLowerInvariant();
    }

    /// <summary>The arguments of every call of the named functions in a value, e.g. <c>scale(0, 1)</c>.</summary>
    private static IEnumerable<string> Arguments(string value, params string[] functions)
    {
        foreach (var function in functions)
        {
            for (var at = value.IndexOf(function + "(", StringComparison.Ordinal); at >= 0; at = value.IndexOf(function + "(", at + 1, StringComparison.Ordinal))
            {
                if (at > 0 && (char.IsAsciiLetterOrDigit(value[at - 1]) || value[at - 1] == '-'))
                {
                    continue;
                }

                var open = at + function.Length + 1;
                var close = value.IndexOf(')', open);
                foreach (var argument in value[open..(close < 0 ? value.Length : close)].Split([',', ' ', '/'], StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return argument;
                }
            }
        }
    }

    private static bool IsTransparent(string value)
    {
        if (value == "transparent")
        {
            return true;
        }

        if (value.StartsWith('#') && value.Length is 5 or 9)
        {
            var alpha = value.Length == 5 ? value[4..] + value[4..] : value[7..];
            return int.TryParse(alpha, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var a) && a < 128;
        }

        var arguments = Arguments(value, "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color").ToList();
        return arguments.Count >= 4 && Fraction(arguments[^1]) < FaintestOpacity;
    }

    private static bool IsFarOff(string value) =>
        Pixels(value) is { } px ? IsFarOffPx(px) : Number(value.TrimEnd('%')) is <= -100 && value.EndsWith('%');

    private static bool IsFarOffPx(double px) => px <= -FarOffPx || px >= 50 * FarOffPx;

    /// <summary>A number or a percentage as a fraction of one.</summary>
    private static double? Fraction(string value) =>
        value.EndsWith('%') ? Number(value[..^1]) / 100 : Number(value);

    /// <summary>A length in CSS pixels, taking the usual 16px for em and rem; null for what is not a length it can tell.</summary>
    private static double? Pixels(string value)
    {
        if (value.EndsWith(')') && (value.StartsWith("calc(", StringComparison.Ordinal) || value.StartsWith("min(", StringComparison.Ordinal)
            || value.StartsWith("max(", StringComparison.Ordinal) || value.StartsWith("clamp(", StringComparison.Ordinal)))
        {
            return Calc.Evaluate(value);
        }

        var unitStart = value.Length;
        while (unitStart > 0 && (char.IsAsciiLetter(value[unitStart - 1]) || value[unitStart - 1] == '%'))
        {
            unitStart--;
        }

        if (Number(value[..unitStart]) is not { } number)
        {
            return null;
        }

        double? scale = value[unitStart..] switch
        {
            "" or "px" => number == 0 || value[unitStart..] == "px" ? 1 : null,
            "pt" => 4.0 / 3,
            "pc" => 16,
            "em" or "rem" => 16,
            "ex" or "ch" => 8,
            "%" => 0.16,
            "in" => 96,
            "cm" => 96 / 2.54,
            "mm" => 96 / 25.4,
            "q" => 96 / 101.6,
            "vw" or "vi" or "vmin" or "svw" or "lvw" or "dvw" or "svi" or "lvi" or "dvi" or "svmin" or "lvmin" or "dvmin" or "cqw" or "cqi" or "cqmin" => ViewportWidthPx / 100,
            "vh" or "vb" or "vmax" or "svh" or "lvh" or "dvh" or "svb" or "lvb" or "dvb" or "svmax" or "lvmax" or "dvmax" or "cqh" or "cqb" or "cqmax" => ViewportHeightPx / 100,
            _ => number == 0 ? 1 : null,
        };
        return number * scale;
    }

    /// <summary>
    /// <c>calc()</c>, <c>min()</c>, <c>max()</c> and <c>clamp()</c> over lengths, in CSS pixels as
    /// <see cref="Pixels"/> reads each length; null for what it cannot tell (a <c>var()</c>, an unknown unit).
    /// </summary>
    private ref struct Calc(string text)
    {
        private int _at;

        public static double? Evaluate(string value)
        {
            var calc = new Calc(value);
            try
            {
                return calc.Sum() is { } result && calc.Skip() == value.Length ? result : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private int Skip()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }

            return _at;
        }

        private double? Sum()
        {
            var total = Product();
            while (Skip() < text.Length && text[_at] is '+' or '-' && _at + 1 < text.Length && text[_at + 1] == ' ')
            {
                var sign = text[_at++] == '+' ? 1 : -1;
                total += sign * Product();
            }

            return total;
        }

        private double? Product()
        {
            var total = Factor();
            while (Skip() < text.Length && text[_at] is '*' or '/')
            {
                var op = text[_at++];
                var next = Factor();
                total = op == '*' ? total * next : next is 0 ? null : total / next;
            }

            return total;
        }

        private double? Factor()
        {
            Skip();
            foreach (var function in (ReadOnlySpan<string>)["calc(", "min(", "max(", "clamp(", "("])
            {
                if (!text.AsSpan(_at).StartsWith(function, StringComparison.Ordinal))
                {
                    continue;
                }

                _at += function.Length;
                var values = new List<double?> { Sum() };
                while (Skip() < text.Length && text[_at] == ',')
                {
                    _at++;
                    values.Add(Sum());
                }

                if (Skip() >= text.Length || text[_at++] != ')' || values.Any(v => v is null))
                {
                    throw new FormatException();
                }

                var known = values.Select(v => v!.Value).ToList();
                return function switch
                {
                    "min(" => known.Min(),
                    "max(" => known.Max(),
                    "clamp(" when known.Count == 3 => Math.Max(known[0], Math.Min(known[1], known[2])),
                    "calc(" or "(" when known.Count == 1 => known[0],
                    _ => throw new FormatException(),
                };
            }

            var start = _at;
            while (_at < text.Length && text[_at] is not (' ' or ',' or ')' or '*' or '/'))
            {
                _at++;
            }

            var leaf = text[start.._at];
            return leaf.Length == 0 ? throw new FormatException() : Number(leaf) ?? Pixels(leaf);
        }
    }

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
