using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// The publishing recipe: Load → Validate → Plan → Render → Outputs → Publish. Content errors stop the
/// run before anything is written; what the target already holds is only replaced file by file,
/// with the manifest written once every file it names is in place.
/// </summary>
public sealed class Publisher(ContentLoader loader, Planner planner, SiteBuilder builder, PostPlanner postPlanner, ScheduledPages scheduled, DeliveryRunner deliveries, TimeProvider clock)
{
    /// <summary>Files written or deleted at once: enough to keep a blob store busy, few enough for a disk.</summary>
    public const int WriteParallelism = 16;

    /// <summary>
    /// Checks content as a publish would, rendering every page in memory; writes nothing. A problem
    /// that stops a publish before rendering (a page or post that cannot be read, a title that cannot
    /// be written) hides no other file's: the next pass leaves out the files in error and renders the
    /// rest. When the site, its seats or its layouts cannot be read, there is nothing to render.
    /// </summary>
    public ImmutableArray<Diagnostic> Validate(SiteContent content, DateTimeOffset? now, CancellationToken cancellationToken = default)
    {
        var at = now ?? clock.GetUtcNow();
        var found = new DiagnosticBag();
        var rest = content;
        var leftOut = new HashSet<string>(StringComparer.Ordinal);
        for (var pass = 0; ; pass++)
        {
            var (_, build, _, diagnostics) = Prepare(rest, at, PostDelivery.DefaultGracePeriod, new Dictionary<string, TargetEntry>(), new Dictionary<string, PageHistory>(), null, null, null, DiagnosticSeverity.Error, cancellationToken);

            // A later pass repeats the first's warnings of what it read (kept once), and calls a link to a page it left out broken.
            foreach (var diagnostic in pass == 0 ? diagnostics : diagnostics.Where(d => !BodyLinks.LeadsToOneOf(d, leftOut)))
            {
                found.Add(diagnostic);
            }

            if (build is not null || pass == 2 || WithoutFilesInError(rest, diagnostics) is not { } next)
            {
                WarnOfSpendLimits(content, found);
                return found.ToImmutableSorted();
            }

            leftOut.UnionWith(LeftOutSlugs(rest, diagnostics));
            rest = next;
        }
    }

    /// <summary>
    /// Each spending limit of site.yaml that the sponsored posts' budgets go over (as <c>spend</c> counts
    /// them, before anything went out): their deliveries would be held at their time, never sent.
    /// </summary>
    private static void WarnOfSpendLimits(SiteContent content, DiagnosticBag diagnostics)
    {
        if (content.HasErrors)
        {
            return;
        }

        foreach (var check in SpendReport.Compute(content, null, null).Checks.Where(c => c.Level == SpendLevel.Reached))
        {
            diagnostics.Warning(check.Limit.Location, "spend-limit-reached", string.Create(CultureInfo.InvariantCulture,
                $"the spending limit '{check.Limit.Name}' is reached for {check.Subject}: £{check.Spend:N2} of £{check.Allowed:N2} ({100 * check.Share:N0}%)."),
                "Sponsored posts over it are held, never sent; cut budgets or audiences ('spend' shows every figure).");
        }
    }

    /// <summary>The slugs of the pages in error: those read, and, for one that could not be read, its file's name.</summary>
    private static IEnumerable<string> LeftOutSlugs(SiteContent content, ImmutableArray<Diagnostic> diagnostics)
    {
        var failed = diagnostics.Where(d => d.IsError).Select(d => d.Location.Path).ToHashSet(StringComparer.Ordinal);
        return content.Pages.Where(p => failed.Contains(p.Path)).Select(p => p.Slug)
            .Concat(failed.Select(path => Path.GetFileNameWithoutExtension(path).Split('.')[0]));
    }

    /// <summary>The content without the pages and posts in which <paramref name="diagnostics"/> found errors, or null when an error lies anywhere else.</summary>
    public static SiteContent? WithoutFilesInError(SiteContent content, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = content.DisplayRoot;
        var failed = diagnostics.Where(d => d.IsError).Select(d => d.Location.Path).ToHashSet(StringComparer.Ordinal);
        if (failed.Count == 0 || failed.Any(path => !path.StartsWith(root + "pages/", StringComparison.Ordinal) && !path.StartsWith(root + "social/", StringComparison.Ordinal)))
        {
            return null;
        }

        // A page left out takes its translations with it, as a translation of a page that cannot be read is never published.
        var slugs = content.Pages.Where(p => failed.Contains(p.Path)).Select(p => p.Slug).ToHashSet(StringComparer.Ordinal);
        return content with
        {
            Pages = [.. content.Pages.Where(p => !failed.Contains(p.Path) && !slugs.Contains(p.Slug))],
            Parts = [.. content.Parts.Select(part => part is PostContent social ? social with { Posts = [.. social.Posts.Where(p => !failed.Contains(p.Path))] } : part)],
            Diagnostics = [.. content.Diagnostics.Where(d => !d.IsError)],
        };
    }

    public Task<SiteContent> LoadAsync(IContentSource source, CancellationToken cancellationToken) => loader.LoadAsync(source, cancellationToken);

    public async Task<PublishResult> PublishAsync(IContentSource source, ISiteTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var content = await loader.LoadAsync(source, cancellationToken).ConfigureAwait(false);
        var result = await PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);
        return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>Publishes content already loaded, e.g. when the caller needed the site's time zone first.</summary>
    public async Task<PublishResult> PublishAsync(SiteContent content, ISiteTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (content.HasErrors)
        {
            // Content that cannot load never touches the target, not even to take its lock.
            return new PublishResult(PublishOutcome.ContentErrors, content.Diagnostics, 0, content.Constituencies.Length, 0, 0, 0, Stopwatch.GetElapsedTime(started));
        }

        await using var hold = await target.LockAsync(cancellationToken).ConfigureAwait(false);
        var readHistory = target.History?.ReadAsync(cancellationToken) ?? Task.FromResult<IReadOnlyDictionary<string, PageHistory>>(new Dictionary<string, PageHistory>());
        var held = await target.ReadAsync(cancellationToken).ConfigureAwait(false);
        var history = await readHistory.ConfigureAwait(false);
        var (plan, build, posts, diagnostics) = Prepare(content, options.Now ?? clock.GetUtcNow(), options.SocialGracePeriod, held, history, options.Progress, target.ReadNearby, target.Stage, DiagnosticSeverity.Warning, cancellationToken);
        if (plan is null || build is null || posts is null || diagnostics.Any(d => d.IsError))
        {
            return new PublishResult(PublishOutcome.ContentErrors, diagnostics, 0, content.Constituencies.Length, 0, 0, 0, Stopwatch.GetElapsedTime(started));
        }

        // A page that needs an approval it lacks is left out of the run: a new one is not published, and
        // one published before keeps exactly its published files, listed by the ledger as they are.
        var pageApprovals = options.IncludeUnapprovedPages ? [] : PageApprovals.StatesOf(plan, build, options.Approvals ?? ApprovalBook.Empty);
        var withheld = pageApprovals.Where(a => a.State.Status == ApprovalStatus.Awaiting).Select(a => (a.Slug, a.Seat)).ToHashSet();
        ImmutableArray<PlannedPage> kept = [];
        if (withheld.Count > 0)
        {
            kept = [.. plan.Seats.SelectMany(s => s.AllPages).Where(p => withheld.Contains((p.Slug, p.Seat.Slug)) && held.ContainsKey(p.Path))];
            var keptSeats = kept.Select(p => (p.Slug, p.Seat.Slug)).ToHashSet();
            pageApprovals = [.. pageApprovals.Select(a => keptSeats.Contains((a.Slug, a.Seat)) ? a with { KeptPublished = true } : a)];
            plan = PageApprovals.Without(plan, withheld);
            build = builder.Build(plan, held, options.Progress, history, target.ReadNearby, target.Stage, cancellationToken);
            diagnostics = diagnostics.AddRange(build.Diagnostics);
            if (build.HasErrors)
            {
                return new PublishResult(PublishOutcome.ContentErrors, diagnostics, 0, content.Constituencies.Length, 0, 0, 0, Stopwatch.GetElapsedTime(started));
            }
        }

        // A page kept as published keeps its old addresses (aliases) as published too.
        var keptPaths = kept.SelectMany(p => new[] { p.Path, SiteFeeds.FragmentPath(p) }.Concat(RedirectPage.PathsOf(p)))
            .ToHashSet(StringComparer.Ordinal);
        // Pages are counted apart as well: files added first (static/ ones are cheap) would make deleting every page a small share of all.
        // One page taken from every seat (one expiring on a small site) is not mass deletion.
        // One pass over what the target holds, a site's tens of thousands of paths, rather than one per count.
        var (stale, publishedBefore, pagesBefore, stalePages) = (new List<string>(), 0, 0, 0);
        foreach (var path in held.Keys)
        {
            if (!IsManaged(path))
            {
                continue;
            }

            var page = IsPage(path);
            publishedBefore++;
            pagesBefore += page ? 1 : 0;
            if (!build.AllFiles.ContainsKey(path) && !keptPaths.Contains(path))
            {
                stale.Add(path);
                stalePages += page ? 1 : 0;
            }
        }

        stale.Sort(StringComparer.Ordinal);
        var (deleting, of, what) = stalePages > Math.Max(options.MaxDeleteShare * pagesBefore, plan.Seats.Length)
            ? (stalePages, pagesBefore, "pages")
            : (stale.Count, publishedBefore, "files");
        if (!options.Force && of > 0 && deleting > options.MaxDeleteShare * of)
        {
            var refusal = string.Create(CultureInfo.InvariantCulture,
                $"this run would delete {deleting} of the {of} {what} published ({100.0 * deleting / of:0}%), " +
                $"more than the {100 * options.MaxDeleteShare:0.#}% allowed; nothing was changed. If that is intended, publish again with --force (?force=true over HTTP).");
            return new PublishResult(PublishOutcome.Refused, diagnostics, plan.PageCount, plan.Seats.Length, 0, 0, 0, Stopwatch.GetElapsedTime(started), refusal);
        }

        // New pages first (pages link each other), then the pages and files already published, then
        // the indexes that name them, then the manifest, stale files last: a run stopped at any point
        // leaves every index and every page reachable from the hub naming only files that exist.
        var writes = build.Changed;
        var named = plan.Seats.SelectMany(s => s.AllPages).Select(p => p.Path)
            .Concat(SiteBuilder.StaticFiles(content).Select(f => "web/" + f.Path))
            .ToHashSet(StringComparer.Ordinal);
        var writtenPaths = writes.Select(w => w.Path).Concat(build.ManifestChanged ? [build.Manifest.Path] : []).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var writtenSet = writtenPaths.ToHashSet(StringComparer.Ordinal);

        // What the run publishes, as its history and result tell it, is known before a file is written,
        // so it is described on a core the writes leave idle rather than after them, while the rest waits.
        var describing = Task.Run(() => PublishedPages(plan, build, writtenSet, kept, held, history), cancellationToken);
        var counter = new ProgressCounter(options.Progress, "write", writes.Length);
        target.WillWrite(writes);
        await WriteAllAsync(target, writes.Where(w => named.Contains(w.Path) && !held.ContainsKey(w.Path)), counter, cancellationToken).ConfigureAwait(false);
        await WriteAllAsync(target, writes.Where(w => named.Contains(w.Path) && held.ContainsKey(w.Path)), counter, cancellationToken).ConfigureAwait(false);
        await WriteAllAsync(target, writes.Where(w => !named.Contains(w.Path)), counter, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(build.Rekeyed, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (file, ct) => await target.RekeyAsync(file, ct).ConfigureAwait(false)).ConfigureAwait(false);

        if (build.ManifestChanged)
        {
            await target.WriteAsync(build.Manifest, cancellationToken).ConfigureAwait(false);
        }

        // A moment later than the clock's is a rehearsal: nothing goes out early, and so nothing is then missing at its real time.
        var realNow = clock.GetUtcNow();
        var rehearsal = plan.Now > realNow;
        var filed = FiledDocuments(held);
        var postOutcomes = rehearsal
            ? [.. posts.Posts.Select(p => FiledAs(filed, p) is { } path
                ? new PostOutcome(p.Id, p.Seat.Slug, path, PostStatus.Published, p.Schedule, p.TextSha256) { Source = p.Post.Path }
                : new PostOutcome(p.Id, p.Seat.Slug, p.Path, PostDelivery.StatusAt(p.Schedule, realNow, options.SocialGracePeriod, false) ?? PostStatus.Scheduled, p.Schedule, p.TextSha256) { Source = p.Post.Path })]
            : await SendPostsAsync(posts, content.Site, filed, target, plan.Now, options, cancellationToken).ConfigureAwait(false);
        var deliveryReports = options.Deliveries is { } ledger && !rehearsal
            ? await deliveries.RunAsync(posts, content, ledger, options.RunId ?? NewRunId(realNow), realNow, options.SocialGracePeriod, cancellationToken, options.Approvals).ConfigureAwait(false)
            : [];

        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (path, ct) => await target.DeleteAsync(path, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var publishedPages = await describing.ConfigureAwait(false);

        // Recorded at the run's own moment, the one the feeds were dated with, so the next run finds them true.
        // The history and the target's own record are separate files or tables, each written whole: side by side.
        var recording = target.History is { } targetHistory
            ? Task.Run(() => targetHistory.RecordAsync(publishedPages, options.RunId ?? RunIdFor(plan.Now), plan.Now, cancellationToken))
            : Task.FromResult(0);
        await Task.WhenAll(recording, Task.Run(() => target.CompleteAsync(cancellationToken))).ConfigureAwait(false);
        var historyChanges = await recording.ConfigureAwait(false);

        return new PublishResult(
            PublishOutcome.Published,
            diagnostics,
            plan.PageCount,
            plan.Seats.Length,
            writtenPaths.Length,
            build.AllFiles.Keys.Count(path => !writtenSet.Contains(path)),
            stale.Count,
            Stopwatch.GetElapsedTime(started))
        {
            WrittenPaths = writtenPaths,
            DeletedPaths = [.. stale],
            Now = plan.Now,
            Rehearsal = plan.Now > clock.GetUtcNow(),
            SocialGracePeriod = options.SocialGracePeriod,
            Posts = postOutcomes,
            PublishedPages = publishedPages,
            HistoryChanges = historyChanges,
            Deliveries = deliveryReports,
            PageApprovals = pageApprovals,
        };
    }

    /// <summary>Every page the run publishes, as written or found unchanged, then those kept as published.</summary>
    private static ImmutableArray<PublishedPage> PublishedPages(SitePlan plan, SiteBuild build, HashSet<string> written, ImmutableArray<PlannedPage> kept,
        IReadOnlyDictionary<string, TargetEntry> held, IReadOnlyDictionary<string, PageHistory> history) =>
    [
        .. plan.Seats.SelectMany(s => s.AllPages).Select(p =>
            new PublishedPage(p.Seat.Slug, p.Slug, p.Language, p.Url, p.Path, build.AllFiles[p.Path], written.Contains(p.Path))
            {
                Published = build.Dates[p.Path].Published,
                Updated = build.Dates[p.Path].Updated,
                ContentSha256 = build.AllFiles[SiteFeeds.FragmentPath(p)],
            }),
        .. kept.Select(p => KeptPage(p, held, history, plan.Now)),
    ];

    /// <summary>A page kept as published while its new version waits for approval: its published bytes and dates.</summary>
    private static PublishedPage KeptPage(PlannedPage page, IReadOnlyDictionary<string, TargetEntry> held, IReadOnlyDictionary<string, PageHistory> history, DateTimeOffset now)
    {
        var past = history.GetValueOrDefault(page.Path);
        var fragment = held.TryGetValue(SiteFeeds.FragmentPath(page), out var entry) ? entry.Sha256 : past?.ContentSha256 ?? string.Empty;
        return new PublishedPage(page.Seat.Slug, page.Slug, page.Language, page.Url, page.Path, held[page.Path].Sha256, false)
        {
            Published = past?.FirstPublished ?? now,
            Updated = past?.LastPublished ?? now,
            ContentSha256 = past?.ContentSha256 is { Length: > 0 } recorded ? recorded : fragment,
        };
    }

    /// <summary>
    /// Every seat's article of every page due at <paramref name="now"/>, rendered as a publish renders
    /// them, by page and seat: what an approval of a page binds to.
    /// </summary>
    public (ImmutableDictionary<string, ImmutableDictionary<string, ImmutableArray<PageArticle>>> Articles, SitePlan? Plan, ImmutableArray<Diagnostic> Diagnostics) PageArticles(SiteContent content, DateTimeOffset now)
    {
        var (plan, build, _, diagnostics) = Prepare(content, now, PostDelivery.DefaultGracePeriod, new Dictionary<string, TargetEntry>(), new Dictionary<string, PageHistory>(), null, null, null, scheduledSeverity: null);
        return plan is null || build is null || diagnostics.Any(d => d.IsError)
            ? (ImmutableDictionary<string, ImmutableDictionary<string, ImmutableArray<PageArticle>>>.Empty, plan, diagnostics)
            : (PageApprovals.Articles(plan, build), plan, diagnostics);
    }

    private static Task WriteAllAsync(ISiteTarget target, IEnumerable<OutputFile> files, ProgressCounter counter, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            await target.WriteAsync(file, ct).ConfigureAwait(false);
            counter.Step();
        });

    /// <summary>
    /// Sends every post that is due and within the grace period, each exactly once: a post whose file
    /// exists went out before and is never sent again, and the target's conditional create settles a
    /// race between runs. Posts are independent: one that fails is reported and retried next run.
    /// </summary>
    private static async Task<ImmutableArray<PostOutcome>> SendPostsAsync(
        PostPlan posts, Site site, FiledPosts filed, ISiteTarget target, DateTimeOffset now, PublishOptions options, CancellationToken cancellationToken)
    {
        var runId = options.RunId ?? RunIdFor(now);
        var outcomes = new PostOutcome[posts.Posts.Length];
        var approvals = options.Approvals ?? ApprovalBook.Empty;
        await Parallel.ForEachAsync(Enumerable.Range(0, outcomes.Length), new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var post = posts.Posts[i];
            var filedAs = FiledAs(filed, post);
            var outcome = new PostOutcome(post.Id, post.Seat.Slug, post.Path, PostStatus.Scheduled, post.Schedule, post.TextSha256) { Source = post.Post.Path };
            if (PostDelivery.StatusAt(post.Schedule, now, options.SocialGracePeriod, filedAs is not null) is { } status)
            {
                outcomes[i] = outcome with { Status = status, Path = filedAs ?? post.Path };
                return;
            }

            if (approvals.StateOf(site, posts, post) is { Status: ApprovalStatus.Awaiting } approval)
            {
                outcomes[i] = outcome with { Status = PostStatus.AwaitingApproval, Approval = approval };
                return;
            }

            try
            {
                var created = await target.CreateOnceAsync(OutputFile.From(post.Path, PostDelivery.Document(post, site, now)), runId, ct).ConfigureAwait(false);
                outcomes[i] = outcome with { Status = PostStatus.Published, Attempted = true, SentByThisRun = created };
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcomes[i] = outcome with { Status = PostStatus.Failed, Attempted = true, Error = exception.Message };
            }
        }).ConfigureAwait(false);
        return [.. outcomes];
    }

    /// <summary>The paths the target holds, and its post documents by post id and seat.</summary>
    private sealed record FiledPosts(IReadOnlyDictionary<string, TargetEntry> Held, IReadOnlyDictionary<(string Id, string Seat), string> ByPost);

    private static FiledPosts FiledDocuments(IReadOnlyDictionary<string, TargetEntry> held)
    {
        var byPost = new Dictionary<(string, string), string>();
        foreach (var path in held.Keys.Where(k => k.StartsWith("social/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (SeatPost.Filed(path) is { } filed)
            {
                byPost.TryAdd(filed, path);
            }
        }

        return new FiledPosts(held, byPost);
    }

    /// <summary>
    /// Where the seat's post went out: its own path, or the day it was filed under before its time
    /// moved to another, for a post is its id, as its deliveries are, and goes out once whenever it is.
    /// </summary>
    private static string? FiledAs(FiledPosts filed, SeatPost post) =>
        filed.Held.ContainsKey(post.Path) ? post.Path : filed.ByPost.GetValueOrDefault((post.Id, post.Seat.Slug));

    private static string RunIdFor(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd'T'HHmmss'Z'}-local");

    /// <summary>A run's id: the moment it started, to the second, and enough of a new GUID to tell apart runs started within it.</summary>
    internal static string NewRunId(DateTimeOffset started) => string.Create(CultureInfo.InvariantCulture, $"{started:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}")[..25];

    private (SitePlan? Plan, SiteBuild? Build, PostPlan? Posts, ImmutableArray<Diagnostic> Diagnostics) Prepare(
        SiteContent content, DateTimeOffset now, TimeSpan grace, IReadOnlyDictionary<string, TargetEntry> held, IReadOnlyDictionary<string, PageHistory> history, IProgress<PublishProgress>? progress,
        Func<string, string, byte[]?>? readHeld, Func<OutputFile, OutputFile>? stage, DiagnosticSeverity? scheduledSeverity, CancellationToken cancellationToken = default)
    {
        if (content.HasErrors)
        {
            return (null, null, null, content.Diagnostics);
        }

        var planDiagnostics = new DiagnosticBag();
        var plan = planner.Plan(content, now, planDiagnostics);
        var posts = postPlanner.Plan(content, planDiagnostics, settledBefore: now - grace);
        var planned = content.Diagnostics.AddRange(planDiagnostics.ToImmutableSorted());
        if (planned.Any(d => d.IsError))
        {
            return (plan, null, posts, planned);
        }

        var build = builder.Build(plan, held, progress, history, readHeld, stage, cancellationToken);
        var found = planned.AddRange(build.Diagnostics);
        if (scheduledSeverity is not { } severity)
        {
            return (plan, build, posts, found);
        }

        var ahead = scheduled.Check(content, now, severity, severity == DiagnosticSeverity.Error ? null : ScheduledPages.MomentsAPublishChecks).Where(d => !found.Any(f => f.Location == d.Location && f.Code == d.Code && f.Message == d.Message));
        return (plan, build, posts, found.AddRange(ahead));
    }

    /// <summary>Every post for every seat, rendered and checked, with the diagnostics of the content and the posts.</summary>
    public (PostPlan Posts, ImmutableArray<Diagnostic> Diagnostics) PlanPosts(SiteContent content)
    {
        var diagnostics = new DiagnosticBag();
        var posts = postPlanner.Plan(content, diagnostics);
        return (posts, content.Diagnostics.AddRange(diagnostics.ToImmutableSorted()));
    }

    /// <summary>The files a publish owns; anything else in the target is left alone.</summary>
    private static bool IsManaged(string path) => path.StartsWith("web/", StringComparison.Ordinal);

    /// <summary>A page of a seat, web/&lt;seat&gt;/&lt;slug&gt;/index.html or deeper, rather than the hub, a seat's home or an asset.</summary>
    private static bool IsPage(string path) => IsManaged(path) && path.EndsWith("/index.html", StringComparison.Ordinal) && path.AsSpan().Count('/') >= 3;
}
