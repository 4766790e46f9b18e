using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using LondonTories.Publishing.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LondonTories.Publishing.Templates;

/// <summary>
/// The HTML layouts, parsed once: the content's own <c>layouts/</c> files, with the built-in defaults
/// serving any the content lacks. Includes resolve only within the layouts.
/// </summary>
public sealed class LayoutSet : ITemplateLoader
{
    public const string Hub = "hub.html";
    public const string Seat = "seat.html";
    public const string Page = "page.html";
    public const string NotFound = "404.html";

    /// <summary>How a built-in layout's path reads in diagnostics.</summary>
    public const string BuiltInPrefix = "(built-in layout) ";

    private readonly FrozenDictionary<string, TextTemplate> _templates;
    private readonly FrozenDictionary<string, string> _imprintDroppedBy;

    private LayoutSet(FrozenDictionary<string, TextTemplate> templates, FrozenDictionary<string, string> imprintDroppedBy, string fingerprint)
    {
        _templates = templates;
        _imprintDroppedBy = imprintDroppedBy;
        Fingerprint = fingerprint;
    }

    /// <summary>
    /// The layout file the content wrote in place of a built-in one that showed the imprint, without it,
    /// which <paramref name="name"/> always includes: where a layout without the imprint lost it.
    /// </summary>
    public string? ImprintDroppedBy(string name) => _imprintDroppedBy.GetValueOrDefault(name);

    /// <summary>A digest of every layout's text, so a layout change re-renders what it shapes.</summary>
    public string Fingerprint { get; }

    public IEnumerable<string> Names => _templates.Keys;

    public TextTemplate this[string name] => _templates[name];

    /// <summary>Loads the layouts from files named relative to <c>layouts/</c>, falling back to the built-in ones.</summary>
    public static LayoutSet Load(IEnumerable<(string Name, string DisplayPath, string Text)> contentLayouts, DiagnosticBag diagnostics)
    {
        var sources = new SortedDictionary<string, (string DisplayPath, string Text)>(StringComparer.Ordinal);
        var builtIn = BuiltIn().ToDictionary(b => b.Name, b => b.Text, StringComparer.Ordinal);
        foreach (var (name, text) in builtIn)
        {
            sources[name] = (BuiltInPrefix + name, text);
        }

        foreach (var (name, displayPath, text) in contentLayouts)
        {
            sources[name] = (displayPath, text);
        }

        var templates = new Dictionary<string, TextTemplate>(StringComparer.Ordinal);
        foreach (var (name, (displayPath, text)) in sources)
        {
            templates[name] = TextTemplate.ParseAlways(text, SourceLocation.StartOf(displayPath), diagnostics);
        }

        ReportUnused(contentLayouts.Select(l => (l.Name, l.DisplayPath)), sources.Values.Select(s => s.Text), diagnostics);
        var always = templates.ToDictionary(t => t.Key, t => AlwaysIncluded(t.Value, templates), StringComparer.Ordinal);
        ReportEndlessIncludes(templates, always, diagnostics);

        bool Dropped(string name) => !sources[name].DisplayPath.StartsWith(BuiltInPrefix, StringComparison.Ordinal)
            && builtIn.TryGetValue(name, out var own) && own.Contains("imprint", StringComparison.Ordinal)
            && !sources[name].Text.Contains("imprint", StringComparison.Ordinal);
        string? DroppedUnder(string name, HashSet<string> seen) =>
            !seen.Add(name) ? null : always[name].Select(i => Dropped(i.Name) ? i.Name : DroppedUnder(i.Name, seen)).FirstOrDefault(d => d is not null);
        var imprintDroppedBy = templates.Keys
            .Select(name => (name, dropped: DroppedUnder(name, new HashSet<string>(StringComparer.Ordinal))))
            .Where(x => x.dropped is not null)
            .ToFrozenDictionary(x => x.name, x => x.dropped!, StringComparer.Ordinal);

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', sources.Select(s => s.Key + "\0" + s.Value.Text)))));
        return new LayoutSet(templates.ToFrozenDictionary(StringComparer.Ordinal), imprintDroppedBy, fingerprint);
    }

    /// <summary>
    /// Warns of a layout file that no page is rendered with and no layout includes, such as
    /// <c>Page.html</c> or <c>pgae.html</c>: the built-in layout serves in its place, and the site's own
    /// look would quietly not apply.
    /// </summary>
    private static void ReportUnused(IEnumerable<(string Name, string DisplayPath)> contentLayouts, IEnumerable<string> texts, DiagnosticBag diagnostics)
    {
        string[] rendered = [Hub, Seat, Page, NotFound];
        var sources = texts.ToList();
        foreach (var (name, displayPath) in contentLayouts)
        {
            if (rendered.Contains(name) || sources.Any(text => text.Contains(name, StringComparison.Ordinal)))
            {
                continue;
            }

            var meant = DidYouMean.Suggest(name.ToLowerInvariant(), rendered);
            diagnostics.Warning(SourceLocation.StartOf(displayPath), "unused-layout",
                $"layouts/{name} is not used: pages are rendered with {string.Join(", ", rendered)}, and no layout includes it.",
                meant is null ? "Rename it to the layout it replaces, or include it from one, e.g. {{ include 'partials/brand.html' }}." : $"Did you mean '{meant}'? Rename it, or include it from a layout.");
        }
    }

    /// <summary>
    /// Reports each layout that always includes a layout leading back to it: the engine gave up at its
    /// depth limit on every page of every seat, each error placed at the seat. Only an include at a
    /// layout's top level counts, since one under a condition can end, and only the engine can tell.
    /// </summary>
    private static void ReportEndlessIncludes(Dictionary<string, TextTemplate> templates, Dictionary<string, List<(string Name, TextPosition Position)>> always, DiagnosticBag diagnostics)
    {
        foreach (var (name, includes) in always)
        {
            foreach (var (included, position) in includes)
            {
                if (PathBack(included, name, always) is { } path)
                {
                    var template = templates[name];
                    diagnostics.Error(TextTemplate.MapPosition(template.Origin, position), "include-cycle",
                        $"this include never ends: {string.Join(" → ", [name, .. path])}, and each includes the next wherever it is shown.",
                        "Remove the include that leads back, or put the shared part in a partial of its own that includes neither.");
                    break;
                }
            }
        }
    }

    /// <summary>The layouts a layout includes wherever it is shown, each with where its include starts.</summary>
    private static List<(string Name, TextPosition Position)> AlwaysIncluded(TextTemplate template, Dictionary<string, TextTemplate> templates)
    {
        var found = new List<(string, TextPosition)>();
        foreach (var statement in template.Compiled?.Page?.Body?.Statements ?? [])
        {
            if (statement is ScriptReturnStatement)
            {
                break;
            }

            if (statement is ScriptExpressionStatement { Expression: ScriptFunctionCall { Target: ScriptVariableGlobal { Name: "include" }, Arguments: [ScriptLiteral { Value: string named }] } call }
                && Normalised(named) is { } name && templates.ContainsKey(name))
            {
                found.Add((name, call.Span.Start));
            }
        }

        return found;
    }

    /// <summary>The layouts from <paramref name="from"/> on that always lead to <paramref name="to"/>, ending with it, or null when none does.</summary>
    private static List<string>? PathBack(string from, string to, Dictionary<string, List<(string Name, TextPosition Position)>> always)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<string>? Walk(string at)
        {
            if (at == to)
            {
                return [at];
            }

            if (!seen.Add(at))
            {
                return null;
            }

            foreach (var (next, _) in always[at])
            {
                if (Walk(next) is { } rest)
                {
                    return [at, .. rest];
                }
            }

            return null;
        }

        return Walk(from);
    }

    private static string? Normalised(string templateName)
    {
        var name = templateName.Replace('\\', '/').TrimStart('/');
        return name.Split('/').Any(part => part is ".." or "." or "") ? null : name;
    }

    internal void Preload(TemplateContext context)
    {
        foreach (var (name, template) in _templates)
        {
            if (template.Compiled is not null)
            {
                context.CachedTemplates[name] = template.Compiled;
            }
        }
    }

    /// <summary>The layout read from <paramref name="displayPath"/>, as the engine's errors name it, or null.</summary>
    internal TextTemplate? ByPath(string displayPath) => _templates.Values.FirstOrDefault(t => t.Origin.Path == displayPath);

    /// <summary>The layout an include names, as the engine's loader finds it, or null when it names none.</summary>
    internal string? IncludeName(string templateName) => Normalised(templateName) is { } name && _templates.ContainsKey(name) ? name : null;

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
        IncludeName(templateName) ?? throw new Scriban.Syntax.ScriptRuntimeException(callerSpan,
            $"include '{templateName}' is not a layout file; includes are paths inside layouts/, such as 'partials/footer.html'."
            + (DidYouMean.Suggest(templateName.Replace('\\', '/').TrimStart('/'), _templates.Keys) is { } meant ? " " + DidYouMean.Hint(meant) : string.Empty));

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => _templates[templatePath].Source;

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(_templates[templatePath].Source);

    /// <summary>
    /// The ids the built-in layouts write themselves, such as the skip link's target <c>main</c>: a
    /// heading in a page's text must not take one.
    /// </summary>
    public static IReadOnlySet<string> BuiltInIds { get; } = BuiltIn()
        .SelectMany(layout => System.Text.RegularExpressions.Regex.Matches(layout.Text, "\\sid=\"([A-Za-z][A-Za-z0-9_-]*)\""))
        .Select(match => match.Groups[1].Value)
        .ToFrozenSet(StringComparer.Ordinal);

    private static IEnumerable<(string Name, string Text)> BuiltIn()
    {
        var assembly = typeof(LayoutSet).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("layouts/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource["layouts/".Length..], reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal));
        }
    }
}
