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

/// <summary>A lease being held: renewed in the background until disposed; <see cref="Lost"/> fires if a renewal fails.</summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _renewing;

    internal HeldLease(BlobLeaseClient lease, TimeSpan duration, TimeProvider clock)
    {
        _lease = lease;
        _renewing = RenewAsync(duration / 3, clock);
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
        catch (RequestFailedException)
        {
            // Already expired or taken: the next run can start either way.
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync(TimeSpan every, TimeProvider clock)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, _stop.Token).ConfigureAwait(false);
                await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (RequestFailedException)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
        }
    }
}
