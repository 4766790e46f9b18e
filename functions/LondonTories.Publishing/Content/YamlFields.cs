using System.Globalization;
using LondonTories.Publishing.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Reads one YAML mapping with the positions of its keys kept, so that every problem names the line
/// an editor must change. Problems are reported to the bag; readers return null or a default.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;
    private readonly YamlText _text;

    public YamlFields(YamlMappingNode node, YamlText text)
    {
        _node = node;
        _text = text;
    }

    public SourceLocation Location => _text.LocationOf(_node);

    public YamlText Text => _text;

    public static YamlMappingNode? ParseMapping(YamlText text, string what)
    {
        var document = Parse(text);
        switch (document)
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return mapping;
            case YamlScalarNode { Value: null or "" }:
                return new YamlMappingNode();
            default:
                text.Diagnostics.Error(text.LocationOf(document), "yaml-shape", $"{what} must be a mapping of 'key: value' lines.");
                return null;
        }
    }

    public static YamlNode? Parse(YamlText text)
    {
        // Building nodes recurses and expands aliases, so what a file may ask for is bounded first.
        if (YamlBounds.Check(text.Source) is var (where, problem, remedy))
        {
            text.Diagnostics.Error(text.LocationOf(where), "yaml-limit", $"invalid YAML: {problem}", remedy);
            return null;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text.Source));
            if (stream.Documents.Count == 0)
            {
                return new YamlScalarNode(string.Empty);
            }

            RefuseEscapedCharacters(stream.Documents[0].RootNode, text);
            return stream.Documents[0].RootNode;
        }
        catch (YamlException exception)
        {
            var message = exception.InnerException?.Message ?? exception.Message;
            // YamlDotNet prefixes its messages with the position, which the location already gives.
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && colon > 0)
            {
                message = message[(colon + 3)..];
            }

            var lines = text.Source.Split('\n');
            // YamlDotNet reports a tab in the indentation where its scanner gave up, often lines
            // earlier, and never says "tab"; the tab itself is what the editor must find.
            if (FirstIndentingTab(lines) is var (tabLine, tabColumn))
            {
                text.Diagnostics.Error(text.LocationAt(tabLine, tabColumn), "yaml-syntax",
                    "invalid YAML: YAML indentation must be spaces, not tabs: replace the tab with spaces.", "Indent the line with spaces, as far as the lines it belongs with.");
                return null;
            }

            if (message.StartsWith("Duplicate key ", StringComparison.Ordinal))
            {
                var key = message["Duplicate key ".Length..];
                var first = FirstKeyLine(lines, key, (int)exception.Start.Line, (int)Math.Max(1, exception.Start.Column) - 1);
                text.Diagnostics.Error(text.LocationOf(exception.Start), "duplicate-key",
                    first is { } at ? $"'{key}' is given twice (first at line {at + text.FirstLine - 1})." : $"'{key}' is given twice.", "Keep one of them.");
                return null;
            }

            var line = lines.ElementAtOrDefault((int)exception.Start.Line - 1) ?? string.Empty;
            var hint = line.Contains("{{", StringComparison.Ordinal)
                ? "A value that starts with {{ must be quoted, e.g. title: \"{{ constituency.name }}: housing\"."
                : "Check the indentation and quote values that contain ':' or '#'.";
            text.Diagnostics.Error(text.LocationOf(exception.Start), "yaml-syntax", $"invalid YAML: {message}", hint);
            return null;
        }
    }

    /// <summary>
    /// A double-quoted value's escapes ("\x07", "\uFFFE") make characters the file's own text does not
    /// hold and no page or feed may carry: each such value is an error, and its characters are replaced
    /// so that nothing read from it later stops on them.
    /// </summary>
    private static void RefuseEscapedCharacters(YamlNode root, YamlText text)
    {
        foreach (var node in root.AllNodes)
        {
            if (node is YamlScalarNode { Style: ScalarStyle.DoubleQuoted, Value: { } value } scalar && ContentText.IndexOfForbidden(value) is var at and >= 0)
            {
                text.Diagnostics.Error(text.LocationOf(scalar), "control-character",
                    $"the quoted value holds {ContentText.Describe(value[at])}, written as an escape, which is not allowed in content.",
                    "Remove the escape (a backslash and what follows it, such as \\x07 or \\u000B) from the quoted value.");
                scalar.Value = ContentText.ReplaceForbidden(value);
            }
        }
    }

    /// <summary>
    /// YAML's core schema reads an unquoted ~, null, Null or NULL, or nothing at all, as no value; only
    /// a quoted "~" or "null" is that text. Left as text, a null once reached the imprint as "Promoted by ~".
    /// </summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>Whether the key is given a value: a key set to null counts as left out, as YAML means it.</summary>
    public bool Has(string key) => Find(key) is { } node && !IsNull(node);

    /// <summary>The 1-based line and column of the first tab among a line's leading spaces, if any.</summary>
    private static (int Line, int Column)? FirstIndentingTab(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            if (lines[i].IndexOf('\t', 0, indent) is var tab and >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    /// <summary>The 1-based line of the first 'key:' at the given indentation before a duplicate's line.</summary>
    private static int? FirstKeyLine(string[] lines, string key, int duplicateLine, int indent)
    {
        for (var i = 0; i < duplicateLine - 1 && i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > indent && line[..indent].All(c => c == ' ') && line.AsSpan(indent).StartsWith(key, StringComparison.Ordinal)
                && line.AsSpan(indent + key.Length).TrimStart(' ').StartsWith(":", StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return null;
    }

    public YamlNode? Find(string key)
    {
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                return v;
            }
        }

        return null;
    }

    public SourceLocation LocationOf(YamlNode node) => _text.LocationOf(node);

    /// <summary>Where a value's text begins: inside its quotes, so a column counted in the text is the file's column.</summary>
    public SourceLocation TextLocationOf(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } && LocationOf(node) is var quote
            ? quote with { Column = quote.Column + 1 }
            : LocationOf(node);

    public SourceLocation KeyLocation(string key)
    {
        foreach (var (k, _) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                return _text.LocationOf(k);
            }
        }

        return Location;
    }

    /// <summary>Reports every key not in <paramref name="allowed"/>, with the nearest allowed key as a suggestion.</summary>
    public void RejectUnknownKeys(IReadOnlyCollection<string> allowed, string what, IReadOnlyDictionary<string, string>? aliases = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (!seen.Add(name))
            {
                _text.Diagnostics.Error(_text.LocationOf(k), "duplicate-key", $"'{name}' is given twice in {what}.", "Keep one of them.");
            }
            else if (!allowed.Contains(name))
            {
                var suggestion = DidYouMean.Suggest(name, allowed);
                if (suggestion is not null && aliases is not null && aliases.TryGetValue(suggestion, out var canonical))
                {
                    suggestion = canonical;
                }

                var hint = suggestion is null
                    ? $"Allowed keys: {string.Join(", ", allowed)}."
                    : DidYouMean.Hint(suggestion);
                _text.Diagnostics.Error(_text.LocationOf(k), "unknown-key", $"unknown key '{name}' in {what}.", hint);
            }
        }
    }

    public string? String(string key, bool required = false, string? what = null)
    {
        var node = Find(key);
        if (node is null)
        {
            if (required)
            {
                _text.Diagnostics.Error(Location, "missing-key", $"'{key}' is required{(what is null ? "" : " in " + what)}.", $"Add a line '{key}: ...'.");
            }

            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            var value = IsNull(scalar) ? null : scalar.Value?.Trim();
            if (string.IsNullOrEmpty(value) && required)
            {
                _text.Diagnostics.Error(LocationOf(node), "empty-value", $"'{key}' must not be empty.",
                    string.IsNullOrEmpty(scalar.Value) || !IsNull(scalar)
                        ? $"Write the value after '{key}:' on the same line."
                        : $"'{scalar.Value}' means no value in YAML: write the value itself, or quote it (\"{scalar.Value}\") if you mean those characters.");
                return null;
            }

            return string.IsNullOrEmpty(value) ? null : value;
        }

        _text.Diagnostics.Error(LocationOf(node), "wrong-type", $"'{key}' must be a single value, not a list or mapping.");
        return null;
    }

    public int? Int(string key)
    {
        var text = String(key);
        if (text is null || RefusedComma(key, text, "72827"))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _text.Diagnostics.Error(LocationOf(Find(key)!), "wrong-type", $"'{key}' must be a whole number, not '{text}'.");
        return null;
    }

    /// <summary>A sum of money or a rate, e.g. 150 or 0.08; never negative.</summary>
    public decimal? Decimal(string key) => Number(key, "a number of pounds such as 150 or 0.08", "2.50 or 11390");

    /// <summary>A number that is never negative, written in digits with at most a decimal point, e.g. 2.5.</summary>
    public decimal? Number(string key, string what, string examples)
    {
        var text = String(key);
        if (text is null || RefusedComma(key, text, examples))
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _text.Diagnostics.Error(LocationOf(Find(key)!), "wrong-type", $"'{key}' must be {what}, not '{text}'.");
        return null;
    }

    /// <summary>
    /// A comma in a number is an error, never a thousands separator: read as one, '2,5' (two pounds
    /// fifty, as much of Europe writes it) became 25, and nothing said so.
    /// </summary>
    private bool RefusedComma(string key, string text, string examples)
    {
        if (!text.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        _text.Diagnostics.Error(LocationOf(Find(key)!), "number-comma",
            $"'{key}' is written with a comma, '{text}': a comma in a number is neither a decimal point nor a thousands separator here.",
            $"Write the number in digits, with a point before any fraction and no commas, e.g. {examples}.");
        return true;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        switch (text)
        {
            case null:
                return null;
            // YAML 1.2's spellings, and the yes and no of YAML 1.1 that editors also write.
            case "true" or "True" or "TRUE" or "yes":
                return true;
            case "false" or "False" or "FALSE" or "no":
                return false;
            default:
                _text.Diagnostics.Error(LocationOf(Find(key)!), "wrong-type", $"'{key}' must be true or false, not '{text}'.");
                return null;
        }
    }

    /// <summary>A list of plain values; a single value counts as a list of one.</summary>
    public IReadOnlyList<(string Value, SourceLocation Location)> StringList(string key)
    {
        var node = Find(key);
        return node is null ? [] : StringList(node, key, _text);
    }

    public static IReadOnlyList<(string Value, SourceLocation Location)> StringList(YamlNode node, string key, YamlText text)
    {
        switch (node)
        {
            case YamlScalarNode when IsNull(node):
            case YamlScalarNode { Value: null or "" }:
                return [];
            case YamlScalarNode scalar:
                return [(scalar.Value!.Trim(), text.LocationOf(scalar))];
            case YamlSequenceNode sequence:
                var items = new List<(string, SourceLocation)>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } value } && !IsNull(item))
                    {
                        items.Add((value.Trim(), text.LocationOf(item)));
                    }
                    else
                    {
                        text.Diagnostics.Error(text.LocationOf(item), "wrong-type", $"every item of '{key}' must be a single value.");
                    }
                }

                return items;
            default:
                text.Diagnostics.Error(text.LocationOf(node), "wrong-type", $"'{key}' must be a list such as [a, b].");
                return [];
        }
    }

    public YamlFields? Mapping(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            if (required)
            {
                _text.Diagnostics.Error(Location, "missing-key", $"'{key}' is required.", $"Add a mapping '{key}:' with its fields indented below it.");
            }

            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new YamlFields(mapping, _text);
        }

        _text.Diagnostics.Error(LocationOf(node), "wrong-type", $"'{key}' must be a mapping of 'key: value' lines.");
        return null;
    }

    /// <summary>Free-form data for templates: mappings, lists, strings, numbers and booleans.</summary>
    public IReadOnlyDictionary<string, object?> FreeForm(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node))
        {
            return new Dictionary<string, object?>();
        }

        if (ToPlain(node) is IReadOnlyDictionary<string, object?> map)
        {
            return map;
        }

        _text.Diagnostics.Error(LocationOf(node), "wrong-type", $"'{key}' must be a mapping of 'key: value' lines.");
        return new Dictionary<string, object?>();
    }

    private static object? ToPlain(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children
            .Where(pair => pair.Key is YamlScalarNode { Value: not null })
            .GroupBy(pair => ((YamlScalarNode)pair.Key).Value!)
            .ToDictionary(group => group.Key, group => ToPlain(group.Last().Value)) as IReadOnlyDictionary<string, object?>,
        YamlSequenceNode sequence => sequence.Children.Select(ToPlain).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value;
        if (IsNull(scalar))
        {
            return null;
        }

        if (value is null || scalar.Style != ScalarStyle.Plain)
        {
            return value;
        }

        return value switch
        {
            "true" => true,
            "false" => false,
            _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => whole,
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => real,
            _ => value,
        };
    }
}

/// <summary>YAML source text with where it sits in its file, so node positions map to file lines.</summary>
internal sealed record YamlText(string Source, string Path, int FirstLine, DiagnosticBag Diagnostics)
{
    public SourceLocation LocationOf(YamlNode node) => LocationOf(node.Start);

    public SourceLocation LocationOf(Mark mark) => new(Path, (int)mark.Line + FirstLine - 1, (int)Math.Max(1, mark.Column));

    /// <summary>A 1-based line and column of the YAML text, as a position in its file.</summary>
    public SourceLocation LocationAt(int line, int column) => new(Path, line + FirstLine - 1, column);

    /// <summary>
    /// The source text a node spans, to the end of the last value inside it: a loaded mapping's own
    /// end is where it starts, so taken alone every mapping seemed to span nothing.
    /// </summary>
    public string TextOf(YamlNode node)
    {
        var last = node.AllNodes.Select(n => n.End).MaxBy(m => (m.Line, m.Column));
        var (start, end) = (OffsetOf(node.Start), OffsetOf(last));
        return end > start ? Source[start..end] : string.Empty;
    }

    private int OffsetOf(Mark mark)
    {
        var offset = 0;
        for (var line = 1L; line < mark.Line && offset >= 0; line++)
        {
            offset = Source.IndexOf('\n', offset) is var newline and >= 0 ? newline + 1 : -1;
        }

        return offset < 0 ? Source.Length : (int)Math.Min(Source.Length, offset + Math.Max(0, mark.Column - 1));
    }
}
