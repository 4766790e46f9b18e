using System.Collections.Concurrent;
using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The site's target, aware of rollbacks: when a rollback holds the site for the content as it is
/// now, the site's files are left exactly as the rollback restored them, while social posts still go
/// out as they fall due. The hold is looked up at the first change to the site, so a run that changes
/// nothing costs no extra request.
/// </summary>
internal sealed class HeldSiteTarget(ISiteTarget inner, PublicationLedger ledger, string contentDigest) : ISiteTarget
{
    private readonly Lock _gate = new();
    private readonly ConcurrentBag<string> _keptFromDeleting = [];
    private Task<string?>? _hold;

    public const string ExpiredWhileHeldCode = "expired-while-held";

    public string Description => inner.Description;

    /// <summary>The run the site was rolled back to, when that hold kept this run from changing the site.</summary>
    public string? RolledBackTo => _hold is { IsCompletedSuccessfully: true } hold ? hold.Result : null;

    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken) => inner.LockAsync(cancellationToken);

    /// <summary>
    /// The ledger is left as the rollback recorded it while the hold keeps the site: it tells what the
    /// site holds, not what the content would make. A run that tried no change to the site published
    /// exactly what it holds, so its pages are recorded as usual.
    /// </summary>
    public IPublicationHistory? History => inner.History is { } history ? new HeldHistory(this, history) : null;

    public Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

    public async Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        if (!IsSite(file.Path) || await HeldAtAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await inner.WriteAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken) => inner.CreateOnceAsync(file, runId, cancellationToken);

    public async Task RekeyAsync(OutputFile file, CancellationToken cancellationToken)
    {
        if (!IsSite(file.Path) || await HeldAtAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await inner.RekeyAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        if (!IsSite(path) || await HeldAtAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await inner.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _keptFromDeleting.Add(path);
        }
    }

    /// <summary>
    /// A warning for each page of <paramref name="content"/> that has expired by <paramref name="now"/>
    /// and that the hold kept published: the site cannot drop it without its indexes, which name it,
    /// and those are the rolled-back run's, so someone must end the hold.
    /// </summary>
    public ImmutableArray<Diagnostic> ExpiredWhileHeld(SiteContent content, DateTimeOffset now)
    {
        if (RolledBackTo is not { } runId || _keptFromDeleting.IsEmpty)
        {
            return [];
        }

        var kept = _keptFromDeleting.ToHashSet(StringComparer.Ordinal);
        var site = content.Site;
        var found = new DiagnosticBag();
        foreach (var page in content.Pages)
        {
            if (page.ExpireAt is not { } expiry || expiry > now)
            {
                continue;
            }

            var warning = new Diagnostic(page.Location, ExpiredWhileHeldCode,
                $"the page expired at {SiteClock.Text(expiry, site.TimeZone)}, but the site is held as rolled back to run {runId}, so it stays published.",
                "Publish the content once it is fixed, which ends the hold and takes the page down, or roll back to a run after its expiry.",
                DiagnosticSeverity.Warning);
            foreach (var seat in content.Constituencies.Where(s => kept.Contains("web" + PageChoice.Root(s, page.Slug, page.Language ?? site.Language, site) + "index.html")))
            {
                found.Add(warning with { Subjects = [seat.Slug] });
            }
        }

        return found.ToImmutableSorted();
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

    private Task<string?> HeldAtAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _hold ??= ReadHoldAsync(cancellationToken);
        }
    }

    private async Task<string?> ReadHoldAsync(CancellationToken cancellationToken) =>
        await ledger.ReadRollbackAsync(cancellationToken).ConfigureAwait(false) is { } hold && hold.ContentDigest == contentDigest ? hold.RunId : null;

    private static bool IsSite(string path) => path.StartsWith("web/", StringComparison.Ordinal);
}

/// <summary>A target's publication history that records nothing while a rollback holds the site.</summary>
internal sealed class HeldHistory(HeldSiteTarget target, IPublicationHistory inner) : IPublicationHistory
{
    public Task<IReadOnlyDictionary<string, PageHistory>> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

    public Task<int> RecordAsync(IReadOnlyList<PublishedPage> pages, string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        target.RolledBackTo is null ? inner.RecordAsync(pages, runId, at, cancellationToken) : Task.FromResult(0);
}
