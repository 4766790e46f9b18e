using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Pipeline;

public enum PublishOutcome
{
    Published,

    /// <summary>The content has errors; nothing was written.</summary>
    ContentErrors,

    /// <summary>The run would delete more of the site than allowed; nothing was written.</summary>
    Refused,
}

public sealed record PublishResult(
    PublishOutcome Outcome,
    ImmutableArray<Diagnostic> Diagnostics,
    int Pages,
    int Seats,
    int Written,
    int Unchanged,
    int Deleted,
    TimeSpan Elapsed,
    string? Refusal = null)
{
    public bool Succeeded => Outcome == PublishOutcome.Published;

    public ImmutableArray<string> WrittenPaths { get; init; } = [];

    public ImmutableArray<string> DeletedPaths { get; init; } = [];

    /// <summary>Every page the site holds after the run, for ledgers and reports.</summary>
    public ImmutableArray<PublishedPage> PublishedPages { get; init; } = [];

    /// <summary>What the run did with each social post for each seat in its audience.</summary>
    public ImmutableArray<PostOutcome> Posts { get; init; } = [];

    /// <summary>How many records of the target's publication history the run changed.</summary>
    public int HistoryChanges { get; init; }

    /// <summary>What the run found or did for each delivery to a channel; empty where delivery is off (a local folder).</summary>
    public ImmutableArray<DeliveryReport> Deliveries { get; init; } = [];

    /// <summary>Where each seat's version of each page stands with its approval, where the site asks for pages to be approved.</summary>
    public ImmutableArray<Approvals.PageApproval> PageApprovals { get; init; } = [];

    /// <summary>The moment the run published for.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The run published as of a moment later than the clock: a rehearsal, which only a local folder accepts.</summary>
    public bool Rehearsal { get; init; }

    /// <summary>How late a post may still go out: the summary gives it as the reason a post was missed.</summary>
    public TimeSpan SocialGracePeriod { get; init; } = PostDelivery.DefaultGracePeriod;

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"Published {Pages:N0} {(Pages == 1 ? "page" : "pages")} for {Seats} {(Seats == 1 ? "constituency" : "constituencies")}: {Written:N0} {(Written == 1 ? "file" : "files")} written, {Unchanged:N0} unchanged, {Deleted:N0} deleted in {Elapsed.TotalSeconds:0.00} s.{PageApprovalSummary}{PostSummary}{DeliverySummary}{RehearsalSummary}");

    private string PageApprovalSummary => string.Concat(PageApprovals.Where(p => p.State.Status == Approvals.ApprovalStatus.Awaiting).GroupBy(p => p.Slug)
        .Select(g => string.Create(CultureInfo.InvariantCulture,
            $" Page {g.Key} for {g.Count()} seat{(g.Count() == 1 ? string.Empty : "s")}{(g.Any(p => p.KeptPublished) ? $" ({g.Count(p => p.KeptPublished)} kept as published)" : string.Empty)}: {(g.First().State with { MayApprove = [.. g.SelectMany(p => p.State.MayApprove).Distinct()], Voided = g.Any(p => p.State.Voided) }).Describe()}.")));

    private string DeliverySummary => Deliveries.IsEmpty
        ? string.Empty
        : $" Deliveries: {string.Join(", ", Deliveries.GroupBy(d => d.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {DeliveryStatuses.Name(g.Key)}"))} ({Deliveries.Count(d => d.SentByThisRun)} sent by this run).";

    private string RehearsalSummary => Rehearsal
        ? string.Create(CultureInfo.InvariantCulture, $" A rehearsal as of {Now.UtcDateTime:yyyy-MM-dd HH:mm}Z, later than now: this folder shows the site as it will be then; nothing went live.")
        : string.Empty;

    private string PostSummary => Posts.IsEmpty
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture,
            $" Social posts: {Posts.Count(p => p.SentByThisRun)} filed as documents under social/, {Posts.Count(p => p.Status == PostStatus.Published && !p.SentByThisRun)} filed before, {DueInRehearsal}{Posts.Count(p => p.Status == PostStatus.Scheduled && !(Rehearsal && p.Schedule <= Now))} scheduled, {Posts.Count(p => p.Status == PostStatus.AwaitingApproval)} awaiting approval, {Posts.Count(p => p.Status == PostStatus.Missed)} missed{MissedReason}, {Posts.Count(p => p.Status == PostStatus.Failed)} failed.{AwaitingSummary}{(Deliveries.IsEmpty ? " No platform was contacted." : string.Empty)}");

    /// <summary>
    /// A rehearsal files nothing, so a post due by its moment is still waiting on the clock; calling it
    /// scheduled would hide that the real run at that moment sends it.
    /// </summary>
    private string DueInRehearsal => Rehearsal
        ? string.Create(CultureInfo.InvariantCulture, $"{Posts.Count(p => p.Status == PostStatus.Scheduled && p.Schedule <= Now)} due by {Now.UtcDateTime:yyyy-MM-dd HH:mm}Z but not filed in a rehearsal, ")
        : string.Empty;

    /// <summary>
    /// Why a post was not sent: a first run over content whose posts are all past, the sample's among
    /// them, otherwise reads as if sending had failed.
    /// </summary>
    private string MissedReason => Posts.Count(p => p.Status == PostStatus.Missed) switch
    {
        0 => string.Empty,
        var missed => string.Create(CultureInfo.InvariantCulture,
            $" ({(missed == 1 ? "its" : "their")} time passed more than {Duration(SocialGracePeriod)} before this run: a post is never sent that late)"),
    };

    private static string Duration(TimeSpan span) => span.TotalHours is var hours && hours == Math.Floor(hours) && hours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{hours:0} {(hours == 1 ? "hour" : "hours")}")
        : Math.Ceiling(span.TotalMinutes) is var minutes && minutes == 1 ? "1 minute" : string.Create(CultureInfo.InvariantCulture, $"{minutes:0} minutes");

    private string AwaitingSummary => string.Concat(Posts.Where(p => p.Status == PostStatus.AwaitingApproval).GroupBy(p => p.PostId)
        .Select(g => $" {g.Key} for {g.Count()} seat{(g.Count() == 1 ? string.Empty : "s")}: {(g.First().Approval! with { MayApprove = [.. g.SelectMany(p => p.Approval!.MayApprove).Distinct()] }).Describe()}."));
}

/// <summary>A page as published: where it is and what it holds.</summary>
public sealed record PublishedPage(string Seat, string Slug, string Language, string Url, string Path, string Sha256, bool Written)
{
    /// <summary>When the page first appeared; the run's moment for a new page.</summary>
    public DateTimeOffset Published { get; init; }

    /// <summary>When the page's current article was first published.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The digest of the page's article (its fragment), which dates it: the page around it also shows the seat's other pages.</summary>
    public string ContentSha256 { get; init; } = string.Empty;
}

public sealed record PublishOptions
{
    /// <summary>The moment to publish for; pages are published when due at it. Default: the clock's now.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>A run that would delete more than this share of the files already published refuses, unless forced.</summary>
    public double MaxDeleteShare { get; init; } = 0.25;

    public bool Force { get; init; }

    public IProgress<PublishProgress>? Progress { get; init; }

    /// <summary>A social post this late or less still goes out; an older one is missed.</summary>
    public TimeSpan SocialGracePeriod { get; init; } = PostDelivery.DefaultGracePeriod;

    /// <summary>Where deliveries to the channels of channels.yaml are claimed and recorded; null (a local folder, a rehearsal) contacts no platform.</summary>
    public IDeliveryLedger? Deliveries { get; init; }

    /// <summary>Names the run in what it sends, so a retried request knows its own work. Default: derived from the moment.</summary>
    public string? RunId { get; init; }

    /// <summary>Who asked for the run, when a person did (recorded with the run).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Renders pages awaiting approval as they stand, for previews, where they are reviewed; never for the live site.</summary>
    public bool IncludeUnapprovedPages { get; init; }

    /// <summary>The approvals given so far; without them, whatever needs approval is held.</summary>
    public Approvals.ApprovalBook? Approvals { get; init; }
}

public sealed record PublishProgress(string Step, int Done, int Total);

/// <summary>Counts work done on many threads and reports it in order, so the count shown never goes backwards.</summary>
public sealed class ProgressCounter(IProgress<PublishProgress>? progress, string step, int total, int every = 250)
{
    private readonly Lock _lock = new();
    private int _done;
    private int _reported;

    public int Done => Volatile.Read(ref _done);

    public void Step()
    {
        var count = Interlocked.Increment(ref _done);
        if (progress is null || (count % every != 0 && count != total))
        {
            return;
        }

        lock (_lock)
        {
            if (count > _reported)
            {
                _reported = count;
                progress.Report(new PublishProgress(step, count, total));
            }
        }
    }
}
