using System.Text;
using LondonTories.Publishing.Storage;
using Xunit;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class StateRowsTests
{
    [Fact]
    public void A_journal_line_reads_back_as_the_file_and_entry_it_records()
    {
        var entry = new StateEntry("ab12", "7:cd34", 5739, 639322191767048005);

        var read = StateRows.ReadJournalLine(StateRows.JournalLine("web/tooting/ur/ہاؤسنگ/index.html", entry));

        Assert.Equal(("web/tooting/ur/ہاؤسنگ/index.html", entry), read);
    }

    [Fact]
    public void A_journal_line_of_a_deleted_file_or_of_one_without_a_key_reads_back_as_such()
    {
        Assert.Equal(("web/old/index.html", (StateEntry?)null), StateRows.ReadJournalLine(StateRows.JournalLine("web/old/index.html", null)));
        var unkeyed = new StateEntry("ab12", null, 1, 2);
        Assert.Equal(("web/assets/site.css", unkeyed), StateRows.ReadJournalLine(StateRows.JournalLine("web/assets/site.css", unkeyed)));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"State\":null}")]
    [InlineData("{\"Path\":\"web/x\",\"State\":{\"Sha256\":\"ab\"}}")]
    [InlineData("{\"Path\":\"web/x\",\"State\":{\"Sha256\":\"ab\",\"Length\":\"1\",\"Modified\":2}}")]
    [InlineData("{\"Path\":\"web/x\",\"State\":null}{")]
    public void A_line_this_version_did_not_write_whole_says_nothing(string line)
    {
        Assert.Null(StateRows.ReadJournalLine(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void A_line_cut_short_anywhere_says_nothing()
    {
        var line = StateRows.JournalLine("web/battersea/housing/index.html", new StateEntry("ab12", "7:cd34", 5739, 639322191767048005));

        for (var length = 0; length < line.Length; length++)
        {
            Assert.Null(StateRows.ReadJournalLine(line.AsSpan(0, length)));
        }
    }
}
