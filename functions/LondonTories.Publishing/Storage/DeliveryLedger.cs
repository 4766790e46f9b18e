using System.Globalization;
using Azure;
using Azure.Data.Tables;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>One delivery's row in the <c>socialposts</c> table: partition = the post's identity, row = <c>seat.language.channel</c>.</summary>
public sealed class DeliveryRecord : ITableEntity
{
    public const string DeliveryKind = "delivery";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Tells delivery rows from the per-seat post rows that share the table.</summary>
    public string Kind { get; set; } = DeliveryKind;

    public string Seat { get; set; } = string.Empty;

    public string Language { get; set; } = string.Empty;

    public string Channel { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string Platform { get; set; } = string.Empty;

    public string PostId { get; set; } = string.Empty;

    public DateTimeOffset Scheduled { get; set; }

    public string Day { get; set; } = string.Empty;

    public string MessageSha256 { get; set; } = string.Empty;

    public string CurrentSha256 { get; set; } = string.Empty;

    public bool ChangedAfterSend { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? FirstAttempt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttempt { get; set; }

    public string? LastError { get; set; }

    public string? RemoteId { get; set; }

    public string? RemoteUrl { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>In pounds, as invariant text: the table service has no decimal type, and a double would not keep pence exactly.</summary>
    public string? AdBudgetGbp { get; set; }

    public DateTimeOffset? Retired { get; set; }

    public static DeliveryRecord From(DeliveryEntry entry) => new()
    {
        PartitionKey = entry.Identity,
        RowKey = entry.RowKey,
        ETag = entry.ETag.Length == 0 ? default : new ETag(entry.ETag),
        Seat = entry.Seat,
        Language = entry.Language,
        Channel = entry.Channel,
        Status = DeliveryStatuses.Name(entry.Status),
        Platform = entry.Platform,
        PostId = entry.PostId,
        Scheduled = entry.Scheduled,
        Day = entry.Day,
        MessageSha256 = entry.MessageSha256,
        CurrentSha256 = entry.CurrentSha256,
        ChangedAfterSend = entry.ChangedAfterSend,
        ClaimedBy = entry.ClaimedBy,
        ClaimedAt = entry.ClaimedAt,
        FirstAttempt = entry.FirstAttempt,
        Attempts = entry.Attempts,
        NextAttempt = entry.NextAttempt,
        LastError = entry.LastError,
        RemoteId = entry.RemoteId,
        RemoteUrl = entry.RemoteUrl,
        SentAt = entry.SentAt,
        AdBudgetGbp = entry.AdBudgetGbp?.ToString(CultureInfo.InvariantCulture),
        Retired = entry.Retired,
    };

    public DeliveryEntry ToEntry() => new(PartitionKey, Seat, Language, Channel)
    {
        Status = Enum.TryParse<DeliveryStatus>(Status, ignoreCase: true, out var status) ? status : DeliveryStatus.Unknown,
        Platform = Platform,
        PostId = PostId,
        Scheduled = Scheduled,
        Day = Day,
        MessageSha256 = MessageSha256,
        CurrentSha256 = CurrentSha256,
        ClaimedBy = ClaimedBy,
        ClaimedAt = ClaimedAt,
        FirstAttempt = FirstAttempt,
        Attempts = Attempts,
        NextAttempt = NextAttempt,
        LastError = LastError,
        RemoteId = RemoteId,
        RemoteUrl = RemoteUrl,
        SentAt = SentAt,
        AdBudgetGbp = decimal.TryParse(AdBudgetGbp, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var budget) ? budget : null,
        Retired = Retired,
        ETag = ETag.ToString(),
    };
}

/// <summary>
/// The deliveries in the <c>socialposts</c> table. Every change is conditional: an add fails if the row
/// exists, a replace if its ETag moved on, so of any number of racing runs exactly one claims a delivery.
/// </summary>
public sealed class DeliveryLedger(TableClient table) : IDeliveryLedger
{
    public async Task<IReadOnlyList<DeliveryEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entries = new List<DeliveryEntry>();
        try
        {
            var filter = TableClient.CreateQueryFilter($"Kind eq {DeliveryRecord.DeliveryKind}");
            await foreach (var record in table.QueryAsync<DeliveryRecord>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(record.ToEntry());
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        return entries;
    }

    /// <summary>The deliveries of one post, by the identity the ledger keeps for it.</summary>
    public async Task<IReadOnlyList<DeliveryEntry>> ReadPostAsync(string identity, CancellationToken cancellationToken)
    {
        var entries = new List<DeliveryEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {identity} and Kind eq {DeliveryRecord.DeliveryKind}");
        try
        {
            await foreach (var record in table.QueryAsync<DeliveryRecord>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(record.ToEntry());
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
        }

        return entries;
    }

    public async Task<DeliveryEntry?> TryAddAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(DeliveryRecord.From(entry), cancellationToken).ConfigureAwait(false);
            return entry with { ETag = response.Headers.ETag?.ToString() ?? string.Empty };
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return null;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return await TryAddAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<DeliveryEntry?> TryReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var record = DeliveryRecord.From(entry);
            var response = await table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return entry with { ETag = response.Headers.ETag?.ToString() ?? string.Empty };
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return null;
        }
    }
}
