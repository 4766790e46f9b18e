using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Social;

/// <summary>
/// Social posts, the channels they go out on and the limits on what sponsoring them spends: read with the
/// rest of the content and the same front matter rules as pages, into the same diagnostics.
/// </summary>
public sealed partial class PostLoader(IBodyCheck bodies) : IContentPart
{
    public const string Folder = "social/";

    internal static readonly string[] PostKeys =
        ["id", "schedule", "platforms", "audience", "link", "media", "media_alt", "approved_by", "sponsored", "imprint"];

    private static readonly string[] SponsoredKeys = ["budget_gbp", "start", "end"];
    private static readonly string[] SpendLimitKeys = ["name", "from", "to", "fixed_gbp", "per_elector_gbp", "scope"];

    public bool Reads(string path) =>
        path == ChannelsFile || (path.StartsWith(Folder, StringComparison.Ordinal) && path.EndsWith(".md", StringComparison.Ordinal));

    public (string Code, string Message, string Hint)? Unread(string path, string? staticHint) =>
        path.StartsWith(Folder, StringComparison.Ordinal)
            ? ("not-a-post", "files under social/ should be Markdown (.md); this one is ignored.",
                staticHint is null
                    ? $"Rename it to {Path.GetFileNameWithoutExtension(path)}.md to make it a post, or move it out of social/."
                    : $"{staticHint} or attach it to a post with 'media: static/images/{Path.GetFileName(path)}'.")
            : null;

    public object Load(ContentReading reading)
    {
        var spendLimits = reading.SiteFields is { } siteFields ? ReadSpendLimits(siteFields, reading.Site.TimeZone, reading.Diagnostics) : [];
        var texts = reading.Texts;
        var posts = LoadPosts(texts, reading.Paths, reading.Display, reading.Site, reading.Selectors, reading.Diagnostics);
        var channels = LoadChannels(texts, reading.Display, reading.Selectors, reading.Diagnostics);
        return new PostContent(posts, channels, spendLimits);
    }

    /// <summary>
    /// The page slug at the end of <paramref name="link"/> where it is one of the site's own addresses
    /// (<c>/battersea/register/</c>, or under base_url), as an editor copies it from a seat's page.
    /// </summary>
    private static string? SlugOfAddress(string link, Site site)
    {
        var path = link.Split('?', '#')[0];
        if (path.StartsWith(site.BaseUrl + "/", StringComparison.OrdinalIgnoreCase))
        {
            path = path[site.BaseUrl.Length..];
        }
        else if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        // A page's address is its seat's and then its own; a seat's home alone names no page.
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && Slug.IsValid(segments[^1]) ? segments[^1] : null;
    }

    private ImmutableArray<PostFile> LoadPosts(
        IReadOnlyDictionary<string, string> texts, IReadOnlySet<string> allPaths, Func<string, string> display, Site site, SelectorParser selectors, DiagnosticBag diagnostics)
    {
        var originals = new Dictionary<string, PostFile>(StringComparer.Ordinal);
        var translations = new List<(string Path, string OriginalPath, string Language, string Text)>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in texts.Where(t => t.Key.StartsWith(Folder, StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (ContentLoader.IsDoubleExtension(path, display, diagnostics))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(path);
            var dot = name.LastIndexOf('.');
            if (dot > 0 && Languages.IsLanguageCode(name[(dot + 1)..]))
            {
                translations.Add((path, path[..(path.LastIndexOf('/') + 1)] + name[..dot] + ".md", name[(dot + 1)..], text));
                continue;
            }

            if (ParsePost(path, display(path), name, text, allPaths, site, selectors, diagnostics) is not { } post)
            {
                continue;
            }

            if (ids.TryGetValue(post.Id, out var first))
            {
                diagnostics.Error(post.Location, "duplicate-post", $"the post id '{post.Id}' is also used by {first}.",
                    "Give each post its own id: it names the post's files and its ledger entries.");
                continue;
            }

            ids[post.Id] = post.Path;
            originals[path] = post;
        }

        foreach (var (path, originalPath, language, text) in translations)
        {
            var displayPath = display(path);
            if (!originals.TryGetValue(originalPath, out var original))
            {
                diagnostics.Error(SourceLocation.StartOf(displayPath), "orphan-translation",
                    $"this is a '{language}' translation of {display(originalPath)}, which does not exist or has errors.",
                    $"Name a translation after the post it translates: <post>.{language}.md beside <post>.md.");
                continue;
            }

            if (language == site.Language)
            {
                diagnostics.Error(SourceLocation.StartOf(displayPath), "translation-language",
                    $"'{language}' is the site's own language; the original post already is the '{language}' version.");
                continue;
            }

            var body = text;
            var bodyLine = 1;
            if (FrontMatter.TrySplit(text, out var yaml, out var rest, out var restLine))
            {
                var yamlText = new YamlText(yaml, displayPath, 2, diagnostics);
                if (YamlFields.ParseMapping(yamlText, "front matter") is { } node)
                {
                    foreach (var (key, _) in node.Children)
                    {
                        diagnostics.Error(yamlText.LocationOf(key), "translation-key",
                            $"a post's translation holds only its text; '{key}' comes from {original.Path}.", "Remove the front matter, or change it in the original.");
                    }
                }

                (body, bodyLine) = (rest, restLine);
            }

            bodies.Check(body, bodyLine, displayPath, selectors, diagnostics, isPost: true);
            var template = TextTemplate.Parse(body.Trim('\n'), new SourceLocation(displayPath, bodyLine, 1), diagnostics);
            originals[originalPath] = original with { Translations = original.Translations.SetItem(language, template) };
        }

        return [.. originals.Values.OrderBy(p => p.Path, StringComparer.Ordinal)];
    }

    private PostFile? ParsePost(
        string path, string displayPath, string defaultId, string text, IReadOnlySet<string> allPaths, Site site, SelectorParser selectors, DiagnosticBag diagnostics)
    {
        if (ContentLoader.ReadFrontMatter(displayPath, text, "post", "schedule: 2026-11-30T09:00\nplatforms: [facebook, x]", diagnostics) is not var (fields, body, bodyLine))
        {
            return null;
        }

        fields.RejectUnknownKeys(PostKeys, "a post's front matter");

        var id = fields.String("id") ?? defaultId;
        if (!Slug.IsValid(id))
        {
            var location = fields.Has("id") ? fields.LocationOf(fields.Find("id")!) : SourceLocation.StartOf(displayPath);
            diagnostics.Error(location, "invalid-post-id", $"'{id}' is not a valid post id.",
                $"Post ids follow the slug rules. {Slug.Rule(id)}");
        }

        DateTimeOffset? schedule = null;
        if (fields.String("schedule", required: true, "a post's front matter") is { } scheduleText)
        {
            schedule = SiteClock.Parse(scheduleText, site.TimeZone, out var error);
            if (error is not null)
            {
                diagnostics.Error(fields.LocationOf(fields.Find("schedule")!), "invalid-time", $"schedule: {error}");
            }

            SiteClock.WarnIfDateAlone(fields, "schedule", scheduleText, endsSomething: false, diagnostics);
        }

        var platforms = fields.StringList("platforms");
        if (platforms.Count == 0)
        {
            diagnostics.Error(fields.Has("platforms") ? fields.LocationOf(fields.Find("platforms")!) : fields.Location, "missing-key",
                "'platforms' is required: the networks the post goes out on.", $"Add e.g. 'platforms: [facebook, x]'. Known: {string.Join(", ", SocialPlatforms.Names)}.");
        }

        foreach (var (platform, location) in platforms.Where(p => !SocialPlatforms.IsKnown(p.Value)))
        {
            var suggestion = SocialPlatforms.Suggest(platform, SocialPlatforms.Names);
            diagnostics.Error(location, "unknown-platform", $"unknown platform '{platform}'.",
                suggestion is null ? $"Known platforms: {string.Join(", ", SocialPlatforms.Names)}." : DidYouMean.Hint(suggestion));
        }

        var audience = ContentLoader.ReadAudience(fields, selectors, diagnostics);

        var link = fields.String("link");
        var linkLocation = link is null ? fields.Location : fields.LocationOf(fields.Find("link")!);
        if (link is not null && !Slug.IsValid(link.Trim('/')))
        {
            diagnostics.Error(linkLocation, "invalid-link", $"link '{link}' is not a page slug.",
                SlugOfAddress(link, site) is { } meant
                    ? $"Did you mean 'link: {meant}'? A post's link is a page's slug, and each seat's post links to that seat's own page."
                    : "Give the slug of a page under pages/, e.g. 'link: register-to-vote'; each seat's post links to that seat's own page.");
        }

        link = link?.Trim('/');
        var media = fields.String("media");
        var mediaPath = media?.TrimStart('/');
        // Without media, what asks for it is the platforms line.
        var mediaLocation = fields.Find(media is null ? "platforms" : "media") is { } mediaNode ? fields.LocationOf(mediaNode) : fields.Location;
        if (mediaPath is not null && (!mediaPath.StartsWith("static/", StringComparison.Ordinal) || mediaPath.Split('/').Any(p => p is "" or "." or "..") || mediaPath.Contains('\\', StringComparison.Ordinal)))
        {
            // Written as the address the file is published at, as pages' 'image:' is.
            diagnostics.Error(mediaLocation, "invalid-media", $"media '{media}' is not a file under static/.",
                allPaths.Contains("static/" + mediaPath) && !mediaPath.Split('/').Any(p => p is "" or "." or "..")
                    ? $"Did you mean 'static/{mediaPath}'? A post's media is named by its path in the content folder, under static/."
                    : "A post's media is a file under the content folder's static/, e.g. 'static/social/register.jpg'.");
        }
        else if (mediaPath is not null && !allPaths.Contains(mediaPath))
        {
            diagnostics.Error(mediaLocation, "missing-media", $"media '{media}' is not a file under the content folder.",
                "Give its path relative to the content folder, e.g. 'static/social/register.jpg'.");
        }

        var mediaAlt = ReadMediaAlt(fields, media, mediaLocation, diagnostics);
        var approvedBy = fields.String("approved_by");
        Sponsorship? sponsored = null;
        if (fields.Mapping("sponsored") is { } sponsoredFields)
        {
            sponsoredFields.RejectUnknownKeys(SponsoredKeys, "sponsored");
            var budget = sponsoredFields.Decimal("budget_gbp");
            if (budget is null && !sponsoredFields.Has("budget_gbp"))
            {
                diagnostics.Error(sponsoredFields.KeyLocation("budget_gbp"), "missing-key", "'budget_gbp' is required in sponsored: the spend per seat, in pounds.",
                    "Add e.g. 'budget_gbp: 40'.");
            }
            else if (budget is { } pounds && BudgetProblem(pounds) is var (problem, fix))
            {
                // Platforms take whole pence: anything else is rounded away at delivery, or too large to hand over at all.
                diagnostics.Error(sponsoredFields.LocationOf(sponsoredFields.Find("budget_gbp")!), "invalid-budget",
                    $"budget_gbp '{sponsoredFields.String("budget_gbp")}' {problem}", fix);
                budget = null;
            }

            var start = SponsoredTime(sponsoredFields, "start", site, diagnostics) ?? schedule;
            var end = SponsoredTime(sponsoredFields, "end", site, diagnostics);
            if (end is null && !sponsoredFields.Has("end"))
            {
                diagnostics.Error(sponsoredFields.KeyLocation("end"), "missing-key", "'end' is required in sponsored: when the paid promotion stops.",
                    "Add e.g. 'end: 2026-12-07T21:00'.");
            }

            string Local(DateTimeOffset instant) => SiteClock.ToLocal(instant, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            // Without a 'start' the promotion starts with the post, which the next check words as the editor wrote it.
            if (sponsoredFields.Has("start") && start is { } s && end is { } e && e <= s)
            {
                diagnostics.Error(sponsoredFields.KeyLocation("end"), "sponsored-window", "the promotion ends before it starts.", "Make 'end' later than 'start'.");
            }
            else if (schedule is { } due && end is { } over && over <= due)
            {
                // An ad runs from the post, so one that ends first is held at every run until the post is missed.
                diagnostics.Error(sponsoredFields.KeyLocation("end"), "sponsored-window",
                    $"the promotion ends at {Local(over)}, before the post goes out at {Local(due)} ({SiteClock.TimeName(site.TimeZone)}), so its ad could never run.",
                    "Make 'end' later than 'schedule'.");
            }
            else if (schedule is { } goesOut && sponsoredFields.Has("start") && start is { } early && early < goesOut)
            {
                // The ad is made with the post, so the days before it buy nothing, though the approval and spend reports show them.
                diagnostics.Warning(sponsoredFields.KeyLocation("start"), "sponsored-window",
                    $"the promotion starts at {Local(early)}, before the post goes out at {Local(goesOut)} ({SiteClock.TimeName(site.TimeZone)}), and its ad can run only from the post.",
                    "Take out 'start' (it defaults to the schedule) or make it the schedule or later.");
            }

            // When site.yaml asks for sponsored posts to be approved, the approvals table says who did, not the post.
            if (approvedBy is null && !site.Approval.Sponsored)
            {
                diagnostics.Error(fields.KeyLocation("sponsored"), "missing-approval",
                    "a sponsored post needs 'approved_by': who approved the spending.", "Add e.g. 'approved_by: Jane Smith (agent)'.");
            }

            // Only a Facebook Page runs a post's ad, yet the budget is approved and counted against the limits wherever the post goes.
            var known = platforms.Select(p => p.Value).Where(SocialPlatforms.IsKnown).ToList();
            if (known.Count > 0 && !known.Contains("facebook"))
            {
                diagnostics.Warning(fields.KeyLocation("sponsored"), "sponsored-unpaid",
                    $"only a Facebook Page runs a sponsored post's ad, so on {string.Join(", ", known)} this post goes out unpaid, while its budget still counts towards the spending limits.",
                    "Add facebook to 'platforms' for the ad, or take out 'sponsored:' to post it unpaid.");
            }

            sponsored = new Sponsorship(budget ?? 0, start ?? DateTimeOffset.MinValue, end ?? DateTimeOffset.MaxValue);
        }

        var imprint = fields.Mapping("imprint") is { } imprintFields ? ContentLoader.ReadImprint(imprintFields, "the post's imprint") : null;

        bodies.Check(body, bodyLine, displayPath, selectors, diagnostics, isPost: true);
        var bodyTemplate = TextTemplate.Parse(body.Trim('\n'), new SourceLocation(displayPath, bodyLine, 1), diagnostics);
        if (body.Trim().Length == 0)
        {
            diagnostics.Error(SourceLocation.StartOf(displayPath), "empty-post", "the post has no text.", "Write the post's text below the front matter.");
        }

        return schedule is null
            ? null
            : new PostFile(displayPath, id, schedule.Value, [.. platforms.Select(p => p.Value).Distinct()], audience, link, media?.TrimStart('/'),
                approvedBy, sponsored, imprint, bodyTemplate, ImmutableDictionary<string, TextTemplate>.Empty, linkLocation, mediaLocation)
            {
                MediaAlt = mediaAlt,
            };
    }

    /// <summary>Alt text above this is refused by X and past what Instagram documents; a description that long is better said in the post.</summary>
    public const int MostMediaAltCharacters = 1_000;

    /// <summary>
    /// The words for what the post's picture shows (<c>media_alt</c>), which Instagram and Threads give
    /// screen readers: a picture without them is a warning, as one in a page's body is.
    /// </summary>
    private static string? ReadMediaAlt(YamlFields fields, string? media, SourceLocation mediaLocation, DiagnosticBag diagnostics)
    {
        var alt = fields.String("media_alt");
        var altLocation = fields.Find("media_alt") is { } altNode ? fields.LocationOf(altNode) : mediaLocation;
        if (media is null)
        {
            if (alt is not null)
            {
                diagnostics.Warning(altLocation, "media-alt-without-media", "media_alt describes the post's picture, but the post has no 'media', so it goes nowhere.",
                    "Add the picture with 'media: static/social/<file>', or take out 'media_alt'.");
            }

            return null;
        }

        if (alt is null)
        {
            diagnostics.Warning(altLocation, "media-without-text",
                $"the post's picture '{Path.GetFileName(media)}' has no words for what it shows: where it goes out with the post, a screen reader announces it as an unnamed image.",
                "Add e.g. 'media_alt: Volunteers at the street stall outside the library', saying what the picture shows.");
            return null;
        }

        if (TextTemplate.ExpressionOpening(alt) is { } opening)
        {
            diagnostics.Error(altLocation, "invalid-media-alt", $"media_alt is sent as written, the same for every seat, so '{opening}' would go out as it stands.",
                "Say what the picture shows in plain words; a seat's name belongs in the post's text.");
            return null;
        }

        var length = new StringInfo(alt.Normalize()).LengthInTextElements;
        if (length > MostMediaAltCharacters)
        {
            diagnostics.Error(altLocation, "media-alt-too-long",
                string.Create(CultureInfo.InvariantCulture, $"media_alt is {length:N0} characters; the platforms that show it take at most {MostMediaAltCharacters:N0}."),
                "Describe the picture in fewer words; text in the picture that matters can go in the post itself.");
            return null;
        }

        return alt;
    }

    /// <summary>A sponsored post's budget per seat above this is surely a typo, and past what platforms take in pence.</summary>
    private const decimal MostBudgetGbp = 1_000_000m;

    /// <summary>A spending limit's sum or rate above this is surely a typo.</summary>
    private const decimal MostLimitGbp = 1_000_000_000m;

    /// <summary>A pound for each elector: statutory limits are a few pence.</summary>
    private const decimal MostPerElectorGbp = 1m;

    private static (string Problem, string Fix)? BudgetProblem(decimal pounds) =>
        pounds <= 0
            ? ("is nothing to spend: a sponsored post's budget must be above zero.", "Give the spend per seat in pounds, e.g. 'budget_gbp: 40', or take out 'sponsored:' to post it unpaid.")
            : pounds > MostBudgetGbp
                ? (string.Create(CultureInfo.InvariantCulture, $"is more than £{MostBudgetGbp:N0} a seat, which no sponsored post spends: it is surely a typo."), "Give the spend per seat in pounds, e.g. 'budget_gbp: 40' or 'budget_gbp: 2.50'.")
                : decimal.Truncate(pounds * 100) != pounds * 100
                    ? ("has part of a penny: platforms take budgets in whole pence.", "Write at most two decimal places, e.g. 'budget_gbp: 12.35'.")
                    : null;

    private static DateTimeOffset? SponsoredTime(YamlFields fields, string key, Site site, DiagnosticBag diagnostics)
    {
        if (fields.String(key) is not { } text)
        {
            return null;
        }

        var instant = SiteClock.Parse(text, site.TimeZone, out var error);
        if (error is not null)
        {
            diagnostics.Error(fields.LocationOf(fields.Find(key)!), "invalid-time", $"sponsored {key}: {error}");
        }

        SiteClock.WarnIfDateAlone(fields, key, text, endsSomething: key == "end", diagnostics);
        return instant;
    }

    private static ImmutableArray<SpendLimit> ReadSpendLimits(YamlFields fields, TimeZoneInfo zone, DiagnosticBag diagnostics)
    {
        if (fields.Find("spend_limits") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            diagnostics.Error(fields.LocationOf(node), "wrong-type", "'spend_limits' must be a list of limits, each with name, from, to, fixed_gbp and per_elector_gbp.");
            return [];
        }

        var limits = new List<SpendLimit>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                diagnostics.Error(fields.LocationOf(item), "wrong-type", "each spend limit must be a mapping of fields.");
                continue;
            }

            var limit = new YamlFields(mapping, fields.Text);
            limit.RejectUnknownKeys(SpendLimitKeys, "a spend limit");
            var name = limit.String("name", required: true, "a spend limit");
            DateTimeOffset? Read(string key)
            {
                if (limit.String(key, required: true, "a spend limit") is not { } text)
                {
                    return null;
                }

                var instant = SiteClock.Parse(text, zone, out var error);
                if (error is not null)
                {
                    diagnostics.Error(limit.LocationOf(limit.Find(key)!), "invalid-time", $"{key}: {error}");
                }

                return instant;
            }

            var from = Read("from");
            var to = Read("to");
            if (from is { } f && to is { } t && t <= f)
            {
                diagnostics.Error(limit.KeyLocation("to"), "spend-window", $"the spend limit '{name}' ends before it starts.", "Make 'to' later than 'from'.");
            }

            decimal Amount(string key)
            {
                if (limit.Decimal(key) is not { } pounds)
                {
                    return 0;
                }

                if (pounds > MostLimitGbp)
                {
                    // Multiplied by an electorate and summed, such a number overflows before any spending is set against it.
                    diagnostics.Error(limit.LocationOf(limit.Find(key)!), "invalid-limit",
                        string.Create(CultureInfo.InvariantCulture, $"{key} '{limit.String(key)}' is more than £{MostLimitGbp:N0}, which no spending limit is: it is surely a typo."),
                        "Give the limit in pounds, e.g. 'fixed_gbp: 11390' and 'per_elector_gbp: 0.08'.");
                    return 0;
                }

                return pounds;
            }

            var fixedGbp = Amount("fixed_gbp");
            var perElector = Amount("per_elector_gbp");
            if (perElector > MostPerElectorGbp)
            {
                // Limits set by law are pence for each elector: a rate in pounds is pence written as pounds.
                diagnostics.Warning(limit.LocationOf(limit.Find("per_elector_gbp")!), "unlikely-limit",
                    string.Create(CultureInfo.InvariantCulture, $"per_elector_gbp '{limit.String("per_elector_gbp")}' is £{perElector:0.00} for each elector, where limits set by law are pence: a seat of 75,000 electors could spend £{perElector * 75_000:N0} under it."),
                    "Give pounds for each elector: 0.08 for 8p.");
            }
            if (!limit.Has("fixed_gbp") && !limit.Has("per_elector_gbp"))
            {
                diagnostics.Error(limit.Location, "missing-key", $"the spend limit '{name}' needs fixed_gbp, per_elector_gbp or both.",
                    "A candidate's short-campaign limit is e.g. fixed_gbp: 11390 and per_elector_gbp: 0.08.");
            }

            var scopeText = limit.String("scope") ?? "seat";
            var scope = scopeText switch
            {
                "seat" => SpendLimitScope.Seat,
                "total" => SpendLimitScope.Total,
                _ => (SpendLimitScope?)null,
            };
            if (scope is null)
            {
                diagnostics.Error(limit.LocationOf(limit.Find("scope")!), "invalid-scope", $"scope '{scopeText}' is not 'seat' or 'total'.",
                    "'seat' sets each seat's spending against its own limit; 'total' sets the whole site's against one limit.");
            }

            if (name is not null && from is not null && to is not null && scope is not null)
            {
                limits.Add(new SpendLimit(name, from.Value, to.Value, fixedGbp, perElector, scope.Value, limit.Location));
            }
        }

        return [.. limits];
    }
}
