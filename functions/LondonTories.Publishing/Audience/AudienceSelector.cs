namespace LondonTories.Publishing.Audience;

/// <summary>What a selector names; the numeric order is its specificity, so a seat beats a borough.</summary>
public enum SelectorKind
{
    All = 0,
    Tag = 1,
    Borough = 2,
    Seat = 3,
}

/// <summary>One selector: <c>all</c>, a seat slug, <c>borough:&lt;slug&gt;</c> or <c>tag:&lt;tag&gt;</c>.</summary>
public sealed record AudienceSelector(SelectorKind Kind, string Value)
{
    public static readonly AudienceSelector All = new(SelectorKind.All, "all");

    public bool Matches(Constituency seat) => Kind switch
    {
        SelectorKind.All => true,
        SelectorKind.Seat => seat.Slug == Value,
        SelectorKind.Borough => seat.BoroughSlugs.Contains(Value),
        SelectorKind.Tag => seat.Tags.Contains(Value),
        _ => false,
    };

    public override string ToString() => Kind switch
    {
        SelectorKind.All => "all",
        SelectorKind.Seat => Value,
        SelectorKind.Borough => "borough:" + Value,
        _ => "tag:" + Value,
    };
}
