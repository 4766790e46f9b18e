using System.Collections.Immutable;
using System.Diagnostics;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Publishes to a local folder as <see cref="Publisher"/> does, but first compares the run's
/// <see cref="PublishFingerprint"/> with the one the folder keeps from its last complete run: the
/// same inputs, no scheduled time passed since, and the folder's files as that run left them mean
/// the site is already what this run would make, so it stops there and writes nothing.
/// </summary>
public sealed class FolderPublisher(Lazy<Publisher> publisher, Lazy<ContentLoader> loader, TimeProvider clock)
{
    /// <summary>
    /// Reads the content and publishes it. The fingerprint is taken of the files as read, so a run
    /// that finds the folder as the same files left it stops before parsing a page, and reports the
    /// warnings that run kept.
    /// </summary>
    public async Task<PublishResult> PublishAsync(IContentSource source, LocalFolderTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var files = await source.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        PublishResult result;
        if (options.Deliveries is null && target.HasFingerprint)
        {
            var now = options.Now ?? clock.GetUtcNow();
            await using var hold = await target.LockAsync(cancellationToken).ConfigureAwait(false);
            var digest = ContentLoader.DigestOf(files);
            var last = await target.ReadFingerprintAsync(PublishFingerprint.Before(digest, options, now), cancellationToken).ConfigureAwait(false);
            result = last is not null && last.ContentRoot == source.DisplayRoot
                ? Unchanged(last, now, options)
                : await PublishAsync(loader.Value.Load(files, source.DisplayRoot, digest), source.DisplayRoot, target, options, new Lookup(last), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            result = await PublishAsync(loader.Value.Load(files, source.DisplayRoot), source.DisplayRoot, target, options, null, cancellationToken).ConfigureAwait(false);
        }

        return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
    }

    public Task<PublishResult> PublishAsync(SiteContent content, LocalFolderTarget target, PublishOptions options, CancellationToken cancellationToken) =>
        PublishAsync(content, null, target, options, cancellationToken);

    /// <summary>Publishes content already loaded from <paramref name="contentRoot"/>, the content folder as the editor named it (as its warnings name it), or null when not known.</summary>
    public async Task<PublishResult> PublishAsync(SiteContent content, string? contentRoot, LocalFolderTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await PublishAsync(content, contentRoot, target, options, null, cancellationToken).ConfigureAwait(false);
        return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
    }

    /// <param name="contentRoot">The content folder as the editor named it, kept with the run's warnings, or null when not known.</param>
    /// <param name="looked">What the folder was found to hold, when it was already looked at for these files: the last run that covers them, or null.</param>
    private async Task<PublishResult> PublishAsync(SiteContent content, string? contentRoot, LocalFolderTarget target, PublishOptions options, Lookup? looked, CancellationToken cancellationToken)
    {
        // With delivery on, the ledger decides what is left to send, so every such run looks.
        if (content.HasErrors || options.Deliveries is not null)
        {
            return await publisher.Value.PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);
        }

        var now = options.Now ?? clock.GetUtcNow();
        var fingerprint = PublishFingerprint.Of(content, options, now);
        await using var hold = await target.LockAsync(cancellationToken).ConfigureAwait(false);
        var covered = looked is not null ? looked.Covering : await target.ReadFingerprintAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (covered is { } last)
        {
            // The last run's warnings, naming files as this run names the content folder; when it is not
            // known how that run named it, only the content's own warnings, which this run has.
            var known = last with
            {
                ContentRoot = contentRoot,
                Diagnostics = last.ContentRoot == contentRoot ? last.Diagnostics
                    : last.ContentRoot is { } before && contentRoot is not null ? [.. last.Diagnostics.Select(d => Renamed(d, before, contentRoot))]
                    : content.Diagnostics,
            };
            if (contentRoot is not null && last.ContentRoot != contentRoot)
            {
                // Kept for the next run over these files, which can then stop before parsing them.
                await target.RememberAsync(known, cancellationToken).ConfigureAwait(false);
            }

            return Unchanged(known, now, options);
        }

        var result = await publisher.Value.PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);

        // A failed post is tried again by the next run, and a held one once approved, so only a run that left nothing waiting vouches for the folder.
        if (result.Succeeded && !result.Posts.Any(p => p.Status is PostStatus.Failed or PostStatus.AwaitingApproval))
        {
            var run = fingerprint with { Pages = result.Pages, Seats = result.Seats, Files = result.Written + result.Unchanged };
            // Every warning of the run, not only the content's: the same files and options, before the
            // next scheduled moment, plan and build the same site, so a run stopped here says what a full one would.
            // The posts as a later run over the same files finds them: those this run filed, filed before.
            var posts = result.Posts.Select(p => p with { SentByThisRun = false, Attempted = false, Error = null }).ToImmutableArray();
            await target.RememberAsync(new CompletedRun(run, contentRoot, result.Diagnostics) { Posts = posts }, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The warning naming its file under <paramref name="after"/>, as the loader names files under the content folder, where it named it under <paramref name="before"/>.</summary>
    private static Diagnostic Renamed(Diagnostic diagnostic, string before, string after)
    {
        var path = diagnostic.Location.Path;
        var prefix = before.Length == 0 ? string.Empty : before.TrimEnd('/') + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return diagnostic;
        }

        var relative = path[prefix.Length..];
        return diagnostic with { Location = diagnostic.Location with { Path = after.Length == 0 ? relative : $"{after.TrimEnd('/')}/{relative}" } };
    }

    private PublishResult Unchanged(CompletedRun last, DateTimeOffset now, PublishOptions options) =>
        new(PublishOutcome.Published, last.Diagnostics, last.Fingerprint.Pages, last.Fingerprint.Seats, 0, last.Fingerprint.Files, 0, TimeSpan.Zero)
        {
            Posts = last.Posts,
            Now = now,
            Rehearsal = now > clock.GetUtcNow(),
            SocialGracePeriod = options.SocialGracePeriod,
        };

    /// <summary>What a look at the folder found: the last run, when it covers this one.</summary>
    private sealed record Lookup(CompletedRun? Covering);
}
