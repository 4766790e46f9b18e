using System.Diagnostics;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Publishes to a local folder as <see cref="Publisher"/> does, but first compares the run's
/// <see cref="PublishFingerprint"/> with the one the folder keeps from its last complete run: the
/// same inputs, no scheduled time passed since, and the folder's files as that run left them mean
/// the site is already what this run would make, so it stops there and writes nothing.
/// </summary>
public sealed class FolderPublisher(Publisher publisher, TimeProvider clock)
{
    public async Task<PublishResult> PublishAsync(IContentSource source, LocalFolderTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var content = await publisher.LoadAsync(source, cancellationToken).ConfigureAwait(false);
        var result = await PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);
        return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
    }

    public async Task<PublishResult> PublishAsync(SiteContent content, LocalFolderTarget target, PublishOptions options, CancellationToken cancellationToken)
    {
        // With delivery on, the ledger decides what is left to send, so every such run looks.
        if (content.HasErrors || options.Deliveries is not null)
        {
            return await publisher.PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var now = options.Now ?? clock.GetUtcNow();
        var fingerprint = PublishFingerprint.Of(content, options, now);
        await using var hold = await target.LockAsync(cancellationToken).ConfigureAwait(false);
        if (await target.ReadFingerprintAsync(fingerprint, cancellationToken).ConfigureAwait(false) is { } last)
        {
            return new PublishResult(PublishOutcome.Published, content.Diagnostics, last.Pages, last.Seats, 0, last.Files, 0, Stopwatch.GetElapsedTime(started))
            {
                Now = now,
                Rehearsal = now > clock.GetUtcNow(),
            };
        }

        var result = await publisher.PublishAsync(content, target, options, cancellationToken).ConfigureAwait(false);

        // A failed post is tried again by the next run, and a held one once approved, so only a run that left nothing waiting vouches for the folder.
        if (result.Succeeded && !result.Posts.Any(p => p.Status is PostStatus.Failed or PostStatus.AwaitingApproval))
        {
            await target.RememberAsync(fingerprint with { Pages = result.Pages, Seats = result.Seats, Files = result.Written + result.Unchanged }, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
