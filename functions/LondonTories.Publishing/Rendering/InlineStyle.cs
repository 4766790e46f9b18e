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
                "filter" => Arguments(value, "opacity").Any(a => Fraction(a) < FaintestOpacity),
                "color" or "-webkit-text-fill-color" => IsTransparent(value),
                "font-size" => Pixels(value) < SmallestFontPx,
                "font" => value.Split(' ').Select(part => Pixels(part.Split('/')[0])).FirstOrDefault(px => px is not null) < SmallestFontPx,
                "clip-path" => value != "none",
                "clip" => value != "auto",
                "transform" => Arguments(value, "scale", "scalex", "scaley", "scale3d").Any(a => Math.Abs(Number(a) ?? 1) < FaintestOpacity)
                    || Arguments(value, "translate", "translatex", "translatey", "translate3d").Any(a => IsFarOff(a)),
                "scale" => value.Split(' ').Any(a => Math.Abs(Number(a) ?? 1) < FaintestOpacity),
                "translate" or "left" or "top" or "right" or "bottom" or "inset" or "margin" or "margin-left" or "margin-top" or "margin-right"
                    or "margin-bottom" or "text-indent" => value.Split(' ').Any(IsFarOff),
                "height" or "max-height" or "width" or "max-width" or "line-height" => clipsOverflow && Pixels(value) == 0,
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
    private static string Decode(string style)
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
        Pixels(value) is { } px ? px <= -FarOffPx || px >= 50 * FarOffPx : Number(value.TrimEnd('%')) is <= -100 && value.EndsWith('%');

    /// <summary>A number or a percentage as a fraction of one.</summary>
    private static double? Fraction(string value) =>
        value.EndsWith('%') ? Number(value[..^1]) / 100 : Number(value);

    /// <summary>A length in CSS pixels, taking the usual 16px for em and rem; null for what is not a length it can tell.</summary>
    private static double? Pixels(string value)
    {
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
            _ => number == 0 ? 1 : null,
        };
        return number * scale;
    }

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
