using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class PublishLeaseTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_lease_whose_renewals_cannot_reach_storage_is_given_up_before_it_runs_out_and_its_holder_told()
    {
        var renewals = new Renewals(hang: false);

        // In real time: the lease's margin (1.25 s of a 15 s lease) is what a busy machine's late timers
        // must fit in, and five times as fast it was a quarter of a second, which a full test run overran.
        var clock = new FastClock(speed: 1);
        await using var storage = Storage(renewals);
        var held = await storage.Storage.CreateLease().AcquireAsync(TimeSpan.FromSeconds(5), clock, CancellationToken.None);
        Assert.NotNull(held);
        var acquired = clock.GetUtcNow();
        renewals.Failing = true;

        // Storage retries each failed renewal, then gives up with an AggregateException, not a RequestFailedException.
        var (lost, lostAt) = await WhenLostAsync(held, clock);
        var disposal = await Record.ExceptionAsync(async () => await held.DisposeAsync());

        Assert.True(lost, $"the holder was never told, after {renewals.Failed} failed renewals");
        Assert.True(renewals.Failed > 1, "a renewal that failed was not tried again while the lease still held");
        Assert.InRange(lostAt - acquired, Lease / 3, Lease);
        Assert.Null(disposal);
    }

    [Fact]
    public async Task A_renewal_that_hangs_is_given_up_before_the_lease_runs_out()
    {
        // In real time, as the first: what is checked below is the pause between the hanging renewal
        // being given up and the holder being told, and at twice the speed a busy full test run's late
        // continuations overran the half second allowed for it.
        var clock = new FastClock(speed: 1);
        var renewals = new Renewals(hang: true, clock);
        await using var storage = Storage(renewals);
        var held = await storage.Storage.CreateLease().AcquireAsync(TimeSpan.FromSeconds(5), clock, CancellationToken.None);
        Assert.NotNull(held);
        var acquired = clock.GetUtcNow();
        renewals.Failing = true;

        var (lost, lostAt) = await WhenLostAsync(held, clock);
        var disposal = await Record.ExceptionAsync(async () => await held.DisposeAsync());

        Assert.True(lost, "a renewal that never answered kept the holder writing past its lease");
        Assert.InRange(lostAt - acquired, Lease / 3, Lease);

        // Told as the renewal is given up, at the margin before the lease's end: not after a pause (a
        // second) to try again. Counted from the moment it was given up, so a late timer does not count.
        Assert.NotNull(renewals.GivenUpAt);
        Assert.InRange(lostAt - renewals.GivenUpAt.Value, TimeSpan.Zero, TimeSpan.FromSeconds(0.5));
        Assert.Null(disposal);
    }

    [Fact]
    public async Task A_lease_renewed_as_usual_is_kept_and_released()
    {
        var renewals = new Renewals(hang: false);
        var clock = new FastClock();
        await using var storage = Storage(renewals);
        var held = await storage.Storage.CreateLease().AcquireAsync(TimeSpan.FromSeconds(5), clock, CancellationToken.None);
        Assert.NotNull(held);

        // Two lease lengths of the clock's time: renewed several times over.
        await Task.Delay(2 * Lease / FastClock.Speed);
        var kept = !held.Lost.IsCancellationRequested;
        await held.DisposeAsync();
        var next = await storage.Storage.CreateLease().AcquireAsync(TimeSpan.Zero, clock, CancellationToken.None);

        Assert.True(kept);
        Assert.True(renewals.Renewed >= 3, $"renewed {renewals.Renewed} times");
        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    private TestStorage Storage(Renewals renewals) => new(azurite, options =>
    {
        options.Policies.Add((renewals, HttpPipelinePosition.PerRetry));
        options.LeaseDuration = Lease;
        options.RetryDelay = TimeSpan.FromMilliseconds(10);
    });

    /// <summary>True once the holder is told it lost the lease; false if it is not told within the lease's real length.</summary>
    /// <summary>Whether the holder was told its lease is lost, and when by the lease's clock: read as it is told, not once this test is next scheduled, which on a busy machine runs on past the lease.</summary>
    private static async Task<(bool Lost, DateTimeOffset At)> WhenLostAsync(HeldLease held, TimeProvider clock)
    {
        var told = new TaskCompletionSource<DateTimeOffset>();
        using var registration = held.Lost.Register(() => told.TrySetResult(clock.GetUtcNow()));
        return await Task.WhenAny(told.Task, Task.Delay(Lease)) == told.Task ? (true, await told.Task) : (false, clock.GetUtcNow());
    }

    /// <summary>Once failing, answers every lease renewal as a dropped connection does, or never.</summary>
    private sealed class Renewals(bool hang, TimeProvider? clock = null) : HttpPipelinePolicy
    {
        private long _givenUpAt = long.MinValue;
        private int _failed;
        private int _renewed;

        public volatile bool Failing;

        public int Failed => Volatile.Read(ref _failed);

        public int Renewed => Volatile.Read(ref _renewed);

        /// <summary>When, by the lease's clock, a hanging renewal was last given up; null if none was.</summary>
        public DateTimeOffset? GivenUpAt => Interlocked.Read(ref _givenUpAt) is var ticks && ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Headers.TryGetValue("x-ms-lease-action", out var action) && action == "renew")
            {
                if (Failing)
                {
                    Interlocked.Increment(ref _failed);
                    if (hang)
                    {
                        using var givenUp = message.CancellationToken.Register(() => Interlocked.Exchange(ref _givenUpAt, (clock ?? TimeProvider.System).GetUtcNow().UtcTicks));
                        await Task.Delay(Timeout.Infinite, message.CancellationToken);
                    }

                    throw new RequestFailedException("Connection reset by peer.", new IOException("Connection reset by peer."));
                }

                Interlocked.Increment(ref _renewed);
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>A clock whose time, timers included, runs <paramref name="speed"/> times as fast as real time, so a lease's renewals play out in a few seconds.</summary>
    private sealed class FastClock(int speed = FastClock.Speed) : TimeProvider
    {
        public const int Speed = 5;

        private readonly DateTimeOffset _start = System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => _start + ((System.GetUtcNow() - _start) * speed);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, Scaled(dueTime), Scaled(period));

        private TimeSpan Scaled(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / speed;
    }
}
