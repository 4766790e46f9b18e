using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// One publisher at a time: a run holds a lease on the <c>$web</c> container while it works and renews
/// it as it goes. A second run waits for it; a run that dies frees it when the lease runs out.
/// </summary>
public sealed class PublishLease(BlobContainerClient container, TimeSpan duration)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>Takes the lease, waiting up to <paramref name="wait"/> for another run to finish; null if it did not.</summary>
    public async Task<HeldLease?> AcquireAsync(TimeSpan wait, TimeProvider clock, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        var lease = container.GetBlobLeaseClient(Guid.NewGuid().ToString());
        while (true)
        {
            try
            {
                await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new HeldLease(lease, duration, clock);
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return null;
                }

                await Task.Delay(Poll, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// A lease being held: renewed in the background until disposed. <see cref="Lost"/> fires once the
/// lease can no longer be vouched for: storage refused a renewal, or none succeeded in time to keep
/// the lease from running out, so the run stops before another may take it.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    /// <summary>Failed renewals are tried again after this pause while the lease still holds.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly BlobLeaseClient _lease;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _renewing;

    internal HeldLease(BlobLeaseClient lease, TimeSpan duration, TimeProvider clock)
    {
        _lease = lease;
        _duration = duration;
        _clock = clock;
        _renewing = RenewAsync(clock.GetUtcNow() + duration);
    }

    /// <summary>Cancelled when the lease could not be kept, so the run stops before another may start.</summary>
    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        try
        {
            await _lease.ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // Already expired or taken, or storage out of reach: the lease runs out by itself, and the next run can start either way.
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    /// <param name="holdsUntil">When the lease runs out unless renewed: counted from before each request that renewed it, never from its answer.</param>
    private async Task RenewAsync(DateTimeOffset holdsUntil)
    {
        // Storage's clock and this one may differ a little, and a run needs a moment to stop.
        var margin = _duration / 12;
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 3, _clock, _stop.Token).ConfigureAwait(false);
                while (true)
                {
                    var left = holdsUntil - margin - _clock.GetUtcNow();
                    if (left <= TimeSpan.Zero)
                    {
                        // Unreachable for as long as the lease had left: another run may take it any moment.
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    // A renewal may hang far longer than the lease lasts (the client's own retries and
                    // timeouts): it is given only the time the lease has left.
                    using var deadline = new CancellationTokenSource(left, _clock);
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, deadline.Token);
                    var asked = _clock.GetUtcNow();
                    try
                    {
                        await _lease.RenewAsync(cancellationToken: either.Token).ConfigureAwait(false);
                        holdsUntil = asked + _duration;
                        break;
                    }
                    catch (RequestFailedException exception) when (exception.Status is >= 400 and < 500)
                    {
                        // Refused: the lease was taken or broken, or the container is gone.
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        // Out of reach, a server error or out of time: tried again while the lease holds. The
                        // time left is read again, as the renewal took some of it, or all of it where it hung:
                        // the holder is then told at once, not after one more pause.
                        var still = holdsUntil - margin - _clock.GetUtcNow();
                        if (still > TimeSpan.Zero)
                        {
                            await Task.Delay(RetryPause < still ? RetryPause : still, _clock, _stop.Token).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed while a renewal was under way: the lease is released next, whatever that renewal did.
        }
    }
}
