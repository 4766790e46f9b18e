using System.Collections.Immutable;
using System.Globalization;

namespace LondonTories.Publishing.Approvals;

public enum ApprovalStatus
{
    /// <summary>The site does not ask for this kind of item to be approved.</summary>
    NotRequired,

    /// <summary>A listed approver approved exactly what goes out now.</summary>
    Approved,

    /// <summary>Needs an approval it does not have, or had one for text since edited.</summary>
    Awaiting,
}

/// <summary>Where one item stands for one seat: approved by whom and when, or who may approve it.</summary>
public sealed record ApprovalState(ApprovalStatus Status, string Item, string Digest, ImmutableArray<string> MayApprove)
{
    public string? ApprovedBy { get; init; }

    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>An approval was given for an earlier version: what goes out changed since.</summary>
    public bool Voided { get; init; }

    public static ApprovalState NotRequired(string item) => new(ApprovalStatus.NotRequired, item, string.Empty, []);

    public string Describe() => Status switch
    {
        ApprovalStatus.NotRequired => "no approval needed",
        ApprovalStatus.Approved => string.Create(CultureInfo.InvariantCulture, $"approved by {ApprovedBy} at {ApprovedAt:yyyy-MM-dd HH:mm}Z"),
        _ => $"awaiting approval{(Voided ? " (edited since it was approved)" : string.Empty)}; " +
             (MayApprove.IsEmpty ? "no listed approver covers it" : $"{string.Join(" or ", MayApprove)} may approve it"),
    };
}
