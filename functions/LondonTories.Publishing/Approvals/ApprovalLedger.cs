using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace LondonTories.Publishing.Approvals;

/// <summary>
/// The <c>approvals</c> table: every approval ever given, added and never changed or deleted, so it
/// answers later who approved what went out.
/// </summary>
public sealed class ApprovalLedger(TableClient table)
{
    public const string TableName = "approvals";

    public TableClient Table => table;

    public async Task AddAsync(ApprovalRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await table.AddEntityAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every approval, newest first within each item.</summary>
    public async Task<IReadOnlyList<ApprovalRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<ApprovalRecord>();
        try
        {
            await foreach (var record in table.QueryAsync<ApprovalRecord>(maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return records;
    }

    /// <summary>Rows sort newest first: the key counts down from the end of time.</summary>
    public static string RowKeyFor(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}_{Guid.NewGuid():N}");
}
