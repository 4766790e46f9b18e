using System.Globalization;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>Every date the site shows is RFC 3339 in UTC, to the second.</summary>
public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2026-11-30T12:00:00+00:00", "2026-11-30T12:00:00Z")]
    [InlineData("2026-03-29T01:30:00+01:00", "2026-03-29T00:30:00Z")]
    [InlineData("2026-12-31T23:59:59.9999999-05:00", "2027-01-01T04:59:59Z")]
    [InlineData("0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00Z")]
    [InlineData("0987-06-05T04:03:02.5+14:00", "0987-06-04T14:03:02Z")]
    public void A_moment_is_written_in_utc_to_the_second_whatever_its_offset(string moment, string expected) =>
        Assert.Equal(expected, Rfc3339.Format(DateTimeOffset.Parse(moment, CultureInfo.InvariantCulture)));

    [Fact]
    public void Any_moment_reads_back_as_itself_less_its_fraction_of_a_second()
    {
        var random = new Random(20261130);
        for (var i = 0; i < 2000; i++)
        {
            var at = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60)));
            var text = Rfc3339.Format(at);

            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", text);
            var back = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.Equal(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), back.UtcTicks);
        }
    }
}
