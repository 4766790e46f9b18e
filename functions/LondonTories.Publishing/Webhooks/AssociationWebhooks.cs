using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StandardWebhooks;

namespace LondonTories.Publishing.Webhooks;

/// <summary>
/// Tells associations what changed in their seat: after a run, one event per seat with a webhook and
/// with changes, queued in the <c>webhooks</c> table; a timer then delivers what is due, signed per
/// Standard Webhooks, retrying with back-off for a day. The publish only queues, so a slow or failing
/// receiver never holds it up, and a seat's event lists that seat's changes alone.
/// </summary>
public sealed class AssociationWebhooks(IHttpClientFactory http, ISecretStore secrets, TimeProvider clock, ILogger<AssociationWebhooks>? logger = null)
{
    public const string HttpClientName = "association-webhooks";
    public const string EventType = "pages.changed";

    /// <summary>How long an event keeps being retried: at least a day, so a receiver down overnight still hears.</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromHours(25);

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly ILogger _logger = logger ?? NullLogger<AssociationWebhooks>.Instance;

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: doubling from 30 s, at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1))));

    /// <summary>
    /// Reads every association webhook's signing secret from the secret store, once, before a run that
    /// may queue events: a secret that is missing or not a Standard Webhooks secret is an error naming
    /// the seat, the secret and where to set it (never its value), found before anything is published.
    /// </summary>
    public async Task<IReadOnlyList<Diagnostic>> CheckSecretsAsync(SiteContent content, CancellationToken cancellationToken)
    {
        var problems = new List<Diagnostic>();
        foreach (var group in content.Constituencies.Where(s => s.Association.Webhook is not null).GroupBy(s => s.Association.Webhook!.Secret, StringComparer.Ordinal))
        {
            var name = group.Key;
            var lookup = await secrets.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var problem = lookup.Value is null ? lookup.Problem ?? $"it is not in {secrets.Description}"
                : IsSigningSecret(lookup.Value) ? null
                : "its value is not a Standard Webhooks signing secret (whsec_ and base64)";
            if (problem is null)
            {
                continue;
            }

            foreach (var seat in group)
            {
                problems.Add(new Diagnostic(seat.Association.Webhook!.Location, "webhook-secret",
                    $"the webhook of {seat.Slug} is signed with the secret '{name}', which cannot be used: {problem}.",
                    $"Set '{name}' in the app's Key Vault, or where the run has no vault, the environment variable {EnvironmentSecretStore.VariableFor(name)} (or dotnet user-secrets for the CLI), to a secret shared with the association: whsec_ and base64 of 32 random bytes."));
            }
        }

        return problems;
    }

    private static bool IsSigningSecret(string value)
    {
        try
        {
            _ = new StandardWebhook(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Queues one event for each seat with a webhook whose pages changed since the ledger write the
    /// associations were last told of, as the ledger records say: this run's changes, and those of a run
    /// that recorded its pages and stopped before it queued their events. Then keeps that they are told.
    /// </summary>
    /// <param name="ownChanges">This run recorded changes of its own: before any run kept what was told, only those are told.</param>
    public async Task<int> EnqueueAsync(SiteStorage storage, SiteContent content, string runId, DateTimeOffset at, bool ownChanges, CancellationToken cancellationToken)
    {
        var sequence = await storage.Ledger.ReadSequenceAsync(cancellationToken).ConfigureAwait(false);
        var told = await storage.Ledger.ReadToldThroughAsync(cancellationToken).ConfigureAwait(false);
        if (told is null && !ownChanges)
        {
            // The release before told each run's changes as it went, and kept no mark: what is recorded has been told.
            await storage.Ledger.RecordToldThroughAsync(sequence, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var since = told is { } through && through <= sequence ? through : sequence - 1;
        if (since >= sequence)
        {
            return 0;
        }

        var queued = await EnqueueAsync(storage, content, runId, at, sequence, async (seat, ct) =>
            PageChanges.Between(await storage.Ledger.ReadSeatAsync(seat, ct).ConfigureAwait(false), ChangesCursor.After(since), sequence), cancellationToken).ConfigureAwait(false);
        await storage.Ledger.RecordToldThroughAsync(sequence, cancellationToken).ConfigureAwait(false);
        return queued;
    }

    /// <summary>
    /// Queues one event for each seat with a webhook and with changes in <paramref name="changes"/> (by seat), the
    /// changes of the ledger's last write; returns how many. Changes of earlier writes not yet told are left to the next publish.
    /// </summary>
    public async Task<int> EnqueueAsync(SiteStorage storage, SiteContent content, string runId, DateTimeOffset at, IReadOnlyDictionary<string, ImmutableArray<PageChange>> changes, CancellationToken cancellationToken)
    {
        var sequence = await storage.Ledger.ReadSequenceAsync(cancellationToken).ConfigureAwait(false);
        var told = await storage.Ledger.ReadToldThroughAsync(cancellationToken).ConfigureAwait(false);
        var queued = await EnqueueAsync(storage, content, runId, at, sequence, (seat, _) => Task.FromResult(changes.GetValueOrDefault(seat, [])), cancellationToken).ConfigureAwait(false);
        if (told is null || told == sequence - 1)
        {
            await storage.Ledger.RecordToldThroughAsync(sequence, cancellationToken).ConfigureAwait(false);
        }

        return queued;
    }

    /// <param name="sequence">The ledger write that holds the changes: the changes endpoint's cursor after them.</param>
    private async Task<int> EnqueueAsync(SiteStorage storage, SiteContent content, string runId, DateTimeOffset at, long sequence,
        Func<string, CancellationToken, Task<ImmutableArray<PageChange>>> changesOf, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var seat in content.Constituencies)
        {
            if (seat.Association.Webhook is not { } webhook)
            {
                continue;
            }

            var changes = await changesOf(seat.Slug, cancellationToken).ConfigureAwait(false);
            if (changes.IsEmpty)
            {
                continue;
            }

            var id = $"msg_{runId}_{seat.Slug}";
            var payload = JsonSerializer.Serialize(new
            {
                Type = EventType,
                Timestamp = Rfc3339.Format(at),
                Data = new
                {
                    Seat = seat.Slug,
                    Run = runId,
                    Cursor = ChangesCursor.After(sequence).ToString(),
                    PagesJson = content.Site.UrlFor($"/{seat.Slug}/pages.json"),
                    Feed = content.Site.UrlFor($"/{seat.Slug}/{FeedPaths.AtomFile}"),
                    Changes = changes.Select(c => new { c.Type, c.Slug, c.Language, c.Url, c.Fragment }),
                },
            }, Json);
            var now = clock.GetUtcNow();
            if (await storage.Webhooks.AddAsync(new WebhookRecord
            {
                PartitionKey = seat.Slug,
                RowKey = id,
                Url = webhook.Url,
                SecretName = webhook.Secret,
                Payload = payload,
                Created = now,
                NextAttempt = now,
            }, cancellationToken).ConfigureAwait(false))
            {
                queued++;
            }
        }

        return queued;
    }

    /// <summary>
    /// Points every event still waiting to go out at its seat's webhook as <paramref name="content"/>
    /// names it, since its retries would otherwise keep the url and secret it was queued with: an
    /// association that moved its receiver or rotated its secret hears at the new one, and an event of
    /// a seat with no webhook now is withdrawn, never sent. Returns how many events changed.
    /// </summary>
    public async Task<int> RetargetAsync(SiteStorage storage, SiteContent content, CancellationToken cancellationToken)
    {
        var current = content.Constituencies.ToDictionary(s => s.Slug, s => s.Association.Webhook, StringComparer.Ordinal);
        var changed = 0;
        foreach (var record in await storage.Webhooks.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (current.GetValueOrDefault(record.PartitionKey) is not { } webhook)
            {
                record.Status = WebhookRecord.Withdrawn;
                record.LastError = $"{record.PartitionKey} has no webhook in constituencies.yaml any more, so the event is not sent.";
            }
            else if (record.Url != webhook.Url || record.SecretName != webhook.Secret)
            {
                (record.Url, record.SecretName) = (webhook.Url, webhook.Secret);
            }
            else
            {
                continue;
            }

            // An attempt recorded meanwhile wins; the next run looks again at whatever is still pending.
            if (await storage.Webhooks.UpdateAsync(record, cancellationToken).ConfigureAwait(false))
            {
                changed++;
                if (record.Status == WebhookRecord.Withdrawn)
                {
                    _logger.LogInformation("Webhook {WebhookId} for {Seat} is withdrawn: the seat has no webhook any more.", record.RowKey, record.PartitionKey);
                }
            }
        }

        return changed;
    }

    /// <summary>Attempts every event that is due; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(SiteStorage storage, CancellationToken cancellationToken)
    {
        var due = await storage.Webhooks.DueAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var delivered = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (record, ct) =>
        {
            if (await AttemptAsync(storage, record, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref delivered);
            }
        }).ConfigureAwait(false);
        return delivered;
    }

    private const int MaxError = 2_000;

    private static string Reason(HttpResponseMessage response) =>
        response.ReasonPhrase is { Length: > 100 } lengthy ? string.Concat(lengthy.AsSpan(0, 100), "…") : response.ReasonPhrase ?? string.Empty;

    private async Task<bool> AttemptAsync(SiteStorage storage, WebhookRecord record, CancellationToken cancellationToken)
    {
        string? error = null;
        var gone = false;
        DateTimeOffset? notBefore = null;
        var lookup = await secrets.GetAsync(record.SecretName, cancellationToken).ConfigureAwait(false);
        if (lookup.Value is not { } secret)
        {
            error = $"the secret '{record.SecretName}' could not be read: {lookup.Problem}.";
        }
        else
        {
            try
            {
                var sentAt = clock.GetUtcNow();
                using var request = new HttpRequestMessage(HttpMethod.Post, record.Url)
                {
                    Content = new StringContent(record.Payload, new UTF8Encoding(false), "application/json"),
                };
                request.Headers.Add("webhook-id", record.RowKey);
                request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(record.RowKey, sentAt, record.Payload));
                // The status is the whole answer: a body is never read, so a receiver that never ends one holds nothing up.
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400)
                {
                    // The receiver's Location may carry a user name, password or token: only where it points is told.
                    var location = response.Headers.Location is { } moved ? $" to {ShownUrl.Of(new Uri(new Uri(record.Url), moved))}" : string.Empty;
                    error = $"the receiver answered {status} {Reason(response)}".TrimEnd()
                        + $", moved{location}: redirects are not followed, so update the webhook url in constituencies.yaml.";
                }
                else if (response.StatusCode == System.Net.HttpStatusCode.Gone)
                {
                    gone = true;
                    error = $"the receiver answered 410 {Reason(response)}".TrimEnd() + ": it wants no more of this event, so it is not retried.";
                }
                else if (!response.IsSuccessStatusCode)
                {
                    error = $"the receiver answered {status} {Reason(response)}".TrimEnd();

                    // A receiver that says when to come back (a rate limit, maintenance) is not asked again before then.
                    notBefore = sentAt + Platforms.Webhook.WebhookClient.RetryAfter(response, sentAt);
                }
            }
            catch (FormatException)
            {
                error = $"the secret '{record.SecretName}' is not a Standard Webhooks signing secret (whsec_ and base64).";
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
            {
                error = exception is HttpRequestException ? $"the receiver could not be reached: {exception.Message}" : "the receiver did not answer in time.";
            }
        }

        var now = clock.GetUtcNow();
        record.Attempts++;
        if (error is null)
        {
            record.Status = WebhookRecord.Delivered;
            record.DeliveredAt = now;
            record.LastError = string.Empty;
        }
        else
        {
            // Whatever a receiver sends back, the record stays within what a table row holds.
            record.LastError = error.Length > MaxError ? string.Concat(error.AsSpan(0, MaxError), "…") : error;
            record.NextAttempt = now + Backoff(record.Attempts);
            if (notBefore > record.NextAttempt)
            {
                record.NextAttempt = notBefore.Value;
            }

            if (gone)
            {
                record.Status = WebhookRecord.Gone;
                _logger.LogWarning("Webhook {WebhookId} for {Seat} is not retried: {Error}", record.RowKey, record.PartitionKey, error);
            }
            else if (record.NextAttempt - record.Created > RetryFor)
            {
                record.Status = WebhookRecord.Failed;
                _logger.LogError("Webhook {WebhookId} for {Seat} gave up after {Attempts} attempts: {Error}", record.RowKey, record.PartitionKey, record.Attempts, error);
            }
            else
            {
                _logger.LogWarning("Webhook {WebhookId} for {Seat} failed (attempt {Attempts}), retried at {NextAttempt}: {Error}", record.RowKey, record.PartitionKey, record.Attempts, record.NextAttempt, error);
            }
        }

        return await storage.Webhooks.UpdateAsync(record, cancellationToken).ConfigureAwait(false) && error is null;
    }
}
