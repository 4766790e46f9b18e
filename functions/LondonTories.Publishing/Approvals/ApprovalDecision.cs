namespace LondonTories.Publishing.Approvals;

/// <summary>Someone whose sign-in was verified: their Entra ID object id and the name sign-in gave.</summary>
public sealed record SignedInUser(string ObjectId, string? Name);

/// <summary>What someone asks to approve: an item (<c>post:ID</c>, or a post's id alone), optionally one seat, and the digest they saw.</summary>
public sealed record ApprovalRequest(string Item, string? Seat = null, string? Digest = null);

public enum ApprovalOutcome
{
    Approved,

    /// <summary>The person may not approve this (not listed, not for this kind, not for these seats).</summary>
    Refused,

    /// <summary>No such item or seat.</summary>
    NotFound,

    /// <summary>The content changed since the digest the approver saw, or has errors.</summary>
    Conflict,

    /// <summary>The item needs no approval.</summary>
    NotRequired,
}

public sealed record ApprovalDecision(ApprovalOutcome Outcome, string Message)
{
    public ApprovalRecord? Record { get; init; }
}
