using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Rendering;

/// <summary>One selector of a stylesheet rule that hides what it selects, read once for every page it is tried on.</summary>
/// <param name="Source">The selector as written, for messages.</param>
/// <param name="Selector">The selector as a browser reads it.</param>
/// <param name="Subject">What the element it hides must carry (its name, classes and ids), by which a page is passed over without parsing it.</param>
/// <param name="At">Where the rule starts.</param>
/// <param name="OnlyWith">The CSS of the layout's style element the rule comes from, found verbatim in every page that layout makes; null for a stylesheet every page may load.</param>
internal sealed record HidingSelector(string Source, ISelector Selector, SubjectCompound? Subject, SourceLocation At, string? OnlyWith);

/// <summary>What the last compound of a selector asks of the element it selects: null parts ask nothing.</summary>
internal sealed record SubjectCompound(string? Name, string[] Classes, string[] Ids, string[] Attributes);

/// <summary>
/// Rules of the site's stylesheets and of its layouts' style elements that hide what they select
/// (removed, faded, shrunk, clipped, moved out of view or reordered), tried on each rendered page
/// against the imprint and every element around it: <c>footer { display: none }</c> hides the imprint
/// as surely as a rule naming it. Most sites have no such rule that could reach the imprint, and their
/// pages are not parsed for it.
/// </summary>
internal sealed partial class ImprintStyles
{
    private static readonly ConditionalWeakTable<SiteContent, ImprintStyles> ByContent = new();

    // A stylesheet read once per text, not per run: a preview reloads the content on every edit, most of its sheets unchanged.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<ParsedRule>> Sheets = new(StringComparer.Ordinal);
    private const int MostSheets = 256;

    private static readonly CssSelectorParser Parser = new();

    private ImprintStyles(IReadOnlyList<HidingSelector> selectors, IReadOnlyList<(SourceLocation At, string Selector)> unread, string digest)
    {
        Selectors = selectors;
        Unread = unread;
        Digest = digest;
    }

    /// <summary>Every hiding selector a page may meet.</summary>
    public IReadOnlyList<HidingSelector> Selectors { get; }

    /// <summary>Hiding selectors the check cannot read, so cannot try on a page.</summary>
    public IReadOnlyList<(SourceLocation At, string Selector)> Unread { get; }

    /// <summary>
    /// A digest of the hiding rules of the stylesheets under static/, empty where there are none: a
    /// page whose markup is unchanged is checked again when they change. The layouts' own style
    /// elements are part of the layouts, which re-render every page when they change.
    /// </summary>
    public string Digest { get; }

    public static ImprintStyles For(SiteContent content) => ByContent.GetValue(content, Read);

    private static ImprintStyles Read(SiteContent content)
    {
        var displayRoot = content.DisplayRoot;
        var selectors = new List<HidingSelector>();
        var unread = new List<(SourceLocation, string)>();
        var digest = new StringBuilder();
        foreach (var file in content.StaticFiles.Where(f => f.Path.EndsWith(".css", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var css = Encoding.UTF8.GetString(file.Bytes);
            foreach (var rule in RulesOf(css))
            {
                var at = new SourceLocation(displayRoot + file.Path, StyleSheets.LineOf(css, rule.Offset), 1);
                Take(rule, at, null);
                digest.Append(file.Path).Append('\0').Append(rule.Source).Append('\n');
            }
        }

        foreach (var layout in content.Layouts.Names.Order(StringComparer.Ordinal).Select(n => content.Layouts[n])
                     .Where(l => !l.Origin.Path.StartsWith(LayoutSet.BuiltInPrefix, StringComparison.Ordinal)))
        {
            foreach (var (offset, css) in StyleSheets.StyleElements(layout.Source))
            {
                // A style element the template fills in is not found verbatim in the page: it is tried on every page.
                var onlyWith = TextTemplate.ExpressionOpening(css) is null ? css : null;
                foreach (var rule in RulesOf(css))
                {
                    Take(rule, new SourceLocation(layout.Origin.Path, layout.Origin.Line + StyleSheets.LineOf(layout.Source, offset + rule.Offset) - 1, 1), onlyWith);
                }
            }
        }

        return new ImprintStyles(selectors, unread, digest.Length == 0 ? string.Empty : Hashing.Sha256Hex(digest.ToString()));

        void Take(ParsedRule rule, SourceLocation at, string? onlyWith)
        {
            foreach (var (source, selector, subject) in rule.Selectors)
            {
                if (selector is null)
                {
                    unread.Add((at, source));
                }
                else
                {
                    selectors.Add(new HidingSelector(source, selector, subject, at, onlyWith));
                }
            }
        }
    }

    /// <summary>A hiding rule of one stylesheet: where it starts, as written, and each of its selectors read (null where it cannot be).</summary>
    private sealed record ParsedRule(int Offset, string Source, IReadOnlyList<(string Source, ISelector? Selector, SubjectCompound? Subject)> Selectors);

    private static IReadOnlyList<ParsedRule> RulesOf(string css)
    {
        if (Sheets.TryGetValue(css, out var known))
        {
            return known;
        }

        var rules = StyleSheets.HidingRules(css).Select(r => new ParsedRule(r.Offset, r.Selectors, [.. SplitSelectors(r.Selectors)
            // A pseudo-element (footer::after) hides only what it adds, never the element's own text.
            .Where(s => !PseudoElement().IsMatch(InlineStyle.Decode(s)))
            .Select(s => (s, Parse(s), SubjectOf(s)))])).ToList();
        if (Sheets.Count >= MostSheets)
        {
            Sheets.Clear();
        }

        Sheets[css] = rules;
        return rules;
    }

    private static ISelector? Parse(string selector)
    {
        try
        {
            // Runs may begin side by side, and the parser is not made to be shared between threads.
            lock (Parser)
            {
                return Parser.ParseSelector(selector);
            }
        }
        catch (Exception e) when (e is DomException or ArgumentException or InvalidOperationException)
        {
            // What the selector parser cannot read, a browser may not read either; either way the check cannot try it.
            return null;
        }
    }

    /// <summary>A selector list split at its commas, those inside brackets, parentheses and strings kept with their selector.</summary>
    private static List<string> SplitSelectors(string list)
    {
        var selectors = new List<string>();
        var (depth, start) = (0, 0);
        char? quote = null;
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '\\')
            {
                i++;
            }
            else if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == ',' && depth == 0)
            {
                selectors.Add(list[start..i].Trim());
                start = i + 1;
            }
        }

        selectors.Add(list[start..].Trim());
        return [.. selectors.Where(s => s.Length > 0)];
    }

    /// <summary>
    /// The name, classes, ids and attributes the last compound of a selector asks of the element it hides,
    /// lower-cased; null where it cannot be told simply (escapes), and the page is then parsed for it.
    /// What an attribute's value must be is not asked: having the attribute at all is enough to be tried.
    /// </summary>
    private static SubjectCompound? SubjectOf(string selector)
    {
        if (selector.Contains('\\', StringComparison.Ordinal) || selector.Contains("/*", StringComparison.Ordinal))
        {
            return null;
        }

        // A string's dots, hashes and spaces are not the selector's: each string stands as a plain value.
        var text = QuotedValue().Replace(selector.Trim(), "v").ToLowerInvariant();
        if (text.Contains('"', StringComparison.Ordinal) || text.Contains('\'', StringComparison.Ordinal))
        {
            // A quote left open: what follows it cannot be told apart from the string.
            return null;
        }

        var depth = 0;
        var compound = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ' ' or '\t' or '\n' or '\r' or '\f' or '>' or '+' or '~' when depth == 0:
                    compound = i + 1;
                    break;
            }
        }

        var last = text[compound..];
        var name = NameStart().Match(last) is { Success: true, Value: not "*" } start ? start.Value : null;
        var classes = new List<string>();
        var ids = new List<string>();
        var attributes = new List<string>();
        depth = 0;
        for (var i = 0; i < last.Length; i++)
        {
            switch (last[i])
            {
                case '[' when depth == 0:
                    // [hidden] and [type=checkbox] (normalize.css hides both) select only elements carrying them.
                    if (AttributeName().Match(last, i + 1) is { Success: true } attribute)
                    {
                        attributes.Add(attribute.Groups["name"].Value);
                    }

                    depth++;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '.' or '#' when depth == 0 && Identifier().Match(last, i + 1) is { Success: true, Index: var at } id && at == i + 1:
                    (last[i] == '.' ? classes : ids).Add(id.Value);
                    break;
            }
        }

        return new SubjectCompound(name, [.. classes], [.. ids], [.. attributes]);
    }

    /// <summary>
    /// Each hiding selector that selects the imprint, or an element around it or holding part of its
    /// text, on this page, with the outermost such element it selects. Empty, without parsing the
    /// page, where no selector could select any of them.
    /// </summary>
    public IReadOnlyList<(HidingSelector Rule, string Element)> Hiding(string html, string imprintHtml, string normalisedImprint)
    {
        var candidates = Candidates(html, imprintHtml);
        if (candidates.Count == 0)
        {
            return [];
        }

        var holding = Holding(VisibleText.Parse(html), normalisedImprint);
        var found = new List<(HidingSelector, string)>();
        foreach (var candidate in candidates)
        {
            if (holding.FirstOrDefault(e => candidate.Selector.Match(e, null)) is { } element)
            {
                found.Add((candidate, Describe(element)));
            }
        }

        return found;
    }

    /// <summary>
    /// The hiding selectors that could select the imprint or an element around it on this page, as far
    /// as its tags tell without parsing it: the page is parsed only where there is any.
    /// </summary>
    internal IReadOnlyList<HidingSelector> Candidates(string html, string imprintHtml)
    {
        if (Selectors.Count == 0)
        {
            return [];
        }

        var chain = Around(html, imprintHtml);
        return [.. Selectors.Where(s => (s.OnlyWith is null || html.Contains(s.OnlyWith, StringComparison.Ordinal))
            && (chain is null || s.Subject is null || chain.Any(e => e.Fits(s.Subject))))];
    }

    /// <summary>The elements of a parsed page holding any of the imprint's visible text, outermost first.</summary>
    private static List<IElement> Holding(ParsedPage page, string normalisedImprint)
    {
        var holding = new List<IElement>();
        if (page.Document.Body is not { } body)
        {
            return holding;
        }

        var text = new StringBuilder();
        var space = false;
        var spans = new List<(IElement Element, int Start, int End)>();
        Collect(body, text, ref space, spans);
        var visible = text.ToString();
        var occurrences = new List<(int Start, int End)>();
        for (var at = visible.IndexOf(normalisedImprint, StringComparison.Ordinal); at >= 0 && normalisedImprint.Length > 0;
             at = visible.IndexOf(normalisedImprint, at + 1, StringComparison.Ordinal))
        {
            occurrences.Add((at, at + normalisedImprint.Length));
        }

        if (occurrences.Count == 0)
        {
            return holding;
        }

        if (page.Document.DocumentElement is { } root)
        {
            holding.Add(root);
        }

        holding.Add(body);
        holding.AddRange(spans.Where(s => s.End > s.Start && occurrences.Any(o => s.Start < o.End && s.End > o.Start)).Select(s => s.Element));
        return holding;
    }

    // As VisibleText reads a page, with where each shown element's text starts and ends in the text whitespace collapsed.
    private static void Collect(INode node, StringBuilder text, ref bool space, List<(IElement, int, int)> spans)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText run:
                    foreach (var c in run.Data)
                    {
                        if (char.IsWhiteSpace(c))
                        {
                            space = text.Length > 0;
                        }
                        else
                        {
                            if (space)
                            {
                                text.Append(' ');
                                space = false;
                            }

                            text.Append(c);
                        }
                    }

                    break;
                case IElement element when VisibleText.IsShown(element):
                    space = text.Length > 0;
                    var index = spans.Count;
                    spans.Add((element, text.Length, text.Length));
                    Collect(element, text, ref space, spans);
                    spans[index] = (element, spans[index].Item2, text.Length);
                    space = text.Length > 0;
                    break;
            }
        }
    }

    private static string Describe(IElement element)
    {
        var tag = new StringBuilder("<").Append(element.LocalName);
        if (!string.IsNullOrEmpty(element.Id))
        {
            tag.Append(" id=\"").Append(element.Id).Append('"');
        }

        if (element.GetAttribute("class") is { Length: > 0 } classes)
        {
            tag.Append(" class=\"").Append(classes).Append('"');
        }

        return tag.Append('>').ToString();
    }

    /// <summary>An element open where the imprint's markup stands, as a scan of the tags reads it.</summary>
    private sealed record Open(string Name, string? Id, string[] Classes, string[] Attributes)
    {
        public bool Fits(SubjectCompound subject) =>
            (subject.Name is null || subject.Name == Name)
            && subject.Ids.All(id => string.Equals(id, Id, StringComparison.OrdinalIgnoreCase))
            && subject.Classes.All(c => Classes.Contains(c, StringComparer.OrdinalIgnoreCase))
            && subject.Attributes.All(a => Attributes.Contains(a, StringComparer.Ordinal));
    }

    /// <summary>
    /// The elements open at each place the imprint's escaped text appears in the markup, and the html
    /// and body a browser opens whether written or not; null where the text is not found so (split
    /// across elements, or escaped otherwise), and then every selector is tried on the parsed page.
    /// It reads tags, not the tree a browser builds: a tag left open keeps its element in, which can
    /// only have a page parsed that need not be.
    /// </summary>
    private static List<Open>? Around(string html, string imprintHtml)
    {
        var first = html.IndexOf(imprintHtml, StringComparison.Ordinal);
        if (first < 0 || imprintHtml.Length == 0)
        {
            return null;
        }

        var around = new List<Open> { new("html", null, [], []), new("body", null, [], []), new("tbody", null, [], []) };
        var stack = new List<Open>();
        var next = first;
        var i = 0;
        while (next >= 0)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt > next)
            {
                around.AddRange(stack);
                next = html.IndexOf(imprintHtml, next + 1, StringComparison.Ordinal);
                continue;
            }

            if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
            {
                var close = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                i = close < 0 ? html.Length : close + 3;
                continue;
            }

            var tag = Tag().Match(html, lt);
            if (!tag.Success)
            {
                i = lt + 1;
                continue;
            }

            i = tag.Index + tag.Length;
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            if (tag.Groups["end"].Success)
            {
                var open = stack.FindLastIndex(e => e.Name == name);
                if (open >= 0)
                {
                    stack.RemoveRange(open, stack.Count - open);
                }

                continue;
            }

            if (name is "script" or "style" or "textarea" or "title" or "xmp" or "iframe" or "noembed" or "noframes" or "noscript" or "template")
            {
                // Their content is not markup to this scan; the imprint inside one is not the one a reader sees.
                var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = end < 0 ? html.Length : end;
                continue;
            }

            if (name is "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "source" or "track" or "wbr" or "param")
            {
                continue;
            }

            var attributes = tag.Groups["attributes"].Value;
            stack.Add(new Open(name, Attribute(attributes, "id"), Attribute(attributes, "class")?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [],
                [.. AttributePattern().Matches(attributes).Select(a => a.Groups["name"].Value.ToLowerInvariant())]));
        }

        return around;
    }

    private static string? Attribute(string attributes, string name)
    {
        foreach (Match attribute in AttributePattern().Matches(attributes))
        {
            if (attribute.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var value = attribute.Groups["value"].Value;
                return value.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(value) : value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\G<(?<end>/)?(?<name>[A-Za-z][^\s/>]*)(?<attributes>(?:[^>""']|""[^""]*""|'[^']*')*)>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<name>[^\s=/>""']+)(?:\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s>]+)))?")]
    private static partial Regex AttributePattern();

    // A name with no namespace ([xlink|href] is not told simply), then its test or the bracket's end.
    [GeneratedRegex(@"\G\s*(?<name>[a-z_][a-z0-9_-]*)\s*(?:[~^$*|]?=|\])")]
    private static partial Regex AttributeName();

    [GeneratedRegex(@"""[^""]*""|'[^']*'")]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"\G[a-z][a-z0-9-]*|\G\*")]
    private static partial Regex NameStart();

    [GeneratedRegex(@"[a-z0-9_\-\u00a0-\uffff]+")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"::|:(?:before|after|first-line|first-letter)(?![\w-])", RegexOptions.IgnoreCase)]
    private static partial Regex PseudoElement();
}
