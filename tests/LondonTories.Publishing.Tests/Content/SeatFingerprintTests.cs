using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>A seat's fingerprint, which decides whether its pages are rendered again, follows exactly its own entry in constituencies.yaml.</summary>
public sealed class SeatFingerprintTests : IDisposable
{
    private readonly TestSite _site = new();

    public SeatFingerprintTests() => _site.Page("pages/register.md", "title: Register");

    public void Dispose() => _site.Dispose();

    [Fact]
    public void Editing_a_seat_changes_its_fingerprint_and_no_other_seats()
    {
        var before = _site.Load().Constituencies.ToDictionary(c => c.Slug, c => c.Fingerprint);
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("email: office@tooting.example.org.uk", "email: hello@tooting.example.org.uk", StringComparison.Ordinal));

        var after = _site.Load().Constituencies.ToDictionary(c => c.Slug, c => c.Fingerprint);

        Assert.Equal(before.Count, before.Values.Distinct().Count());
        Assert.NotEqual(before["tooting"], after["tooting"]);
        Assert.All(before.Keys.Where(s => s != "tooting"), s => Assert.Equal(before[s], after[s]));
    }
}
