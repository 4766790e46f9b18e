using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;

namespace LondonTories.Cli.Preview;

/// <summary>Where an output path comes from in a plan: a seat's home in one language, or one of its pages.</summary>
public sealed record PreviewRoute(SeatPlan Seat, SeatEdition Edition, PlannedPage? Page);

/// <summary>
/// The site for one version of the content at one moment. A full publish into a memory target runs
/// in the background, exactly as <c>publish</c> runs it; until it has finished, pages, seat homes
/// and the hub are rendered on request by the same render session, so the first page never waits
/// for the whole site.
/// </summary>
public sealed class PreviewRender
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly MemorySiteTarget? _target;
    private readonly Dictionary<string, PreviewRoute> _routes;
    private readonly Lazy<FrozenDictionary<string, byte[]>> _staticFiles;
    private readonly Lazy<Dictionary<string, PlannedPage>> _aliases;
    private readonly Lazy<SiteCoverage>? _coverage;

    private PreviewRender(long version, DateTimeOffset now, SiteContent content, SitePlan? plan, RenderSession? session, MemorySiteTarget? target, ImmutableArray<Diagnostic> diagnostics)
    {
        Version = version;
        Now = now;
        Content = content;
        Plan = plan;
        Session = session;
        _target = target;
        PlanDiagnostics = diagnostics;
        // Made again on every save, so a plain dictionary: frozen, a large site's paths took tens of milliseconds to index.
        _routes = plan is null
            ? []
            : plan.Seats.SelectMany(seat => seat.Editions.SelectMany(edition =>
                    edition.Pages.Select(page => (page.Path, Route: new PreviewRoute(seat, edition, page)))
                        .Append((Path: edition.HomePath, Route: new PreviewRoute(seat, edition, null)))))
                .ToDictionary(r => r.Path, r => r.Route, StringComparer.Ordinal);
        _staticFiles = new(() => SiteBuilder.StaticFiles(content).ToFrozenDictionary(f => "web/" + f.Path, f => f.Bytes, StringComparer.Ordinal));
        _aliases = new(() => plan is null ? [] : plan.Seats.SelectMany(seat => seat.AllPages)
            .SelectMany(page => RedirectPage.PathsOf(page).Select(path => (Path: path, Page: page)))
            .ToDictionary(a => a.Path, a => a.Page, StringComparer.Ordinal));
        _coverage = plan is null || session is null ? null : new(() => SiteCoverage.Measure(plan, session));
    }

    public long Version { get; }

    public DateTimeOffset Now { get; }

    public SiteContent Content { get; }

    /// <summary>Null when the content has errors that stop planning.</summary>
    public SitePlan? Plan { get; }

    public RenderSession? Session { get; }

    /// <summary>Problems found while loading and planning.</summary>
    public ImmutableArray<Diagnostic> PlanDiagnostics { get; }

    /// <summary>The background publish into memory; null when planning failed.</summary>
    public Task<PublishResult>? Publishing { get; private set; }

    /// <summary>A render of an earlier version still worth serving, while this one has errors.</summary>
    public PreviewRender? Fallback { get; private set; }

    public long LastUsed { get; set; }

    /// <summary>Planned without the pages and posts in error, whose errors <see cref="Errors"/> holds.</summary>
    public bool LeavesOut { get; private init; }

    public SiteCoverage? Coverage => _coverage?.Value;

    /// <summary>Every error known so far: loading, planning and, once it has finished, the full publish.</summary>
    public ImmutableArray<Diagnostic> Errors
    {
        get
        {
            var errors = PlanDiagnostics.Where(d => d.IsError);
            if (Publishing is { IsCompletedSuccessfully: true } publishing)
            {
                errors = errors.Concat(publishing.Result.Diagnostics.Where(d => d.IsError));
            }

            return [.. errors.Distinct()];
        }
    }

    /// <summary>Planned, and not found broken by the full publish.</summary>
    public bool IsGood => Plan is not null && !IsPublishedWithErrors && Publishing is not { IsFaulted: true };

    public IReadOnlyDictionary<string, PreviewRoute> Routes => _routes;

    private bool IsPublishedWithErrors => Publishing is { IsCompletedSuccessfully: true } p && !p.Result.Succeeded;

    private bool IsPublished => Publishing is { IsCompletedSuccessfully: true } p && p.Result.Succeeded;

    public static PreviewRender Failed(long version, DateTimeOffset now, SiteContent content, ImmutableArray<Diagnostic> diagnostics, PreviewRender? fallback) =>
        new(version, now, content, null, null, null, diagnostics) { Fallback = fallback };

    /// <summary>Plans the content and starts publishing it into <paramref name="target"/> in the background.</summary>
    /// <param name="leavesOut">The content planned lacks pages or posts in error: a page of theirs an earlier render has is still worth serving.</param>
    public static PreviewRender Start(long version, DateTimeOffset now, SiteContent content, SitePlan plan, RenderSession session, ImmutableArray<Diagnostic> diagnostics,
        MemorySiteTarget target, PreviewRender? fallback, Func<SiteContent, MemorySiteTarget, DateTimeOffset, CancellationToken, Task<PublishResult>> publish, bool leavesOut = false)
    {
        var render = new PreviewRender(version, now, content, plan, session, target, diagnostics) { Fallback = fallback, LeavesOut = leavesOut };
        render.Publishing = Task.Run(async () =>
        {
            var result = await publish(content, target, now, render._cancellation.Token).ConfigureAwait(false);
            if (result.Succeeded && !leavesOut)
            {
                // Published whole: nothing older is needed any more.
                render.Fallback = null;
            }

            return result;
        });
        return render;
    }

    /// <summary>A copy of what the finished publish holds, to seed the next version's target.</summary>
    public MemorySiteTarget? CopyTarget() => IsPublished ? _target!.Copy() : null;

    public void Cancel() => _cancellation.Cancel();

    /// <summary>The file at an output path such as <c>web/battersea/housing/index.html</c>, or null when the site has none.</summary>
    public async Task<OutputFile?> GetAsync(string path, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        if (IsPublished)
        {
            return _target!.TryGet(path, out var published) ? published : null;
        }

        if (Session is null)
        {
            return null;
        }

        string? html;
        if (_routes.TryGetValue(path, out var route))
        {
            html = route.Page is null
                ? Session.RenderSeatHome(route.Seat, route.Edition, diagnostics)
                : Session.RenderPage(route.Seat, route.Edition, route.Page, diagnostics);
        }
        else if (path == "web/index.html")
        {
            html = Session.RenderHub(diagnostics);
        }
        else if (path == "web/404.html")
        {
            html = Session.RenderNotFound(diagnostics);
        }
        else if (_staticFiles.Value.TryGetValue(path, out var bytes))
        {
            return OutputFile.From(path, bytes);
        }
        else if (_aliases.Value.TryGetValue(path, out var renamed))
        {
            return OutputFile.From(path, RedirectPage.For(renamed, Content.Site.Imprint));
        }
        else if (!WaitsForPublish(path) || Publishing is null)
        {
            return null;
        }
        else
        {
            // Indexes, feeds and the manifest describe the whole site, so they wait for the publish.
            try
            {
                await Publishing.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            return IsPublished && _target!.TryGet(path, out var file) ? file : null;
        }

        return html is null ? null : OutputFile.From(path, Encoding.UTF8.GetBytes(html));
    }

    /// <summary>
    /// Indexes, feeds, the manifest and pages' fragments come from the publish of the whole site, not
    /// from one page's render: a request for one waits for it (output paths such as <c>web/battersea/pages.json</c>).
    /// </summary>
    public static bool WaitsForPublish(string path) =>
        !path.EndsWith(".html", StringComparison.Ordinal) || path.EndsWith("/" + SiteFeeds.FragmentFileName, StringComparison.Ordinal);

    /// <summary>The route of the page or seat home at a root-relative URL path such as <c>/battersea/bn/</c>.</summary>
    public PreviewRoute? RouteOf(string urlPath) => _routes.GetValueOrDefault(PreviewPaths.OutputPath(urlPath));
}
