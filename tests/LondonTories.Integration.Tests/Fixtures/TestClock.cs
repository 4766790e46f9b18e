namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>Real time moved to a chosen moment: it still ticks, so leases and delays behave, but schedules see that moment.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly DateTimeOffset _realStart = System.GetUtcNow();

    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => start + Shift + (System.GetUtcNow() - _realStart);
}
