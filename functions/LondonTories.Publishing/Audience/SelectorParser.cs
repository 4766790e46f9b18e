using System.Collections.Frozen;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Audience;

/// <summary>Reads selectors and checks that each names a real seat, borough or tag.</summary>
public sealed class SelectorParser
{
    private readonly FrozenSet<string> _seats;
    private readonly FrozenSet<string> _boroughs;
    private readonly FrozenSet<string> _tags;
    private readonly bool _checksNames;

    /// <summary>
    /// Reads selectors without knowing the seats, where constituencies.yaml could not be read: names are
    /// taken as written, since reporting each one unknown would bury the file's own error.
    /// </summary>
    public static readonly SelectorParser Unchecked = new([], checksNames: false);

    public SelectorParser(IEnumerable<Constituency> seats)
        : this(seats, checksNames: true)
    {
    }

    private SelectorParser(IEnumerable<Constituency> seats, bool checksNames)
    {
        _checksNames = checksNames;
        var list = seats.ToList();
        Seats = list;
        _seats = list.Select(s => s.Slug).ToFrozenSet(StringComparer.Ordinal);
        _boroughs = list.SelectMany(s => s.BoroughSlugs).ToFrozenSet(StringComparer.Ordinal);
        _tags = list.SelectMany(s => s.Tags).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The seats selectors choose among.</summary>
    public IReadOnlyList<Constituency> Seats { get; }

    public AudienceSelector? Parse(string text, SourceLocation location, DiagnosticBag diagnostics)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (text == "all")
        {
            return AudienceSelector.All;
        }

        if (colon < 0)
        {
            if (_seats.Contains(text) || !_checksNames)
            {
                return new AudienceSelector(SelectorKind.Seat, text);
            }

            var former = FormerSeats.Successor(text);
            // A seat that kept its name (Battersea written for battersea) is only misspelt, not gone.
            var hint = former is { } f && _seats.Contains(f.SuccessorSlug) && f.SuccessorSlug != Slug.From(text)
                ? f.Explanation
                : DidYouMean.Hint(DidYouMean.Suggest(text, _seats)) is { Length: > 0 } seatHint
                    ? seatHint
                    : "Use a seat slug from constituencies.yaml, 'all', 'borough:<borough>' or 'tag:<tag>'.";
            diagnostics.Error(location, "unknown-seat", $"unknown constituency '{text}' in audience.", hint);
            return null;
        }

        var prefix = text[..colon];
        var value = text[(colon + 1)..];
        switch (prefix)
        {
            case "borough" when _boroughs.Contains(value) || !_checksNames:
                return new AudienceSelector(SelectorKind.Borough, value);
            case "borough":
                diagnostics.Error(location, "unknown-borough", $"unknown borough '{value}' in audience.",
                    Suggest(value, _boroughs, "Boroughs are written as slugs, e.g. 'borough:barking-and-dagenham'."));
                return null;
            case "tag" when _tags.Contains(value) || !_checksNames:
                return new AudienceSelector(SelectorKind.Tag, value);
            case "tag":
                diagnostics.Error(location, "unknown-tag", $"unknown tag '{value}' in audience: no constituency has it.",
                    Suggest(value, _tags, "Tags come from the 'tags' of constituencies.yaml."));
                return null;
            default:
                diagnostics.Error(location, "unknown-selector", $"unknown selector '{text}'.",
                    "A selector is 'all', a seat slug, 'borough:<borough>' or 'tag:<tag>'.");
                return null;
        }
    }

    private static string Suggest(string value, IEnumerable<string> known, string fallback) =>
        DidYouMean.Suggest(value, known) is { } suggestion ? DidYouMean.Hint(suggestion) : fallback;
}
