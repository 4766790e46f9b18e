using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Tests.Rendering;

public sealed class ListReadTests
{
    [Fact]
    public void Every_part_of_a_list_read_reads_back_from_its_text_form()
    {
        var reads = new[] { ListRead.None, new ListRead(0, false, true) }
            .Concat(Enumerable.Range(0, 200).SelectMany(n => new[] { new ListRead(n, false, false), new ListRead(n, true, false) }));
        foreach (var read in reads)
        {
            var text = read.ToString();
            Assert.Equal(read.Whole ? "all" : $"{read.Entries}{(read.End ? "e" : "")}", text);
            Assert.True(ListRead.TryParse(text, out var back));
            Assert.Equal(read, back);
            Assert.True(ListRead.TryParse($"{text}:0123".AsSpan(0, text.Length), out var fromSpan));
            Assert.Equal(read, fromSpan);
        }

        Assert.False(ListRead.TryParse("", out _));
        Assert.False(ListRead.TryParse("-1", out _));
        Assert.False(ListRead.TryParse("seven", out _));
    }
}
