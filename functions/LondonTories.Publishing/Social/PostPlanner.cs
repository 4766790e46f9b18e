using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using LondonTories.Publishing.Templates;
using Markdig.Syntax;
using Scriban.Runtime;

namespace LondonTories.Publishing.Social;

/// <summary>A post's text in one language for one seat, as it goes out.</summary>
public sealed record PostVersion(string Language, string Text, string? Link, string Message, ImmutableSortedDictionary<string, int> Lengths);

/// <summary>One post as one seat sends it: its text in each language the seat publishes, the imprint and where it is filed.</summary>
public sealed record SeatPost(PostFile Post, Constituency Seat, Imprint Imprint, PostVersion Main, ImmutableArray<PostVersion> Translations, string Path)
{
    public string Id => Post.Id;

    public DateTimeOffset Schedule => Post.Schedule;

    /// <summary>A digest of every message the seat sends, to notice edits after the post went out.</summary>
    public string TextSha256 { get; init; } = string.Empty;

    /// <summary>The SHA-256 of the post's picture, when it has one: an approval binds to the picture, not only to its name.</summary>
    public string? MediaSha256 { get; init; }

    /// <summary>
    /// Each account of channels.yaml that sends the seat's post, as it is set up: whom it goes out as,
    /// which ad account pays for its ad and how far the ad reaches. An approval binds to them too.
    /// </summary>
    public string Accounts { get; init; } = string.Empty;

    public IEnumerable<PostVersion> Versions => Translations.Insert(0, Main);

    /// <summary>Where a seat's post is filed, under the London day it goes out: <c>social/yyyy/MM/dd/post-id/seat.json</c>.</summary>
    public static string PathFor(DateTimeOffset londonDay, string postId, string seat) => string.Create(CultureInfo.InvariantCulture, $"social/{londonDay:yyyy'/'MM'/'dd}/{postId}/{seat}.json");

    /// <summary>The post id and seat a path made by <see cref="PathFor"/> names, on whatever day; null for any other path.</summary>
    public static (string Id, string Seat)? Filed(string path) =>
        path.StartsWith("social/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal) && path.Split('/') is [_, _, _, _, var id, var document]
            ? (id, document[..^".json".Length])
            : null;
}

/// <summary>Every post for every seat in its audience, rendered and checked, and what each channel of channels.yaml would receive.</summary>
public sealed record PostPlan(ImmutableArray<SeatPost> Posts)
{
    public ImmutableArray<PlannedDelivery> Deliveries { get; init; } = [];
}

/// <summary>
/// Localises social posts per seat with the pages' machinery: the same template model and sandbox,
/// the same audience blocks, and links resolved to the page each seat gets at the post's time. Checks
/// the imprint, each platform's length and each link, reporting problems as diagnostics.
/// </summary>
public sealed class PostPlanner(MarkdownRenderer markdown, TemplateSandbox sandbox)
{
    /// <param name="settledBefore">
    /// Posts scheduled before this moment went out or were missed and go out no more: a problem with
    /// their link is a warning, so drafting or removing a page never waits on an edit of old posts.
    /// </param>
    public PostPlan Plan(SiteContent content, DiagnosticBag diagnostics, DateTimeOffset? settledBefore = null)
    {
        var site = content.Site;
        var siteModel = ScriptModels.Site(site);
        var selectors = new SelectorParser(content.Constituencies);
        var slugs = content.Pages.Where(p => !p.IsTranslation).Select(p => p.Slug).ToHashSet(StringComparer.Ordinal);
        var posts = new List<SeatPost>();
        foreach (var post in content.Posts)
        {
            var settled = post.Schedule < settledBefore;
            void LinkProblem(string? seat, string code, string message, string hint) => diagnostics.Add(settled
                ? new Diagnostic(post.LinkLocation, code, $"{message} The post's time has passed, so it goes out no more; its filed copy has no link.", hint, DiagnosticSeverity.Warning)
                : new Diagnostic(post.LinkLocation, code, message, hint) { Subjects = seat is null ? [] : [seat] });

            var link = CheckLink(content, post, slugs, LinkProblem);
            var imprint = post.Imprint ?? site.Imprint;
            var mediaSha256 = post.Media is { } media && content.StaticFile(media) is { } picture ? Hashing.Sha256Hex(picture.Bytes) : null;
            var london = SiteClock.ToLocal(post.Schedule, site.TimeZone);
            foreach (var seat in content.Constituencies.Where(post.Audience.Includes))
            {
                var seatModel = ScriptModels.Constituency(seat, site.UrlFor($"/{seat.Slug}/"));
                PageLink? mainPage = null;
                if (link is not null)
                {
                    mainPage = PageChoice.For(content, seat, link, site.Language, post.Schedule);
                    if (mainPage is null)
                    {
                        LinkProblem(seat.Slug, "link-not-published",
                            string.Create(CultureInfo.InvariantCulture, $"link: the page '{link}' is not published for this seat at the post's time ({london:yyyy-MM-dd HH:mm} {SiteClock.TimeName(site.TimeZone)})."),
                            "Link a page the seat gets at that time, or narrow the post's audience to the seats that get it.");
                    }
                }

                var main = Render(post, post.Body, seat, seatModel, siteModel, site.Language, mainPage, imprint, selectors, content, slugs, diagnostics);
                if (main is null)
                {
                    continue;
                }

                // Audience blocks or a template can leave a seat no words, and then only the link and the imprint would go out.
                void NoText(PostVersion version, SourceLocation origin)
                {
                    if (version.Text.Trim().Length > 0)
                    {
                        return;
                    }

                    var message = $"the post has no text{(version.Language == site.Language ? string.Empty : $" in '{version.Language}'")} for this seat: its audience blocks or template leave it nothing, so only the link and the imprint would go out.";
                    const string hint = "Write text outside the audience blocks, or narrow the post's 'audience' to the seats its text is for.";
                    diagnostics.Add(settled
                        ? new Diagnostic(origin, "empty-post", $"{message} The post's time has passed, so it goes out no more.", hint, DiagnosticSeverity.Warning) { Subjects = [seat.Slug] }
                        : new Diagnostic(origin, "empty-post", message, hint) { Subjects = [seat.Slug] });
                }

                NoText(main, post.Body.Origin);

                var translations = new List<PostVersion>();
                foreach (var language in seat.Languages.Where(post.Translations.ContainsKey).Order(StringComparer.Ordinal))
                {
                    var page = link is null ? null : PageChoice.For(content, seat, link, language, post.Schedule) ?? mainPage;
                    if (Render(post, post.Translations[language], seat, seatModel, siteModel, language, page, imprint, selectors, content, slugs, diagnostics) is { } version)
                    {
                        NoText(version, post.Translations[language].Origin);
                        translations.Add(version);
                    }
                }

                var seatPost = new SeatPost(post, seat, imprint, main, [.. translations], SeatPost.PathFor(london, post.Id, seat.Slug));
                foreach (var version in seatPost.Versions)
                {
                    foreach (var (platform, length) in version.Lengths)
                    {
                        var limit = SocialPlatforms.Get(platform).Limit;
                        if (length > limit)
                        {
                            diagnostics.Error(post.Location, "post-too-long",
                                $"for {seat.Slug}{(version.Language == site.Language ? string.Empty : $" in '{version.Language}'")} the post with its link and imprint is {length} characters on {platform}, over its limit of {limit}.",
                                $"Shorten the text by {length - limit} character{(length - limit == 1 ? string.Empty : "s")}, or leave {platform} out of 'platforms'.");
                        }

                        // Threads refuses a post of more addresses at its container, after the approvals and the wait for its time.
                        if (SocialPlatforms.Get(platform).LinkLimit is { } linkLimit && SocialPlatforms.DistinctLinks(version.Message) is var links && links > linkLimit)
                        {
                            diagnostics.Error(post.Location, "post-too-many-links",
                                $"for {seat.Slug}{(version.Language == site.Language ? string.Empty : $" in '{version.Language}'")} the post with its link has {links} different web addresses on {platform}, over its limit of {linkLimit}.",
                                $"Leave out {links - linkLimit} of the addresses in the text (the seat's page is one of them), or leave {platform} out of 'platforms'.");
                        }

                        // The post lexicon limits bytes as well: emoji built of many code points reach it within the 300 characters.
                        if (SocialPlatforms.Get(platform).ByteLimit is { } byteLimit && Encoding.UTF8.GetByteCount(version.Message) is var bytes && bytes > byteLimit)
                        {
                            diagnostics.Error(post.Location, "post-too-long",
                                $"for {seat.Slug}{(version.Language == site.Language ? string.Empty : $" in '{version.Language}'")} the post with its link and imprint is {bytes} bytes of UTF-8 on {platform}, over its limit of {byteLimit}.",
                                $"Use fewer emoji or other characters made of several code points, or leave {platform} out of 'platforms'.");
                        }
                    }
                }

                posts.Add(seatPost with
                {
                    TextSha256 = Hashing.Sha256Hex(string.Join("\0", seatPost.Versions.Select(v => $"{v.Language}\0{v.Message}"))),
                    MediaSha256 = mediaSha256,
                    Accounts = AccountsOf(content.Channels, post, seat),
                });
            }
        }

        return new PostPlan([.. posts]) { Deliveries = DeliveryPlanner.Plan(posts, content, diagnostics) };
    }

    private static string AccountsOf(ImmutableArray<Channel> channels, PostFile post, Constituency seat)
    {
        var text = new StringBuilder();
        foreach (var platform in post.Platforms)
        {
            foreach (var channel in DeliveryPlanner.ChannelsFor(channels, platform, seat))
            {
                text.Append(channel.Id).Append('\0').Append(channel.Platform).Append('\0').Append(channel.ApiUrl.AbsoluteUri).Append('\0').Append(channel.Secret)
                    .Append('\0').Append(channel.AdRadiusKm.ToString("R", CultureInfo.InvariantCulture));
                foreach (var (field, value) in channel.Account)
                {
                    text.Append('\0').Append(field).Append('=').Append(value);
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static string? CheckLink(SiteContent content, PostFile post, IReadOnlySet<string> slugs, Action<string?, string, string, string> problem)
    {
        if (post.Link is not { } link)
        {
            return null;
        }

        if (!slugs.Contains(link))
        {
            // An old slug's address leads on to its page, but a post names the page it links to by its slug now.
            if (content.Pages.FirstOrDefault(p => !p.IsTranslation && p.Aliases.Any(a => a.Slug == link)) is { } renamed)
            {
                problem(null, "link-missing", $"link: '{link}' is an old slug of {renamed.Path}, which is published as '{renamed.Slug}' now.",
                    $"Link the page by its slug: link: {renamed.Slug}.");
            }
            else
            {
                var suggestion = DidYouMean.Suggest(link, slugs);
                problem(null, "link-missing", $"link: there is no page '{link}'.",
                    suggestion is null ? "Give the slug of a page under pages/." : DidYouMean.Hint(suggestion));
            }

            return null;
        }

        if (content.Pages.Where(p => !p.IsTranslation && p.Slug == link).All(p => p.Draft))
        {
            problem(null, "link-draft", $"link: the page '{link}' is a draft, so the post would link to nothing.",
                "Publish the page (remove 'draft: true') or link another one.");
            return null;
        }

        return link;
    }

    /// <summary>
    /// Gives each link to a path of the site its full address, as a post is read away from the site,
    /// and warns of one to a page the site does not have, and of one relative to a page, which a post is not.
    /// </summary>
    private static void SiteLinks(MarkdownDocument document, SourceLocation origin, Constituency seat, SiteContent content, IReadOnlySet<string> slugs, DiagnosticBag diagnostics)
    {
        foreach (var link in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => !l.IsImage && l.Url is { Length: > 0 }))
        {
            var url = link.Url!;
            // A path from the root is an absolute file URI to Uri on Linux, so the root is looked for first.
            if (url[0] == '#' || url.StartsWith("//", StringComparison.Ordinal) || (url[0] != '/' && Uri.TryCreate(url, UriKind.Absolute, out _)) || !LinkSchemes.IsAllowed(url))
            {
                continue;
            }

            if (url[0] != '/')
            {
                diagnostics.Add(new Diagnostic(origin, "relative-link",
                    $"the link '{url}' is relative, and a post has no page of its own for it to lead from, so it goes out as written and leads nowhere.",
                    "Write it from the site's root, e.g. '/{{ constituency.slug }}/housing/', or name the page in 'link:'.", DiagnosticSeverity.Warning)
                { Subjects = [seat.Slug] });
                continue;
            }

            link.Url = content.Site.UrlFor(url);
            var path = url.Split('?', '#')[0];
            var parts = path.Trim('/').Split('/');
            if (path.EndsWith('/') && parts.Length >= 2 && content.Constituencies.Any(s => s.Slug == parts[0]) && !slugs.Contains(parts[^1]))
            {
                var meant = DidYouMean.Suggest(parts[^1], slugs);
                diagnostics.Add(new Diagnostic(origin, "broken-link",
                    $"the link '{url}' leads to nothing this site publishes, so readers who follow it get 'not found'.",
                    meant is null ? "Pages are published at /<seat>/<slug>/; check the slug in the page's file." : $"Did you mean '/{{{{ constituency.slug }}}}/{meant}/'?", DiagnosticSeverity.Warning)
                { Subjects = [seat.Slug] });
            }
        }
    }

    private PostVersion? Render(
        PostFile post, TextTemplate body, Constituency seat, ScriptObject seatModel, ScriptObject siteModel, string language, PageLink? page,
        Imprint imprint, SelectorParser selectors, SiteContent content, IReadOnlySet<string> slugs, DiagnosticBag diagnostics)
    {
        var pageModel = new ScriptObject { ["slug"] = page?.File.Slug, ["url"] = page?.Url, ["title"] = page?.File.Slug };
        var model = ScriptModels.Body(seatModel, siteModel, pageModel, language);
        if (page is not null && sandbox.Render(page.File.Title, model, diagnostics, seat.Slug) is { } title)
        {
            pageModel["title"] = title.Trim();
        }

        model["post"] = ScriptModels.Freeze(new ScriptObject
        {
            ["id"] = post.Id,
            ["link"] = page?.Url,
            ["platforms"] = ScriptModels.Array(post.Platforms),
            ["schedule"] = SiteClock.ToLocal(post.Schedule, content.Site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        });
        if (sandbox.Render(body, model, diagnostics, seat.Slug) is not { } source)
        {
            return null;
        }

        if (markdown.Parse(source, body.Origin, diagnostics, seat.Slug) is not { } document)
        {
            return null;
        }

        var kept = AudienceBlock.FindAll(document).Where(b => b.RuleWith(selectors).Includes(seat)).Select(b => b.Container).ToHashSet();
        SiteLinks(document, body.Origin, seat, content, slugs, diagnostics);
        var text = PlainTextRenderer.Render(document, kept.Contains);
        var message = new StringBuilder(text);
        if (page is not null)
        {
            message.Append("\n\n").Append(page.Url);
        }

        message.Append("\n\n").Append(imprint.Text);
        var composed = message.ToString();
        var lengths = post.Platforms.Where(SocialPlatforms.IsKnown).Distinct().ToImmutableSortedDictionary(p => p, p => SocialPlatforms.Length(composed, p), StringComparer.Ordinal);
        return new PostVersion(language, text, page?.Url, composed, lengths);
    }
}
