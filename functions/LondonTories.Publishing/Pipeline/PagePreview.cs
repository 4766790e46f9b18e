using System.Collections.Immutable;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>A page an editor wants to see before it goes out: Markdown with front matter, for one seat.</summary>
public sealed record PreviewRequest(string Markdown, string Seat, string? Language = null, string? Path = null, DateTimeOffset? Now = null)
{
    /// <summary>Where a posted page sits when the request does not say: a new page beside the others.</summary>
    public const string DefaultPath = "pages/preview.md";
}

public enum PreviewStatus
{
    Rendered,

    /// <summary>The request itself is unusable (e.g. a path outside pages/).</summary>
    Invalid,

    /// <summary>The posted page or the content has errors, as a publish would report them.</summary>
    ContentErrors,

    UnknownSeat,

    /// <summary>The seat does not get this page in that language (audience, a more specific variant, no translation).</summary>
    NotForSeat,
}

public sealed record PreviewResult(PreviewStatus Status, string? Html, ImmutableArray<Diagnostic> Diagnostics, string? Problem = null);

/// <summary>
/// Renders one posted page for one seat exactly as a publish would (same loading, planning, layouts
/// and imprint check), against the rest of the content; writes nothing. A draft is shown as it will
/// look when it is no longer a draft, and an embargoed page as at its publish time.
/// </summary>
public sealed class PagePreview(ContentLoader loader, Planner planner, SiteRenderer renderer, TimeProvider clock)
{
    public async Task<PreviewResult> RenderAsync(IContentSource source, PreviewRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path ?? PreviewRequest.DefaultPath;
        if (!path.StartsWith("pages/", StringComparison.Ordinal) || !path.EndsWith(".md", StringComparison.Ordinal) || path.Contains("..", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            return new PreviewResult(PreviewStatus.Invalid, null, [], $"path '{path}' is not a page: give a path under pages/ ending in .md, such as pages/policy/housing.md.");
        }

        var files = (await source.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(f => f.Path != path)
            .Append(new ContentFile(path, Encoding.UTF8.GetBytes(request.Markdown)))
            .ToList();
        var content = loader.Load(files, source.DisplayRoot);
        var displayPath = source.DisplayRoot.Length == 0 ? path : $"{source.DisplayRoot.TrimEnd('/')}/{path}";
        if (content.HasErrors)
        {
            return new PreviewResult(PreviewStatus.ContentErrors, null, content.Diagnostics, "the content has errors, so a publish would not go out.");
        }

        if (content.Pages.FirstOrDefault(p => p.Path == displayPath) is not { } posted)
        {
            return new PreviewResult(PreviewStatus.ContentErrors, null, content.Diagnostics, "the posted page could not be read.");
        }

        var now = request.Now ?? clock.GetUtcNow();
        if (posted.PublishAt is { } publishAt && publishAt > now)
        {
            now = publishAt;
        }

        if (posted.ExpireAt is { } expireAt && expireAt <= now)
        {
            return new PreviewResult(PreviewStatus.NotForSeat, null, content.Diagnostics, $"the page expires at {expireAt:u}, so it would not be published then.");
        }

        content = content with { Pages = [.. content.Pages.Select(p => p.Path == displayPath ? p with { Draft = false } : p)] };
        var diagnostics = new DiagnosticBag();
        var plan = planner.Plan(content, now, diagnostics);
        if (diagnostics.HasErrors)
        {
            return new PreviewResult(PreviewStatus.ContentErrors, null, content.Diagnostics.AddRange(diagnostics.ToImmutableSorted()), "the content has errors, so a publish would not go out.");
        }

        if (plan.Seats.FirstOrDefault(s => s.Seat.Slug == request.Seat) is not { } seat)
        {
            var suggestion = DidYouMean.Suggest(request.Seat, plan.Seats.Select(s => s.Seat.Slug).ToList());
            return new PreviewResult(PreviewStatus.UnknownSeat, null, content.Diagnostics,
                $"there is no constituency '{request.Seat}'.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")}");
        }

        var language = request.Language ?? posted.Language ?? content.Site.Language;
        var edition = seat.Editions.FirstOrDefault(e => e.Language == language);
        if (edition?.Pages.FirstOrDefault(p => p.File.Path == displayPath) is not { } page)
        {
            return new PreviewResult(PreviewStatus.NotForSeat, null, content.Diagnostics,
                $"{request.Seat} would not publish this page in '{language}': its audience leaves the seat out, a more specific variant wins there, or the seat does not publish that language.");
        }

        var html = renderer.Begin(plan.Content, plan.Seats).RenderPage(seat, edition, page, diagnostics, now);
        return html is null || diagnostics.HasErrors
            ? new PreviewResult(PreviewStatus.ContentErrors, null, content.Diagnostics.AddRange(diagnostics.ToImmutableSorted()), "the page cannot be rendered for this seat.")
            : new PreviewResult(PreviewStatus.Rendered, html, content.Diagnostics.AddRange(diagnostics.ToImmutableSorted()));
    }
}
