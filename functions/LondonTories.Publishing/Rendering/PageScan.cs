using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace LondonTories.Publishing.Rendering;

/// <summary>What one pass over a page's markup found: its visible text, whitespace collapsed, and every id in document order.</summary>
internal sealed record ScannedPage(string Text, IReadOnlyList<string> Ids);

/// <summary>
/// Reads a page's visible text and ids in one pass over its markup, without building a document:
/// parsing every published page into a DOM cost more than rendering it. The pass reads only
/// markup whose tree it can be sure of: a head of head elements, then a body whose every end tag
/// closes the element opened last. Where the HTML parsing rules would build the tree differently
/// (foreign content, misnested tags, odd comments, character references it cannot resolve exactly)
/// it gives up and returns null, and the caller parses the page as a browser would.
/// Where the rules would nest less deeply than the markup suggests (a <c>p</c> closed by a
/// <c>div</c>, text fostered out of a table), the pass keeps the deeper nesting: it may then find
/// text hidden that a browser shows, never the other way round, so a page it passes shows its text.
/// </summary>
internal static class PageScan
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "param",
    };

    // Raw text up to their end tag; xmp's is text a reader sees, the others' is not.
    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal) { "script", "style", "xmp", "iframe", "noembed", "noframes" };

    private static readonly HashSet<string> EscapableRawText = new(StringComparer.Ordinal) { "title", "textarea" };

    // The head's own elements: anything else before the body opens the body where it stands.
    private static readonly HashSet<string> HeadElements = new(StringComparer.Ordinal) { "meta", "link", "title", "style", "script", "base" };

    // Markup whose tree the parsing rules build in ways a stack of tags does not follow.
    private static readonly HashSet<string> GiveUp = new(StringComparer.Ordinal)
    {
        "svg", "math", "template", "noscript", "plaintext", "select", "frameset", "html", "head", "body", "image", "isindex",
    };

    [Flags]
    private enum Kind
    {
        None = 0,
        Void = 1,
        RawText = 2,
        EscapableRawText = 4,
        Head = 8,
        GiveUp = 16,
        Invisible = 32,
    }

    /// <summary>An element name as the tokenizer lowercases it, with what the sets above say of it, looked up once per tag.</summary>
    private readonly record struct Element(string Name, Kind Kind)
    {
        public bool Is(Kind kind) => (Kind & kind) != 0;
    }

    private static Element Describe(string name) => new(name,
        (Void.Contains(name) ? Kind.Void : 0) | (RawText.Contains(name) ? Kind.RawText : 0) | (EscapableRawText.Contains(name) ? Kind.EscapableRawText : 0)
        | (HeadElements.Contains(name) ? Kind.Head : 0) | (GiveUp.Contains(name) ? Kind.GiveUp : 0) | (VisibleText.IsInvisible(name) ? Kind.Invisible : 0));

    // Names as written in lower case, the usual spelling; any other spelling is lowered first.
    private static readonly Dictionary<string, Element>.AlternateLookup<ReadOnlySpan<char>> Elements = ((string[])["a", "abbr", "address", "article", "aside", "b",
            "blockquote", "body", "br", "button", "caption", "cite", "code", "dd", "details", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "form",
            "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "img", "li", "link", "main", "meta", "nav", "ol", "p", "pre", "q", "s",
            "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "title", "tr", "u", "ul"])
        .Concat(Void).Concat(RawText).Concat(EscapableRawText).Concat(HeadElements).Concat(GiveUp).Concat(VisibleText.InvisibleElements)
        .Distinct(StringComparer.Ordinal)
        .ToDictionary(n => n, Describe, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private enum Part
    {
        BeforeBody,
        Body,
        AfterBody,
    }

    private readonly record struct Open(string Name, bool Hidden, bool ClosedDetails);

    [ThreadStatic]
    private static TextBuffer? _text;

    // The elements open at a point of the scan: kept per thread, like the text, as every page needs one.
    [ThreadStatic]
    private static List<Open>? _open;

    public static ScannedPage? Read(string html)
    {
        var text = _text ??= new TextBuffer();
        var ids = new List<string>();
        return Scan(html, text, ids) ? new ScannedPage(text.Span.ToString(), ids) : null;
    }

    /// <summary>
    /// Whether the page, read in one pass, shows <paramref name="normalisedText"/>, and the ids more
    /// than one element carries; null where the pass gives up or does not find the text.
    /// </summary>
    public static PageCheck? Check(string html, string normalisedText)
    {
        var text = _text ??= new TextBuffer();
        var ids = new List<string>();
        return Scan(html, text, ids) && text.Span.Contains(normalisedText, StringComparison.Ordinal) ? new PageCheck(true, Duplicates(ids)) : null;
    }

    // Compiled optimised at once, not tiered up: a publish runs it over every page in a process that
    // lives a few seconds, and most of them ran through its first, unoptimised code (or the
    // precompiled code, which inlines less); 4% of a first publish.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Scan(string html, TextBuffer text, List<string> ids)
    {
        text.Clear();
        var stack = _open ??= new List<Open>(32);
        stack.Clear();
        var attributes = new Attributes();
        var part = Part.BeforeBody;
        var space = false;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            var end = lt < 0 ? html.Length : lt;
            if (end > i)
            {
                var run = html.AsSpan(i, end - i);
                if (part == Part.BeforeBody && !run.IsWhiteSpace())
                {
                    return false;
                }

                if (part == Part.AfterBody && !run.IsWhiteSpace())
                {
                    return false;
                }

                if (part == Part.Body && !Hidden(stack) && !AppendDecoded(run, text, ref space))
                {
                    return false;
                }
            }

            if (lt < 0)
            {
                break;
            }

            i = lt;
            if (Starts(html, i, "<!--"))
            {
                var close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                var body = close < 0 ? default : html.AsSpan(i + 4, close - i - 4);
                if (close < 0 || body.StartsWith(">") || body.StartsWith("->") || body.Contains("--!", StringComparison.Ordinal) || body.EndsWith("-"))
                {
                    return false;
                }

                i = close + 3;
                continue;
            }

            if (i + 1 >= html.Length)
            {
                return false;
            }

            var next = html[i + 1];
            if (next == '!')
            {
                var doctypeEnd = html.IndexOf('>', i);
                if (part != Part.BeforeBody || !StartsIgnoringCase(html, i, "<!doctype") || doctypeEnd < 0)
                {
                    return false;
                }

                i = doctypeEnd + 1;
                continue;
            }

            if (next == '/')
            {
                if (i + 2 >= html.Length || !char.IsAsciiLetter(html[i + 2]))
                {
                    return false;
                }

                var nameEnd = NameEnd(html, i + 2);
                var name = ElementOf(html.AsSpan(i + 2, nameEnd - i - 2)).Name;
                var tagEnd = ReadAttributes(html, nameEnd, attributes, out _);
                if (tagEnd < 0 || attributes.Count > 0)
                {
                    return false;
                }

                i = tagEnd;
                switch (part)
                {
                    case Part.BeforeBody when name == "head":
                        continue;
                    case Part.Body when name == "body" && stack.Count == 0:
                        part = Part.AfterBody;
                        continue;
                    case Part.Body when stack.Count > 0 && stack[^1].Name == name:
                        if (!stack[^1].Hidden)
                        {
                            space = text.Length > 0;
                        }

                        stack.RemoveAt(stack.Count - 1);
                        continue;
                    case Part.AfterBody when name == "html":
                        continue;
                    default:
                        return false;
                }
            }

            if (!char.IsAsciiLetter(next))
            {
                return false;
            }

            {
                var nameEnd = NameEnd(html, i + 1);
                var element = ElementOf(html.AsSpan(i + 1, nameEnd - i - 1));
                var name = element.Name;
                var tagEnd = ReadAttributes(html, nameEnd, attributes, out _);
                if (tagEnd < 0 || name.Contains('\0', StringComparison.Ordinal))
                {
                    return false;
                }

                i = tagEnd;
                if (part == Part.BeforeBody && name is "html" or "head")
                {
                    Ids(attributes, ids);
                    continue;
                }

                if (part == Part.BeforeBody && name == "body")
                {
                    Ids(attributes, ids);
                    part = Part.Body;
                    continue;
                }

                if (part == Part.AfterBody || element.Is(Kind.GiveUp) || (part == Part.BeforeBody && !element.Is(Kind.Head))
                    || (name == "form" && stack.Exists(e => e.Name == "form")))
                {
                    return false;
                }

                Ids(attributes, ids);
                var hidden = part != Part.Body || Hidden(stack) || !IsShown(element, attributes, stack.Count > 0 ? stack[^1] : default);
                if (!hidden)
                {
                    space = text.Length > 0;
                }

                if (element.Is(Kind.RawText | Kind.EscapableRawText))
                {
                    var close = FindEndTag(html, i, name);
                    if (close < 0)
                    {
                        return false;
                    }

                    var content = html.AsSpan(i, close - i);
                    if (name == "script" && content.Contains("<!--", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    if (!hidden)
                    {
                        if (element.Is(Kind.EscapableRawText) ? !AppendDecoded(content, text, ref space) : !Append(content, text, ref space))
                        {
                            return false;
                        }

                        space = text.Length > 0;
                    }
                    else if (element.Is(Kind.EscapableRawText) && content.Contains('&') && Decode(content) is null)
                    {
                        return false;
                    }

                    i = ReadAttributes(html, NameEnd(html, close + 2), attributes, out _);
                    if (i < 0 || attributes.Count > 0)
                    {
                        return false;
                    }

                    continue;
                }

                if (element.Is(Kind.Void))
                {
                    if (!hidden)
                    {
                        space = text.Length > 0;
                    }

                    continue;
                }

                if (part == Part.Body)
                {
                    stack.Add(new Open(name, hidden, name == "details" && !attributes.Open));
                }
            }
        }

        return part == Part.AfterBody && stack.Count == 0;
    }

    /// <summary>The ids more than one element carries, in the order of their first appearance.</summary>
    public static IReadOnlyList<string> Duplicates(IReadOnlyList<string> ids)
    {
        if (ids.Count < 2)
        {
            return [];
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        if (counts.Count == ids.Count)
        {
            return [];
        }

        var repeated = new List<string>();
        foreach (var id in ids)
        {
            if (counts.TryGetValue(id, out var count) && count > 1 && counts.Remove(id))
            {
                repeated.Add(id);
            }
        }

        return repeated;
    }

    private static bool Hidden(List<Open> stack) => stack.Count > 0 && stack[^1].Hidden;

    private static bool IsShown(Element element, Attributes attributes, Open parent) =>
        VisibleText.Shows(element.Name, element.Is(Kind.Invisible), attributes.Hidden, attributes.AriaHidden, attributes.Type, attributes.Style, parent.ClosedDetails);

    private static void Ids(Attributes attributes, List<string> ids)
    {
        if (attributes.Id is { } id)
        {
            ids.Add(id);
        }
    }

    private static Element ElementOf(ReadOnlySpan<char> name)
    {
        if (Elements.TryGetValue(name, out var known))
        {
            return known;
        }

        // The tokenizer lowers ASCII letters only.
        Span<char> lower = name.Length <= 64 ? stackalloc char[name.Length] : new char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            lower[i] = char.IsAsciiLetterUpper(name[i]) ? (char)(name[i] + 32) : name[i];
        }

        return Elements.TryGetValue(lower, out known) ? known : Describe(lower.ToString());
    }

    private static bool Starts(string html, int at, string prefix) => string.CompareOrdinal(html, at, prefix, 0, prefix.Length) == 0;

    private static bool StartsIgnoringCase(string html, int at, string prefix) =>
        html.Length - at >= prefix.Length && html.AsSpan(at, prefix.Length).Equals(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    private static int NameEnd(string html, int at)
    {
        while (at < html.Length && !IsSpace(html[at]) && html[at] is not '/' and not '>')
        {
            at++;
        }

        return at;
    }

    /// <summary>
    /// Reads attributes up to the tag's end as the tokenizer does (the first of a repeated name
    /// counts); returns the index after '&gt;', or -1 where the tag never ends or a value cannot be read exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadAttributes(string html, int at, Attributes attributes, out bool selfClosing)
    {
        attributes.Clear();
        selfClosing = false;
        while (true)
        {
            while (at < html.Length && IsSpace(html[at]))
            {
                at++;
            }

            if (at >= html.Length)
            {
                return -1;
            }

            if (html[at] == '>')
            {
                return at + 1;
            }

            if (html[at] == '/')
            {
                at++;
                if (at < html.Length && html[at] == '>')
                {
                    selfClosing = true;
                    return at + 1;
                }

                continue;
            }

            var nameStart = at;
            at++;
            while (at < html.Length && !IsSpace(html[at]) && html[at] is not '/' and not '>' and not '=')
            {
                at++;
            }

            var name = Attributes.Known(html.AsSpan(nameStart, at - nameStart));
            while (at < html.Length && IsSpace(html[at]))
            {
                at++;
            }

            var value = string.Empty;
            if (at < html.Length && html[at] == '=')
            {
                at++;
                while (at < html.Length && IsSpace(html[at]))
                {
                    at++;
                }

                if (at >= html.Length)
                {
                    return -1;
                }

                ReadOnlySpan<char> raw;
                if (html[at] is '"' or '\'')
                {
                    var quote = html[at];
                    var close = html.IndexOf(quote, at + 1);
                    if (close < 0)
                    {
                        return -1;
                    }

                    raw = html.AsSpan(at + 1, close - at - 1);
                    at = close + 1;
                }
                else
                {
                    var start = at;
                    while (at < html.Length && !IsSpace(html[at]) && html[at] != '>')
                    {
                        at++;
                    }

                    raw = html.AsSpan(start, at - start);
                }

                if (name is null or "hidden" or "popover" or "open")
                {
                    value = string.Empty;
                }
                else if (Decode(raw) is { } decoded)
                {
                    value = decoded;
                }
                else
                {
                    return -1;
                }
            }

            attributes.Add(name, value);
        }
    }

    /// <summary>What a tag's attributes tell the checks: the first of each name counts, as in the tokenizer.</summary>
    private sealed class Attributes
    {
        private static readonly string[] Names = ["id", "style", "aria-hidden", "type", "hidden", "open", "popover"];

        private int _seen;

        public int Count { get; private set; }

        public string? Id { get; private set; }

        public string? Style { get; private set; }

        public string? AriaHidden { get; private set; }

        public string? Type { get; private set; }

        public bool Hidden { get; private set; }

        public bool Open { get; private set; }

        /// <summary>The name if the checks read it, else null; of those, only <c>hidden</c>, <c>popover</c> (shown only when a script or button opens it) and <c>open</c> are read for their presence alone.</summary>
        public static string? Known(ReadOnlySpan<char> name)
        {
            foreach (var known in Names)
            {
                if (name.Equals(known, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }

            return null;
        }

        public void Clear()
        {
            (_seen, Count, Id, Style, AriaHidden, Type, Hidden, Open) = (0, 0, null, null, null, null, false, false);
        }

        public void Add(string? name, string value)
        {
            Count++;
            var bit = name is null ? 0 : 1 << Array.IndexOf(Names, name);
            if (bit == 0 || (_seen & bit) != 0)
            {
                return;
            }

            _seen |= bit;
            switch (name)
            {
                case "id":
                    Id = value;
                    break;
                case "style":
                    Style = value;
                    break;
                case "aria-hidden":
                    AriaHidden = value;
                    break;
                case "type":
                    Type = value;
                    break;
                case "hidden" or "popover":
                    Hidden = true;
                    break;
                case "open":
                    Open = true;
                    break;
            }
        }
    }

    private static int FindEndTag(string html, int from, string name)
    {
        var at = from;
        while ((at = html.IndexOf("</", at, StringComparison.Ordinal)) >= 0)
        {
            var after = at + 2 + name.Length;
            if (after < html.Length && html.AsSpan(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase) && (IsSpace(html[after]) || html[after] is '/' or '>'))
            {
                return at;
            }

            at += 2;
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Append(ReadOnlySpan<char> run, TextBuffer text, ref bool space)
    {
        if (run.Contains('\0'))
        {
            return false;
        }

        var i = 0;
        while (i < run.Length)
        {
            if (char.IsWhiteSpace(run[i]))
            {
                space = text.Length > 0;
                i++;
                continue;
            }

            var start = i;
            while (i < run.Length && !char.IsWhiteSpace(run[i]))
            {
                i++;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(run[start..i]);
        }

        return true;
    }

    /// <summary>The visible text read so far, in one array kept by the thread and reused from page to page.</summary>
    private sealed class TextBuffer
    {
        private char[] _chars = new char[16 * 1024];

        public int Length { get; private set; }

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Append(char c)
        {
            if (Length == _chars.Length)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
            }

            _chars[Length++] = c;
        }

        public void Append(ReadOnlySpan<char> chars)
        {
            if (Length + chars.Length > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + chars.Length));
            }

            chars.CopyTo(_chars.AsSpan(Length));
            Length += chars.Length;
        }
    }

    private static bool AppendDecoded(ReadOnlySpan<char> run, TextBuffer text, ref bool space) =>
        run.Contains('&') ? Decode(run) is { } decoded && Append(decoded, text, ref space) : Append(run, text, ref space);

    /// <summary>
    /// Character references resolved as the parser resolves them, or null where this reading could
    /// differ: a reference without its semicolon, one the table does not know, or one whose number the
    /// parser maps to another character.
    /// </summary>
    private static string? Decode(ReadOnlySpan<char> run)
    {
        if (!run.Contains('&'))
        {
            return run.ToString();
        }

        var builder = new StringBuilder(run.Length);
        var i = 0;
        while (i < run.Length)
        {
            var amp = run[i..].IndexOf('&');
            if (amp < 0)
            {
                builder.Append(run[i..]);
                break;
            }

            builder.Append(run.Slice(i, amp));
            i += amp;
            var rest = run[(i + 1)..];
            if (rest.IsEmpty || !(char.IsAsciiLetterOrDigit(rest[0]) || rest[0] == '#'))
            {
                builder.Append('&');
                i++;
                continue;
            }

            var semicolon = rest.IndexOf(';');
            if (semicolon <= 0 || semicolon > 32)
            {
                return null;
            }

            var reference = run.Slice(i, semicolon + 2).ToString();
            var decoded = WebUtility.HtmlDecode(reference);
            if (decoded == reference || decoded.Length == 0 || decoded.Any(c => c == '\0' || c == '\uFFFD' || c is >= '\u0080' and <= '\u009F' || char.IsSurrogate(c) && decoded.Length == 1))
            {
                return null;
            }

            builder.Append(decoded);
            i += semicolon + 2;
        }

        return builder.ToString();
    }
}
