using Azure.Data.Tables;
using Azure.Storage.Blobs;
using LondonTories.Publishing.Approvals;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// One storage account as the site uses it: the <c>content</c> container the editors push to, the
/// <c>$web</c> container of the static website, the private <c>social</c> container and the
/// <c>publications</c> ledger table, the private <c>history</c> container and the <c>approvals</c> table. The clients are built once and shared.
/// </summary>
public sealed class SiteStorage
{
    public const string ContentContainer = "content";
    public const string WebContainer = "$web";
    public const string SocialContainer = "social";
    public const string LedgerTable = "publications";
    public const string SocialLedgerTable = "socialposts";
    public const string WebhooksTable = "webhooks";

    public SiteStorage(StorageConnection connection, StorageOptions options)
    {
        Connection = connection;
        Options = options;
        Blobs = connection.CreateBlobServiceClient(options.Apply(new BlobClientOptions()));
        Tables = connection.CreateTableServiceClient(options.Apply(new TableClientOptions()));
        Content = new BlobContentSource(Blobs.GetBlobContainerClient(ContentContainer), options.Parallelism);
        Ledger = new PublicationLedger(Tables.GetTableClient(LedgerTable), options.Parallelism);
        SocialLedger = new SocialPostLedger(Tables.GetTableClient(SocialLedgerTable));
        Webhooks = new WebhookLedger(Tables.GetTableClient(WebhooksTable));
        History = new SiteHistory(Blobs.GetBlobContainerClient(SiteHistory.ContainerName), options);
        Approvals = new ApprovalLedger(Tables.GetTableClient(ApprovalLedger.TableName));
        Deliveries = new DeliveryLedger(Tables.GetTableClient(SocialLedgerTable));
    }

    public StorageConnection Connection { get; }

    public StorageOptions Options { get; }

    public BlobServiceClient Blobs { get; }

    public TableServiceClient Tables { get; }

    /// <summary>The editors' content as pushed to the <c>content</c> container; re-reads only blobs that changed.</summary>
    public BlobContentSource Content { get; }

    public PublicationLedger Ledger { get; }

    /// <summary>What became of each social post for each seat.</summary>
    public SocialPostLedger SocialLedger { get; }

    /// <summary>Association webhook events: queued, delivered or given up, with their attempts.</summary>
    public WebhookLedger Webhooks { get; }

    /// <summary>Every file the site published, packed a run at a time, and each run's manifest: what rollback restores from.</summary>
    public SiteHistory History { get; }

    /// <summary>Every approval given, never deleted.</summary>
    public ApprovalLedger Approvals { get; }
    /// <summary>What became of each post for each seat, language and channel it goes out on.</summary>
    public DeliveryLedger Deliveries { get; }

    public string Description => Connection.Description;

    /// <summary>The containers of the site by the first segment of an output path (<c>web/…</c>, <c>social/…</c>).</summary>
    public BlobContainerClient ContainerFor(string pathSegment) => pathSegment switch
    {
        "web" => Blobs.GetBlobContainerClient(WebContainer),
        "social" => Blobs.GetBlobContainerClient(SocialContainer),
        _ => throw new InvalidOperationException($"No container holds output paths under '{pathSegment}/'."),
    };

    /// <summary>A target for one publish run; with <paramref name="history"/>, it keeps each new file of the site in history as it writes it.</summary>
    public BlobSiteTarget CreateTarget(HistoryRecorder? history = null) => new(this, history);

    public PublishLease CreateLease() => new(Blobs.GetBlobContainerClient(WebContainer), Options.LeaseDuration);
}
