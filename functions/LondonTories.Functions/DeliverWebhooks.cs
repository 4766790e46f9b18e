using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// Every minute, delivers the association webhook events that are due: new ones, and failed ones whose
/// back-off has passed. Apart from the publish, so a slow receiver never holds a publish up.
/// </summary>
public sealed class DeliverWebhooks(SiteStorage storage, AssociationWebhooks webhooks)
{
    [Function(nameof(DeliverWebhooks))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        webhooks.DeliverDueAsync(storage, cancellationToken);
}
