using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Tests.Rendering;

public sealed class EntriesOnDemandTests
{
    [Fact]
    public void Only_the_entries_read_are_made_and_every_reader_sees_the_same_one()
    {
        var made = new int[200];
        var entries = new EntriesOnDemand<object>(made.Length, i =>
        {
            Interlocked.Increment(ref made[i]);
            return new object();
        });

        // Seven entries, as a layout showing the first seven pages reads them, from many threads at once.
        var seen = new object[16][];
        Parallel.For(0, seen.Length, t => seen[t] = [.. Enumerable.Range(0, 7).Select(i => entries[i])]);

        Assert.Equal(200, entries.Count);
        Assert.All(Enumerable.Range(0, 7), i => Assert.All(seen, s => Assert.Same(seen[0][i], s[i])));
        Assert.All(made.Take(7), count => Assert.InRange(count, 1, seen.Length));
        Assert.All(made.Skip(7), count => Assert.Equal(0, count));

        // Enumerated whole, the list makes the rest and keeps the seven it had.
        var all = entries.ToList();
        Assert.Equal(200, all.Count);
        Assert.All(Enumerable.Range(0, 7), i => Assert.Same(seen[0][i], all[i]));
        Assert.All(made, count => Assert.True(count >= 1));
    }
}
