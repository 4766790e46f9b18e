using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using Scriban.Runtime;

namespace LondonTories.Publishing.Rendering;

/// <summary>A link from a page to the same page in another language, for hreflang.</summary>
public sealed record PageTranslation(string Language, string Title, string Url);

/// <summary>One localised page: which file a seat gets in one language, and where it goes.</summary>
public sealed record PlannedPage(
    Constituency Seat,
    string Language,
    PageFile File,
    SelectorKind Match,
    string Title,
    string? Summary,
    string Path,
    string Url)
{
    public string Slug => File.Slug;

    /// <summary>The page in the site's language that <see cref="File"/> translates, or <see cref="File"/> itself.</summary>
    public PageFile Original { get; init; } = File;

    public ImmutableArray<PageTranslation> Translations { get; init; } = [];
}

/// <summary>A seat's pages in one language, in reading order.</summary>
public sealed record SeatEdition(Constituency Seat, string Language, ImmutableArray<PlannedPage> Pages, string HomePath, string HomeUrl)
{
    public string Direction => Languages.Direction(Language);
}

/// <summary>A seat's editions and the model its templates see of it: what rendering takes of a seat, whoever planned it.</summary>
public sealed record SeatPlan(Constituency Seat, ScriptObject Model, ImmutableArray<SeatEdition> Editions)
{
    public SeatEdition Main => Editions[0];

    public IEnumerable<PlannedPage> AllPages => Editions.SelectMany(e => e.Pages);
}
