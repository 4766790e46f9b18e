using Azure;
using Azure.Data.Tables;

namespace LondonTories.Publishing.Approvals;

/// <summary>
/// One approval as the <c>approvals</c> table keeps it: who gave it, when, for which item and seats,
/// and the digest of exactly what they approved. Partition = item, so an item's approvals are read together.
/// </summary>
public sealed class ApprovalRecord : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>What was approved, e.g. <c>post:cost-of-living</c>.</summary>
    public string Item { get; set; } = string.Empty;

    /// <summary>The seats the approval covers, comma-separated in order.</summary>
    public string Seats { get; set; } = string.Empty;

    public string Digest { get; set; } = string.Empty;

    /// <summary>The approver's Entra ID object id, as sign-in proved it.</summary>
    public string ApproverId { get; set; } = string.Empty;

    public string ApproverName { get; set; } = string.Empty;

    public DateTimeOffset Approved { get; set; }

    /// <summary>How it was given: <c>http</c> (signed in to the Functions app) or <c>cli</c> (Azure CLI sign-in).</summary>
    public string Via { get; set; } = string.Empty;

    public IReadOnlyList<string> SeatSlugs() => Seats.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
