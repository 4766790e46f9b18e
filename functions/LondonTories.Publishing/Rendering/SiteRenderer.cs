using System.Collections.Concurrent;
using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using LondonTories.Publishing.Templates;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;
using Scriban.Runtime;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Turns seats' pages into HTML: Scriban over the body, Markdown with the seat's audience blocks, the
/// sanitiser where raw HTML can appear, then the layout. Built once and shared; the work of one run
/// lives in a <see cref="RenderSession"/>.
/// </summary>
public sealed class SiteRenderer(MarkdownRenderer markdown, HtmlSafety safety, TemplateSandbox sandbox)
{
    public RenderSession Begin(SiteContent content, ImmutableArray<SeatPlan> seats) => new(this, content, seats);

    internal MarkdownRenderer Markdown => markdown;

    internal HtmlSafety Safety => safety;

    internal TemplateSandbox Sandbox => sandbox;
}

/// <summary>
/// One run's rendering: the models and parsed bodies that do not vary by seat are built once here
/// and reused by every seat. Safe to use from many threads.
/// </summary>
public sealed class RenderSession
{
    private readonly SiteRenderer _renderer;
    private readonly ImmutableArray<SeatPlan> _seats;
    private readonly ScriptObject _site;
    private readonly ScriptObject _imprint;
    private readonly string _imprintText;
    private readonly string _imprintVisible;
    private readonly string _imprintHtml;
    private readonly SelectorParser _selectors;
    private readonly ImprintStyles _imprintStyles;
    private readonly ConcurrentDictionary<(AudienceBlockKind, string), AudienceRule> _blockRules = new();
    private readonly ConcurrentDictionary<PageFile, Lazy<ParsedBody>> _staticBodies = new();
    private readonly ConcurrentDictionary<PageFile, Lazy<BodyShape?>> _bodyShapes = new();
    private readonly ConcurrentDictionary<SeatEdition, EntriesOnDemand<ScriptObject>> _pageLists = new();
    private readonly ConcurrentDictionary<SeatEdition, object?[]> _feedLinks = new();
    private readonly ConcurrentDictionary<string, string> _sanitized = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Language, string? Seat), ScriptObject> _strings = new();
    private readonly Lazy<HexMapDrawing> _hexMap;

    internal RenderSession(SiteRenderer renderer, SiteContent content, ImmutableArray<SeatPlan> seats)
    {
        _renderer = renderer;
        Content = content;
        _seats = seats;
        _site = ScriptModels.Site(content.Site);
        _imprint = ScriptModels.Imprint(content.Site.Imprint);
        // Composed once: every page is checked for it.
        _imprintText = content.Site.Imprint.Text;
        _imprintVisible = VisibleText.Normalise(_imprintText);
        _imprintHtml = System.Net.WebUtility.HtmlEncode(_imprintText);
        _selectors = new SelectorParser(content.Constituencies);
        _imprintStyles = ImprintStyles.For(content);
        _hexMap = new Lazy<HexMapDrawing>(() => LondonHexMap.Draw(seats.Select(s => s.Seat.GssCode)));
    }

    private SiteContent Content { get; }

    /// <summary>The page's body HTML for its seat, before the layout.</summary>
    public string? RenderBody(SeatPlan seat, PlannedPage page, DiagnosticBag diagnostics)
    {
        if (BodyShapeOf(page.File) is { } shape
            && shape.HtmlFor(page.Seat, ScriptModels.Body(seat.Model, _site, PageModel(page), page.Language), this) is { } html)
        {
            return html;
        }

        return RenderBodyParsed(seat, page, diagnostics);
    }

    /// <summary>The page's body HTML for its seat from its own text parsed on its own, as a body without a shape is always rendered.</summary>
    internal string? RenderBodyParsed(SeatPlan seat, PlannedPage page, DiagnosticBag diagnostics) =>
        ParsedBodyFor(seat, page, diagnostics)?.HtmlFor(page.Seat, this);

    /// <summary>Whether the page's body is parsed once for every seat whose values are plain words.</summary>
    internal bool ParsedOnce(PageFile file) => BodyShapeOf(file) is not null;

    /// <summary>
    /// The inline audience blocks of the page's body as its seat gets it, each with whether the seat
    /// keeps it: the same decision <see cref="RenderBody"/> makes. Null when the body's template fails.
    /// </summary>
    public IReadOnlyList<AudienceBlockUse>? AudienceBlocksFor(SeatPlan seat, PlannedPage page, DiagnosticBag diagnostics)
    {
        if (ParsedBodyFor(seat, page, diagnostics) is not { } parsed)
        {
            return null;
        }

        var kept = parsed.KeptBy(page.Seat, this);
        var origin = page.File.Body.Template.Origin;
        return [.. parsed.Blocks.Select((block, i) => new AudienceBlockUse(
            block.Kind,
            block.Selectors,
            origin with { Line = origin.Line + block.Line, Column = block.Column + 1 },
            kept[i]))];
    }

    /// <summary>The whole page; <paramref name="published"/>, when known, is its first publication, for <c>article:published_time</c>.</summary>
    public string? RenderPage(SeatPlan seat, SeatEdition edition, PlannedPage page, DiagnosticBag diagnostics, DateTimeOffset? published = null) =>
        RenderPageWithFragment(seat, edition, page, diagnostics, published, out _)?.Html;

    /// <summary>The whole page and its fragment, from one rendering of the body, and how much of its seat's page list the layout read to make it.</summary>
    public (string Html, byte[] Fragment)? RenderPageWithFragment(SeatPlan seat, SeatEdition edition, PlannedPage page, DiagnosticBag diagnostics, DateTimeOffset? published, out ListRead listRead)
    {
        listRead = ListRead.None;
        var content = RenderBody(seat, page, diagnostics);
        if (content is null)
        {
            return null;
        }

        var (model, pages) = EditionModel(seat, edition, page.Translations, page.Title, page.Summary, page.Url, "article");
        model["page"] = PageModel(page);
        model["content"] = content;
        model["published_time"] = published is { } at ? Rfc3339.Format(at) : null;
        if (published is { } when)
        {
            var strings = Content.Strings.For(edition.Language);
            var date = strings.Date(when, Content.Site.TimeZone);
            model["published_date"] = date;
            model["published_text"] = strings.Format("published", date: date);
        }
        (model["image_url"], model["image_alt"]) = PageImage.CardFor(page.File, Content.Site);
        var html = Layout(LayoutSet.Page, model, diagnostics, $"{page.Seat.Slug}/{page.Slug}", page.File.Location);
        listRead = pages.Read;
        return html is null ? null : (html, Fragment(page, content));
    }

    /// <summary>
    /// The page's embeddable article: title, summary, body and the imprint inside it, so the page
    /// never travels without its imprint (on the static site, in feeds, in associations' sites).
    /// </summary>
    public string? RenderFragment(SeatPlan seat, PlannedPage page, DiagnosticBag diagnostics) =>
        RenderBody(seat, page, diagnostics) is { } content ? System.Text.Encoding.UTF8.GetString(Fragment(page, content)) : null;

    /// <summary>The article as UTF-8, written straight into its bytes: it is made for every page and kept only as bytes.</summary>
    private byte[] Fragment(PlannedPage page, string content)
    {
        var summary = string.IsNullOrEmpty(page.Summary) ? null : System.Net.WebUtility.HtmlEncode(page.Summary);
        ReadOnlySpan<string?> parts =
        [
            "<article class=\"page-fragment\" lang=\"", System.Net.WebUtility.HtmlEncode(page.Language), "\" dir=\"", Languages.Direction(page.Language), "\">\n",
            "<h1>", System.Net.WebUtility.HtmlEncode(page.Title), "</h1>\n",
            summary is null ? null : "<p class=\"summary\">", summary, summary is null ? null : "</p>\n",
        ];
        ReadOnlySpan<string> after = ["\n<p class=\"imprint\">", _imprintHtml, "</p>\n</article>\n"];
        var body = ArticleLinks.Absolute(content, page.Url).AsSpan().TrimEnd('\n');
        var utf8 = System.Text.Encoding.UTF8;
        var length = utf8.GetByteCount(body);
        foreach (var part in parts)
        {
            length += utf8.GetByteCount(part ?? string.Empty);
        }

        foreach (var part in after)
        {
            length += utf8.GetByteCount(part);
        }

        // Zeroed, not left uninitialised: an array of a few kilobytes is then taken from the thread's own
        // allocation space, where asking for one uninitialised goes through the runtime each time, and with
        // an article for every page that cost more than the zeroing saved (a warm full publish, alternated
        // 40 times: median wall 1.67-1.99 s against 1.84-2.04 s).
        var bytes = new byte[length];
        var at = 0;
        foreach (var part in parts)
        {
            at += utf8.GetBytes(part ?? string.Empty, bytes.AsSpan(at));
        }

        at += utf8.GetBytes(body, bytes.AsSpan(at));
        foreach (var part in after)
        {
            at += utf8.GetBytes(part, bytes.AsSpan(at));
        }

        // Counted and written from the same text, so every byte is the article's.
        return at == bytes.Length ? bytes : throw new InvalidOperationException("The article's bytes were miscounted.");
    }

    public string? RenderSeatHome(SeatPlan seat, SeatEdition edition, DiagnosticBag diagnostics)
    {
        var translations = seat.Editions.Select(e => new PageTranslation(e.Language, e.Seat.Name, e.HomeUrl)).ToList();
        var title = Content.Strings.For(edition.Language).Format("seat_title", seat: seat.Seat.Name, site: Content.Site.Title);
        var (model, _) = EditionModel(seat, edition, translations, title, null, edition.HomeUrl, "website");
        return Layout(LayoutSet.Seat, model, diagnostics, seat.Seat.Slug, seat.Seat.Location);
    }

    /// <summary>
    /// A digest of the part of the edition's page list that <paramref name="read"/> covers, exactly as
    /// layouts see it: with the rest of a page's inputs, it decides whether the page must be rendered again.
    /// </summary>
    public string ListFingerprint(SeatEdition edition, ListRead read)
    {
        // Read from the pages themselves, the fields PageEntries gives layouts: every page's key needs
        // this, also in a run that renders no layout at all.
        var pages = edition.Pages;
        var count = read.Whole ? pages.Length : Math.Min(read.Entries, pages.Length);
        var text = new TextDigest();
        text.Append(read.ToString()).Append('\n');
        if (read.Whole || read.End)
        {
            text.Append(pages.Length).Append('\n');
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var (_, value) in PageEntryFields)
            {
                text.Append(value(pages[i])).Append('\0');
            }

            text.Append('\n');
        }

        return text.ToHex();
    }

    public string? RenderHub(DiagnosticBag diagnostics) => Layout(LayoutSet.Hub, HubModel(), diagnostics, "the London hub", Content.Site.Location);

    /// <summary>
    /// Everything the hub's layout is given, as one digest: with the layouts, it decides whether the hub
    /// must be rendered again. Null when it cannot be taken, and the hub is then always rendered.
    /// </summary>
    public string? HubModelDigest() => ScriptModels.Digest(HubModel());

    private ScriptObject HubModel()
    {
        var constituencies = new ScriptArray();
        foreach (var seat in _seats)
        {
            constituencies.Add(HubSeat(seat));
        }

        var boroughs = new ScriptArray();
        foreach (var group in _seats
                     .SelectMany(s => s.Seat.Boroughs.Select(b => (Borough: b, Seat: s)))
                     .GroupBy(x => x.Borough, StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            boroughs.Add(new ScriptObject
            {
                ["name"] = group.Key,
                ["slug"] = Slug.From(group.Key),
                ["constituencies"] = new ScriptArray(group.Select(x => HubSeat(x.Seat)).OrderBy(s => s["name"] as string, StringComparer.Ordinal)),
            });
        }

        var model = RootModel(Content.Site.Title, null, Content.Site.UrlFor("/"), "website");
        model["strings"] = StringsModel(Content.Site.Language, null, constituencies.Count);
        model["feeds"] = FeedLinks(FeedPaths.London(Content.Site), Content.Site.Title);
        model["constituencies"] = constituencies;
        model["boroughs"] = boroughs;
        model["hex_map"] = _hexMap.Value.Tiles.Count == 0 ? null : ScriptModels.Freeze(new ScriptObject
        {
            ["width"] = _hexMap.Value.Width,
            ["height"] = _hexMap.Value.Height,
            ["view_box"] = _hexMap.Value.ViewBox,
        });
        return model;
    }

    public string? RenderNotFound(DiagnosticBag diagnostics) => Layout(LayoutSet.NotFound, NotFoundModel(), diagnostics, "the not-found page", Content.Site.Location);

    /// <summary>Everything the not-found page's layout is given, as one digest, as <see cref="HubModelDigest"/> for the hub.</summary>
    public string? NotFoundModelDigest() => ScriptModels.Digest(NotFoundModel());

    private ScriptObject NotFoundModel() =>
        RootModel(Content.Strings.For(Content.Site.Language).Format("not_found_title", site: Content.Site.Title), null, Content.Site.UrlFor("/404.html"), "website");

    internal AudienceRule RuleFor(AudienceBlock block) =>
        _blockRules.GetOrAdd((block.Kind, string.Join(' ', block.Selectors)), _ => block.RuleWith(_selectors));

    private ParsedBody? ParsedBodyFor(SeatPlan seat, PlannedPage page, DiagnosticBag diagnostics)
    {
        var body = page.File.Body;
        if (body.Template.IsStatic)
        {
            return _staticBodies.GetOrAdd(page.File, file => new Lazy<ParsedBody>(() => Parse(file.Body.Template.Source))).Value;
        }

        var text = _renderer.Sandbox.Render(body.Template, ScriptModels.Body(seat.Model, _site, PageModel(page), page.Language), diagnostics, page.Seat.Slug);
        return text is null || _renderer.Markdown.Parse(text, body.Template.Origin, diagnostics, page.Seat.Slug) is not { } document ? null : Parsed(document);
    }

    private ParsedBody Parse(string markdown) => Parsed(_renderer.Markdown.Parse(markdown));

    private BodyShape? BodyShapeOf(PageFile file) =>
        file.Body.Template.IsStatic ? null : _bodyShapes.GetOrAdd(file, f => new Lazy<BodyShape?>(() => ShapeOf(f))).Value;

    private BodyShape? ShapeOf(PageFile file)
    {
        if (file.Body.Template.ShapeFor(_renderer.Sandbox) is not { } shape)
        {
            return null;
        }

        var bag = new DiagnosticBag();
        if (_renderer.Markdown.Parse(shape.Skeleton, file.Body.Template.Origin, bag) is not { } document || !bag.ToImmutableSorted().IsEmpty
            || (MarkdownRenderer.UnsafeBlocks(document) is { } unsafeBlocks && !IsLiteral(_renderer.Markdown.Render(document, _ => true, unsafeBlocks.Start.Value, unsafeBlocks.End.Value))))
        {
            return null;
        }

        var parsed = Parsed(document);
        return BodyShape.Of(shape, parsed, _renderer.Markdown.Render(document, _ => true));
    }

    /// <summary>
    /// Whether the blocks the sanitiser takes hold no value, so every seat's are the same text and are
    /// sanitised once. An entity is refused too: sanitised, it could spell a stand-in, which the seat's value
    /// would then replace where its own text keeps it.
    /// </summary>
    private static bool IsLiteral(string html) =>
        !html.Contains(PrintShape.StandInPrefix, StringComparison.OrdinalIgnoreCase) && !html.Contains('&', StringComparison.Ordinal);

    private static ParsedBody Parsed(Markdig.Syntax.MarkdownDocument document) =>
        new(document, AudienceBlock.FindAll(document), MarkdownRenderer.UnsafeBlocks(document));

    /// <summary>
    /// Sanitises a fragment, once for every seat that shares it: raw HTML is usually the same literal
    /// text on every seat's page, and the sanitiser costs far more than the rest of a page.
    /// </summary>
    private string Sanitize(string html) => _sanitized.GetOrAdd(html, _renderer.Safety.Sanitize);

    private ScriptObject HubSeat(SeatPlan seat) => new()
    {
        ["slug"] = seat.Seat.Slug,
        ["name"] = seat.Seat.Name,
        ["url"] = seat.Main.HomeUrl,
        ["gss_code"] = seat.Seat.GssCode,
        ["boroughs"] = ScriptModels.Array(seat.Seat.Boroughs),
        ["tags"] = ScriptModels.Array(seat.Seat.Tags),
        ["languages"] = ScriptModels.Array(seat.Editions.Select(e => e.Language)),
        ["page_count"] = seat.Main.Pages.Length,
        ["hex"] = _hexMap.Value.Tiles.TryGetValue(seat.Seat.GssCode, out var tile)
            ? ScriptModels.Freeze(new ScriptObject { ["q"] = tile.Cell.Q, ["r"] = tile.Cell.R, ["x"] = tile.X, ["y"] = tile.Y, ["points"] = tile.Points })
            : null,
    };

    // Made for every render of every page, so sized for its eight members and spared what can be shared.
    private static ScriptObject PageModel(PlannedPage page) => new(8)
    {
        ["title"] = page.Title,
        ["slug"] = page.Slug,
        ["summary"] = page.Summary,
        ["url"] = page.Url,
        ["language"] = page.Language,
        ["weight"] = page.File.Weight,
        ["audience"] = AudienceNames[page.Match],
        ["params"] = page.File.Params.Count == 0 ? NoParams : ScriptModels.Plain(page.File.Params),
    };

    private static readonly Dictionary<SelectorKind, string> AudienceNames = Enum.GetValues<SelectorKind>().ToDictionary(k => k, k => k.ToString().ToLowerInvariant());

    // Frozen and empty, so one can stand for every page without params.
    private static readonly ScriptObject NoParams = ScriptModels.Freeze(new ScriptObject());

    // What a layout sees of each page in its seat's list, and so what ListFingerprint digests.
    private static readonly (string Name, Func<PlannedPage, string?> Value)[] PageEntryFields =
        [("title", p => p.Title), ("slug", p => p.Slug), ("summary", p => p.Summary), ("url", p => p.Url)];

    // Frozen, since every page of the edition shares the same entries; made as layouts reach them,
    // so a run that renders one page of a seat whose layout shows seven makes seven, not the whole list.
    private EntriesOnDemand<ScriptObject> PageEntries(SeatEdition edition) => _pageLists.GetOrAdd(edition, e => new EntriesOnDemand<ScriptObject>(e.Pages.Length, i =>
    {
        var entry = new ScriptObject(PageEntryFields.Length);
        foreach (var (name, value) in PageEntryFields)
        {
            entry[name] = value(e.Pages[i]);
        }

        return ScriptModels.Freeze(entry);
    }));

    private (ScriptObject Model, PageListView Pages) EditionModel(SeatPlan seat, SeatEdition edition, IEnumerable<PageTranslation> translations, string title, string? description, string url, string ogType)
    {
        var model = RootModel(title, description, url, ogType, edition.Language);
        var pages = new PageListView(PageEntries(edition));
        model["constituency"] = seat.Model;
        model["home_url"] = edition.HomeUrl;
        model["strings"] = StringsModel(edition.Language, seat.Seat.Name);
        model["feeds"] = new ScriptArray(_feedLinks.GetOrAdd(edition, e =>
            [.. FeedLinks(FeedPaths.For(e), Content.Strings.For(e.Language).Format("feed_title", seat: seat.Seat.Name, site: Content.Site.Title))]));
        model["pages"] = pages;
        model["translations"] = new ScriptArray(translations.Select(t => new ScriptObject
        {
            ["language"] = t.Language,
            ["name"] = Languages.NativeName(t.Language),
            ["dir"] = Languages.Direction(t.Language),
            ["title"] = t.Title,
            ["url"] = t.Url,
        }));
        return (model, pages);
    }

    private ScriptObject RootModel(string title, string? description, string url, string ogType, string? language = null)
    {
        language ??= Content.Site.Language;
        // Sized for what a page adds to it, so the dictionary under it is not grown for every page.
        return new ScriptObject(32)
        {
            ["site"] = _site,
            ["imprint"] = _imprint,
            ["language"] = language,
            ["language_name"] = Languages.NativeName(language),
            ["dir"] = Languages.Direction(language),
            ["head_title"] = title,
            ["description"] = description,
            ["canonical_url"] = url,
            ["og_type"] = ogType,
            ["hub_url"] = Content.Site.UrlFor("/"),
            ["constituency"] = null,
            ["translations"] = new ScriptArray(),
            ["feeds"] = new ScriptArray(),
            ["published_time"] = null,
            ["published_date"] = null,
            ["published_text"] = null,
            ["image_url"] = null,
            ["image_alt"] = null,
            ["strings"] = StringsModel(language, null),
        };
    }

    /// <summary>
    /// The layouts' own words in the page's language with what they can fill in already filled: the seat
    /// and site names, and on the hub the number of seats. Frozen and shared by the seat's pages.
    /// </summary>
    private ScriptObject StringsModel(string language, string? seat, int? count = null) =>
        count is null ? _strings.GetOrAdd((language, seat), key => BuildStrings(key.Language, key.Seat, null)) : BuildStrings(language, seat, count);

    private ScriptObject BuildStrings(string language, string? seat, int? count)
    {
        var table = Content.Strings.For(language);
        var model = new ScriptObject();
        foreach (var key in SiteStrings.English.Keys)
        {
            model[key] = table.Format(key, EscapeText, System.Net.WebUtility.HtmlEncode, seat, Content.Site.Title, count?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ScriptModels.Freeze(model);
    }

    // The strings reach layouts as HTML, safe in text and in double-quoted attributes; an apostrophe
    // needs no escape there and stays as written.
    private static string EscapeText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static ScriptArray FeedLinks(FeedPaths paths, string title) =>
    [
        ScriptModels.Freeze(new ScriptObject { ["type"] = "application/atom+xml", ["url"] = paths.AtomUrl, ["title"] = title }),
        ScriptModels.Freeze(new ScriptObject { ["type"] = "application/feed+json", ["url"] = paths.JsonUrl, ["title"] = title }),
    ];

    private string? Layout(string name, ScriptObject model, DiagnosticBag diagnostics, string forWhom, SourceLocation subject)
    {
        var layout = Content.Layouts[name];
        // A built-in layout is ours, not the editor's: a failure there is reported at what it was showing.
        var reportAt = layout.Origin.Path.StartsWith(LayoutSet.BuiltInPrefix, StringComparison.Ordinal) ? subject : (SourceLocation?)null;
        var items = Math.Max(
            (model["pages"] as PageListView)?.Size ?? (model["pages"] as ScriptArray)?.Count ?? 0,
            Math.Max((model["constituencies"] as ScriptArray)?.Count ?? 0, (model["boroughs"] as ScriptArray)?.Count ?? 0));
        var html = _renderer.Sandbox.Render(layout, model, diagnostics, forWhom, Content.Layouts, items, reportAt);
        if (html is null)
        {
            return null;
        }

        var check = VisibleText.Check(html, _imprintText, _imprintVisible);
        if (check.TooDeep)
        {
            diagnostics.ErrorFor(forWhom, reportAt ?? layout.Origin, "layout-depth",
                $"the layout {name} renders elements nested more than {VisibleText.MaxDepth.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} deep, too deep to check for the imprint.",
                "Close each element the layout opens; a loop that opens an element without closing it nests one more each time round.");
            return null;
        }

        foreach (var id in check.DuplicateIds)
        {
            // Headings take their id from their text, so a heading "Main" can take the layout's own id.
            diagnostics.Warning(subject, "duplicate-id",
                $"the id '{id}' appears more than once on the page; links to it, the skip link included, reach only the first.",
                "Rename the heading whose text gives that id, or change the layout's id.");
        }

        if (!check.Shows)
        {
            // The imprint is a legal requirement of every page, so a layout that drops or hides it cannot publish.
            if (Content.Layouts.ImprintDroppedBy(name) is { } partial)
            {
                diagnostics.Error(Content.Layouts[partial].Origin, "missing-imprint",
                    $"{partial} no longer shows the imprint, which every published page must carry: the layouts that include it take it from here.",
                    "Put back <p class=\"imprint\">{{ imprint.text | html.escape }}</p>, as visible text (not in a comment, script, template or hidden element).");
                return null;
            }

            diagnostics.Error(layout.Origin, "missing-imprint",
                $"the layout {name} does not show the imprint as visible text, which every published page must carry.",
                "Include {{ imprint.text | html.escape }} in the page's visible text (not in a comment, script, template or hidden element), e.g. through partials/footer.html.");
            return null;
        }

        var hiding = _imprintStyles.Hiding(html, _imprintHtml, _imprintVisible);
        foreach (var (rule, element) in hiding)
        {
            diagnostics.Error(rule.At, "imprint-hidden-by-style",
                $"the rule for '{rule.Source}' hides {element}, which holds the imprint (removed, faded, shrunk, clipped, moved out of view or reordered).",
                "Narrow the rule so it reaches neither the imprint nor an element around it (give what it should hide a class of its own), or move the imprint out of what it hides: the law asks for the imprint on every page, not merely in its markup.");
        }

        return hiding.Count > 0 ? null : html;
    }

    /// <summary>A parsed body and the HTML each combination of kept audience blocks gives.</summary>
    internal sealed class ParsedBody(MarkdownDocument document, IReadOnlyList<AudienceBlock> blocks, Range? unsafeBlocks)
    {
        private readonly ConcurrentDictionary<string, string> _htmlByKept = new(StringComparer.Ordinal);

        public IReadOnlyList<AudienceBlock> Blocks => blocks;

        /// <summary>For each block in order, whether the seat keeps it.</summary>
        public bool[] KeptBy(Constituency seat, RenderSession session)
        {
            var kept = new bool[blocks.Count];
            for (var i = 0; i < blocks.Count; i++)
            {
                kept[i] = session.RuleFor(blocks[i]).Includes(seat);
            }

            return kept;
        }

        public string HtmlFor(Constituency seat, RenderSession session)
        {
            if (blocks.Count == 0)
            {
                return _htmlByKept.GetOrAdd(string.Empty, _ => Render(_ => false, session));
            }

            var keeps = KeptBy(seat, session);
            var kept = new HashSet<CustomContainer>();
            for (var i = 0; i < blocks.Count; i++)
            {
                if (keeps[i])
                {
                    kept.Add(blocks[i].Container);
                }
            }

            var key = new string([.. keeps.Select(k => k ? '1' : '0')]);
            return _htmlByKept.GetOrAdd(key, _ => Render(kept.Contains, session));
        }

        private string Render(Func<CustomContainer, bool> keeps, RenderSession session)
        {
            var markdown = session._renderer.Markdown;
            if (unsafeBlocks is not { } range)
            {
                return markdown.Render(document, keeps);
            }

            var (start, end) = (range.Start.Value, range.End.Value);
            return markdown.Render(document, keeps, 0, start)
                   + session.Sanitize(markdown.Render(document, keeps, start, end))
                   + markdown.Render(document, keeps, end, document.Count);
        }
    }
}
