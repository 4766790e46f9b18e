using Azure.Storage.Blobs;
using LondonTories.Publishing.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>
/// Publishes when an editor's content changes in the <c>content</c> container. Event Grid delivers the
/// change (the blob trigger Flex Consumption supports); a burst of uploads queues behind the publish
/// lease, and each run publishes the whole content as it then stands.
/// </summary>
public sealed class ContentChanged(SiteStorage storage, StoragePublisher publisher, ILogger<ContentChanged> logger)
{
    [Function(nameof(ContentChanged))]
    public async Task Run(
        [BlobTrigger(SiteStorage.ContentContainer + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = AppSettings.Storage)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        logger.LogInformation("Content changed: {Blob}.", blob.Name);
        await publisher.PublishAsync(storage, "content", force: false, cancellationToken).ConfigureAwait(false);
    }
}
