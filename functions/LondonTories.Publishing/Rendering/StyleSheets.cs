using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Stylesheet rules that hide the imprint by the class or id the layouts give it: the page check
/// reads inline styles, and a rule such as <c>.imprint { display: none }</c> in the site's CSS would
/// hide the imprint on every page while each page passed.
/// </summary>
internal static partial class StyleSheets
{
    /// <summary>Each rule that hides the imprint: where, as an offset into <paramref name="css"/>, its first selector for the imprint starts, and those selectors.</summary>
    public static IEnumerable<(int Offset, string Selector)> ImprintHidden(string css)
    {
        var text = WithoutComments(css);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ';' or '}':
                    start = i + 1;
                    break;
                case '{' when text.AsSpan(start, i - start).TrimStart().StartsWith("@", StringComparison.Ordinal):
                    // An at-rule's block (@media, @supports) holds rules of its own.
                    start = i + 1;
                    break;
                case '{':
                    var close = text.IndexOf('}', i + 1);
                    var end = close < 0 ? text.Length : close;
                    var prelude = text[start..i];
                    var selectors = prelude.Split(',');

                    // A selector is read with its escapes resolved, as a browser reads it: '.impr\69 nt' is '.imprint'.
                    var imprint = Array.FindIndex(selectors, s => ImprintSelector().IsMatch(InlineStyle.Decode(s)));
                    if (imprint >= 0 && InlineStyle.Hides(text[(i + 1)..end]))
                    {
                        var from = selectors.Take(imprint).Sum(s => s.Length + 1);
                        var first = from + (prelude.Length - from - prelude.AsSpan(from).TrimStart().Length);
                        yield return (start + first, string.Join(", ", selectors.Select(s => s.Trim()).Where(s => ImprintSelector().IsMatch(InlineStyle.Decode(s)))));
                    }

                    start = end + 1;
                    i = end;
                    break;
            }
        }
    }

    /// <summary>
    /// Each rule that hides what it selects on a screen, with where in <paramref name="css"/> its first
    /// selector starts and its selectors as written. A rule that names the imprint itself is left to
    /// <see cref="ImprintHidden"/>, which names it whatever page it reaches; rules for print, and the
    /// steps of an animation or a font's description, never hide a page as it is read on screen.
    /// </summary>
    public static IEnumerable<(int Offset, string Selectors)> HidingRules(string css)
    {
        var text = WithoutComments(css);
        // For each at-rule whose block is open, whether the rules inside it reach a screen.
        var onScreen = new Stack<bool>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ';':
                    start = i + 1;
                    break;
                case '}':
                    onScreen.TryPop(out _);
                    start = i + 1;
                    break;
                case '{' when text.AsSpan(start, i - start).TrimStart().StartsWith("@", StringComparison.Ordinal):
                    onScreen.Push(ReachesScreen(InlineStyle.Decode(text[start..i]).Trim()) && (onScreen.Count == 0 || onScreen.Peek()));
                    start = i + 1;
                    break;
                case '{':
                    var close = text.IndexOf('}', i + 1);
                    var end = close < 0 ? text.Length : close;
                    var prelude = text[start..i];
                    if ((onScreen.Count == 0 || onScreen.Peek()) && !prelude.Split(',').Any(s => ImprintSelector().IsMatch(InlineStyle.Decode(s)))
                        && InlineStyle.Hides(text[(i + 1)..end]))
                    {
                        yield return (start + (prelude.Length - prelude.TrimStart().Length), prelude.Trim());
                    }

                    start = end + 1;
                    i = end;
                    break;
            }
        }
    }

    /// <summary>Whether the rules inside an at-rule (its prelude decoded, e.g. <c>@media print</c>) can apply to a page on a screen.</summary>
    private static bool ReachesScreen(string prelude)
    {
        var name = prelude.Split([' ', '(', '\t', '\n', '\r', '\f'], 2)[0];
        if (name.EndsWith("keyframes", StringComparison.Ordinal) || name is "@font-face" or "@page" or "@counter-style" or "@property" or "@font-feature-values" or "@font-palette-values")
        {
            return false;
        }

        if (name != "@media")
        {
            return true;
        }

        // A list of queries applies where any of them does; a query negated with 'not' applies on some screen unless it negates every screen.
        return prelude["@media".Length..].Split(',').Any(query =>
        {
            var words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                return true;
            }

            if (words[0] == "not")
            {
                return !(words.Length == 2 && words[1] is "screen" or "all");
            }

            var type = words[0] == "only" && words.Length > 1 ? words[1] : words[0];
            return type is not ("print" or "speech");
        });
    }

    /// <summary>The CSS inside a layout's <c>style</c> elements, with where each begins in the layout.</summary>
    public static IEnumerable<(int Offset, string Css)> StyleElements(string html)
    {
        foreach (Match match in StyleElement().Matches(html))
        {
            yield return (match.Groups[1].Index, match.Groups[1].Value);
        }
    }

    /// <summary>The 1-based line of an offset into a text.</summary>
    public static int LineOf(string text, int offset) => text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n') + 1;

    // Comments become spaces, keeping their line breaks, so offsets and lines stay those of the file.
    private static string WithoutComments(string css) =>
        Comment().Replace(css, m => new string([.. m.Value.Select(c => c == '\n' ? '\n' : ' ')]));

    [GeneratedRegex(@"/\*.*?(\*/|$)", RegexOptions.Singleline)]
    private static partial Regex Comment();

    // By its class or id, or an attribute selector naming either.
    [GeneratedRegex(@"[.#]imprint(?![\w-])|\[\s*(?:class|id)\s*[~|^$*]?=\s*[""']?[^\]]*imprint", RegexOptions.IgnoreCase)]
    private static partial Regex ImprintSelector();

    [GeneratedRegex(@"<style\b[^>]*>(.*?)</style\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex StyleElement();
}
