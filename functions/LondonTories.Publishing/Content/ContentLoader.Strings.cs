using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Content;

/// <summary>strings/&lt;lang&gt;.yaml: the layouts' own words in each language a seat publishes.</summary>
public sealed partial class ContentLoader
{
    private static SiteStrings LoadStrings(Dictionary<string, string> texts, Func<string, string> display, Site site, ImmutableArray<Constituency> seats, DiagnosticBag diagnostics)
    {
        var tables = new List<StringTable>();
        // Language tags ignore case, so strings/BN.yaml is Bengali's file as much as strings/bn.yaml is.
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (file, text) in texts.Where(t => t.Key.StartsWith(SiteStrings.Folder, StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (LoadStringTable(file, text, display(file), diagnostics) is not { } table)
            {
                continue;
            }

            if (!files.TryAdd(table.Language, file))
            {
                diagnostics.Error(SourceLocation.StartOf(display(file)), "duplicate-strings",
                    $"{display(file)} gives the words of '{table.Language}', as {display(files[table.Language])} does: a language has one strings file.",
                    $"Keep one of them, named in lower case as languages are written: {SiteStrings.Folder}{table.Language.ToLowerInvariant()}.yaml.");
                continue;
            }

            tables.Add(table);
        }

        var strings = new SiteStrings(tables);
        // Readers of a seat's other languages should not meet English labels unannounced; an editor learns which file to write.
        var uses = new List<(string Language, Constituency? Seat)> { (site.Language, null) };
        uses.AddRange(seats.SelectMany(s => s.Languages.Select(l => (l, (Constituency?)s))));
        foreach (var language in uses.GroupBy(x => x.Language, StringComparer.Ordinal))
        {
            var file = $"{SiteStrings.Folder}{language.Key}.yaml";
            var where = language.Select(x => x.Seat).FirstOrDefault(s => s is not null)?.Location ?? site.Location;
            var seatNames = language.Where(x => x.Seat is not null).Select(x => x.Seat!.Slug).Distinct().ToList();
            var who = seatNames.Count == 0 ? "the site" : seatNames.Count <= 3 ? string.Join(", ", seatNames) : $"{string.Join(", ", seatNames.Take(3))} and {seatNames.Count - 3} more";
            if (!strings.Covers(language.Key) && texts.Keys.Any(k => string.Equals(k, file, StringComparison.OrdinalIgnoreCase)))
            {
                // The file is there with mistakes of its own, already reported.
                continue;
            }

            if (!strings.Covers(language.Key))
            {
                diagnostics.Warning(where, "missing-strings",
                    $"{who} publish{(seatNames.Count == 1 ? "es" : string.Empty)} in '{language.Key}' but there is no {display(file)}, so its pages' links, labels and dates read in English.",
                    $"Create {display(file)} giving each of: {string.Join(", ", SiteStrings.English.Keys.Order(StringComparer.Ordinal))}.");
            }
            // English texts left out read in the built-in English, which is what an English file means to keep.
            else if (!language.Key.Split('-')[0].Equals("en", StringComparison.OrdinalIgnoreCase) && tables.FirstOrDefault(t => string.Equals(t.Language, language.Key, StringComparison.OrdinalIgnoreCase)) is { Missing: { Length: > 0 } missing })
            {
                // Named as it is on disk (strings/BN.yaml), so the warning leads to a file that is there.
                var given = display(files.GetValueOrDefault(language.Key, file));
                diagnostics.Warning(SourceLocation.StartOf(given), "missing-strings",
                    $"{given} lacks {string.Join(", ", missing)}, which read in English on '{language.Key}' pages.",
                    $"Add {(missing.Length == 1 ? "a line" : "lines")} such as '{missing[0]}: ...' in {language.Key}; English for reference: {missing[0]}: \"{SiteStrings.English[missing[0]]}\".");
            }
        }

        return strings;
    }

    /// <summary>How a file in strings/ that is not read gets read: bn.yml or bn.YAML is a language's file under another ending, whose name is known.</summary>
    private static string StringsRenameHint(string name)
    {
        var stem = Path.GetExtension(name).ToLowerInvariant() is ".yml" or ".yaml" ? Path.GetFileNameWithoutExtension(name) : null;
        return stem is not null && Languages.IsLanguageTag(stem)
            ? $"Rename it {SiteStrings.Folder}{stem}.yaml: only files ending in .yaml are read."
            : "Rename it to <language code>.yaml, or move it out of strings/.";
    }

    private static StringTable? LoadStringTable(string file, string text, string path, DiagnosticBag diagnostics)
    {
        var name = file[SiteStrings.Folder.Length..];
        var language = name.EndsWith(".yaml", StringComparison.Ordinal) ? name[..^".yaml".Length] : null;
        if (language is null || !Languages.IsLanguageTag(language))
        {
            diagnostics.Warning(SourceLocation.StartOf(path), "unknown-strings-file",
                $"{path} is not read: files in strings/ are named after a language, e.g. strings/bn.yaml.",
                StringsRenameHint(name));
            return null;
        }

        var yamlText = new YamlText(text, path, 1, diagnostics);
        if (YamlFields.ParseMapping(yamlText, path) is not { } root)
        {
            return null;
        }

        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var location = yamlText.LocationOf(keyNode);
            if (!SiteStrings.English.ContainsKey(key))
            {
                var suggestion = DidYouMean.Suggest(key, SiteStrings.English.Keys);
                diagnostics.Warning(location, "unknown-string", $"'{key}' is not a text the layouts use, so it is ignored.",
                    suggestion is null ? $"The keys are: {string.Join(", ", SiteStrings.English.Keys.Order(StringComparer.Ordinal))}." : DidYouMean.Hint(suggestion));
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: { Length: > 0 } value } || string.IsNullOrWhiteSpace(value) || YamlFields.IsNull(valueNode))
            {
                diagnostics.Warning(yamlText.LocationOf(valueNode), "empty-string", $"'{key}' needs a text; it reads in English until it has one.",
                    $"Write it as {key}: \"...\" (English: \"{SiteStrings.English[key]}\").");
                continue;
            }

            if (!given.TryAdd(key, value.Trim()))
            {
                diagnostics.Warning(location, "duplicate-key", $"'{key}' is given twice in {path}; the first is used.", "Keep one of them.");
                continue;
            }

            var expected = Placeholders(SiteStrings.English[key]);
            var used = Placeholders(value);
            foreach (var unknown in used.Except(expected))
            {
                // A translator may translate the name or write it in capitals: either goes out as written.
                var meant = DidYouMean.Suggest(unknown, expected);
                diagnostics.Warning(yamlText.LocationOf(valueNode), "unknown-placeholder",
                    $"'{key}' uses {{{unknown}}}, which this text does not fill.",
                    meant is not null ? DidYouMean.Hint("{" + meant + "}")
                    : expected.Count == 0 ? "Remove it: this text takes no placeholder." : $"It may use {string.Join(", ", expected.Select(p => "{" + p + "}"))}.");
            }

            foreach (var missing in expected.Except(used).Order(StringComparer.Ordinal))
            {
                diagnostics.Warning(yamlText.LocationOf(valueNode), "missing-placeholder",
                    $"'{key}' leaves out {{{missing}}}, which the English text fills: \"{SiteStrings.English[key]}\".",
                    $"Write {{{missing}}} where its value belongs in the sentence, untranslated.");
            }

            if (key == "date_format" && !IsDateFormat(value))
            {
                given.Remove(key);
                diagnostics.Warning(yamlText.LocationOf(valueNode), "invalid-date-format", $"'{value}' is not a date format; dates read as in English.",
                    "Use .NET's custom date format letters, e.g. date_format: \"d MMMM yyyy\".");
            }
        }

        return new StringTable(language, given.ToFrozenDictionary(StringComparer.Ordinal)) { Fingerprint = Hashing.Sha256Hex(text) };
    }

    private static bool IsDateFormat(string format)
    {
        try
        {
            _ = new DateTime(2026, 11, 30).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static HashSet<string> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    // Any name between braces, so that one translated or in capitals is found, not published as written.
    [GeneratedRegex(@"\{([^{}\s]{1,40})\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
