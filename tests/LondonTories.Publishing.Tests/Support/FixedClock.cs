namespace LondonTories.Publishing.Tests.Support;

/// <summary>
/// The clock the fast tests run under: later than every moment they publish for, so a run for a
/// chosen moment is never a rehearsal, whatever the machine's date.
/// </summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2028, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
