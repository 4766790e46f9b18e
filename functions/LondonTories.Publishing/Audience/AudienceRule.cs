using System.Collections.Immutable;

namespace LondonTories.Publishing.Audience;

/// <summary>Who a page or block is for: the seats any include selector matches, less those any exclude selector matches.</summary>
public sealed record AudienceRule(ImmutableArray<AudienceSelector> Include, ImmutableArray<AudienceSelector> Exclude)
{
    public static readonly AudienceRule Everyone = new([AudienceSelector.All], []);

    /// <summary>The specificity of the most specific selector that includes the seat, or null when the seat is not in the audience.</summary>
    public SelectorKind? MatchOf(Constituency seat)
    {
        foreach (var selector in Exclude)
        {
            if (selector.Matches(seat))
            {
                return null;
            }
        }

        SelectorKind? best = null;
        foreach (var selector in Include)
        {
            if (selector.Matches(seat) && (best is null || selector.Kind > best))
            {
                best = selector.Kind;
            }
        }

        return best;
    }

    public bool Includes(Constituency seat) => MatchOf(seat) is not null;

    public override string ToString()
    {
        var include = string.Join(' ', Include);
        return Exclude.IsEmpty ? include : $"{include} except {string.Join(' ', Exclude)}";
    }
}
