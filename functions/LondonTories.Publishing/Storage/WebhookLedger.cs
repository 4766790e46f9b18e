using Azure;
using Azure.Data.Tables;

namespace LondonTories.Publishing.Storage;

/// <summary>One webhook event for one seat and run, and what became of its delivery.</summary>
public sealed class WebhookRecord : ITableEntity
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>The receiver answered 410 Gone: it wants no more of this event, so it is not retried.</summary>
    public const string Gone = "gone";

    /// <summary>The seat had no webhook any more when the event was still waiting to go out, so it is never sent.</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>The seat.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    /// <summary>The event's <c>webhook-id</c>, the same on every attempt, so receivers can ignore repeats.</summary>
    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Url { get; set; } = string.Empty;

    /// <summary>The name of the signing secret; its value is never stored.</summary>
    public string SecretName { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string Status { get; set; } = Pending;

    public int Attempts { get; set; }

    public string LastError { get; set; } = string.Empty;

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset NextAttempt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>
/// The <c>webhooks</c> table: each event waiting to go out or gone out, with its attempts, status and
/// last error. It is the queue too: the delivery timer takes what is due from it.
/// </summary>
public sealed class WebhookLedger(TableClient table)
{
    public TableClient Table => table;

    /// <summary>Adds an event unless one with its id is there already; true when added.</summary>
    public async Task<bool> AddAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(record, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return await AddAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Events still pending whose next attempt is due at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<WebhookRecord>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {WebhookRecord.Pending} and NextAttempt le {now}"), cancellationToken);

    /// <summary>Every event still pending, due or waiting for its back-off.</summary>
    public Task<IReadOnlyList<WebhookRecord>> PendingAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {WebhookRecord.Pending}"), cancellationToken);

    private async Task<IReadOnlyList<WebhookRecord>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var records = new List<WebhookRecord>();
        try
        {
            await foreach (var record in table.QueryAsync<WebhookRecord>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return records;
    }

    /// <summary>Every event of one seat.</summary>
    public async Task<IReadOnlyList<WebhookRecord>> ReadSeatAsync(string seat, CancellationToken cancellationToken)
    {
        var records = new List<WebhookRecord>();
        try
        {
            await foreach (var record in table.QueryAsync<WebhookRecord>(TableClient.CreateQueryFilter($"PartitionKey eq {seat}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return records;
    }

    /// <summary>Records an attempt; false when another delivery run recorded one first.</summary>
    public async Task<bool> UpdateAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            return false;
        }
    }
}
