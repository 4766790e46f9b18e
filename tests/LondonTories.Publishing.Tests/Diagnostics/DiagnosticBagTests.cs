using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Tests.Diagnostics;

public sealed class DiagnosticBagTests
{
    private static readonly SourceLocation At = new("pages/housing.md", 3, 1);

    [Fact]
    public void The_same_problem_from_many_seats_and_threads_is_one_diagnostic_naming_every_seat_in_order()
    {
        var bag = new DiagnosticBag();
        var seats = Enumerable.Range(0, 75).Select(i => $"seat-{74 - i:00}").ToArray();

        Parallel.ForEach(seats, seat =>
        {
            bag.Add(new Diagnostic(At, "broken-link", "the link '/x/' leads to nothing.", "Check the address.", DiagnosticSeverity.Warning) { Subjects = [seat] });
            bag.Warning(At, "broken-link", "the link '/y/' leads to nothing.");
        });

        var found = bag.ToImmutableSorted();
        Assert.Equal(2, found.Length);
        Assert.Equal(seats.Order(StringComparer.Ordinal), found[0].Subjects);
        Assert.Empty(found[1].Subjects);
        Assert.False(bag.HasErrors);
    }

    [Fact]
    public void Problems_that_differ_in_any_part_but_their_seats_stay_apart_and_sorted_by_place()
    {
        var bag = new DiagnosticBag();
        bag.ErrorFor("b", At with { Line = 9 }, "code", "message");
        bag.ErrorFor("a", At, "code", "message");
        bag.ErrorFor("a", At, "code", "message", "a hint");
        bag.Add(new Diagnostic(At, "code", "message", null, DiagnosticSeverity.Warning));

        var found = bag.ToImmutableSorted();

        Assert.True(bag.HasErrors);
        Assert.Equal(4, found.Length);
        Assert.Equal(9, found[^1].Location.Line);
        Assert.Equal("b", Assert.Single(found[^1].Subjects));
    }
}
