using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>What an <see cref="IContentPart"/> reads from: the files decoded once, and the site and seats already read.</summary>
public sealed class ContentReading
{
    /// <summary>Every file read as text, by its path in the content tree.</summary>
    public required IReadOnlyDictionary<string, string> Texts { get; init; }

    /// <summary>The path of every file in the tree, read as text or not, even one refused or too large to read.</summary>
    public required IReadOnlySet<string> Paths { get; init; }

    /// <summary>A path as diagnostics name it, under the root the editor knows.</summary>
    public required Func<string, string> Display { get; init; }

    public required Site Site { get; init; }

    public required SelectorParser Selectors { get; init; }

    public required DiagnosticBag Diagnostics { get; init; }

    /// <summary>site.yaml, parsed once with its positions kept; null when it is missing or is not a mapping.</summary>
    internal YamlFields? SiteFields { get; init; }
}
