using LondonTories.Publishing.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>
/// Publishes what is due and removes what expired, on the schedule in PUBLISH_SCHEDULE (NCRONTAB, UTC;
/// pages' London times are converted in the pipeline). A tick that comes late, or after ticks were
/// missed, publishes everything due by now, so nothing waits for the next tick.
/// </summary>
public sealed class ScheduledPublish(SiteStorage storage, StoragePublisher publisher, ILogger<ScheduledPublish> logger)
{
    [Function(nameof(ScheduledPublish))]
    public async Task Run([TimerTrigger("%" + AppSettings.PublishSchedule + "%", UseMonitor = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            logger.LogWarning("The publish schedule is running late (last run {Last}); publishing everything due now.", timer.ScheduleStatus?.Last);
        }

        await publisher.PublishAsync(storage, "schedule", force: false, cancellationToken).ConfigureAwait(false);
    }
}
