namespace LondonTories.Publishing.Approvals;

/// <summary>Where one seat's version of a page stands with its approval in a run, and whether the seat kept an earlier version.</summary>
public sealed record PageApproval(string Slug, string Seat, ApprovalState State)
{
    /// <summary>The seat had published the page before: that version stays, exactly as it was, while this one waits.</summary>
    public bool KeptPublished { get; init; }
}
