using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Platforms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LondonTories.Publishing.Social;

/// <summary>What a run found or did for one delivery.</summary>
public sealed record DeliveryReport(
    string PostId,
    string Identity,
    string Seat,
    string Language,
    string Channel,
    string Platform,
    DeliveryStatus Status,
    bool SentByThisRun = false,
    string? RemoteUrl = null,
    string? Error = null);

/// <summary>How deliveries are paced.</summary>
public sealed class DeliveryOptions
{
    /// <summary>A claim older than this belongs to a run that died; the next run settles it.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait after a first failure, doubled after each further one up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries in flight at once.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>The hosts, beyond each platform's own, that a channel's secret may be sent to.</summary>
    public ChannelHosts ChannelHosts { get; set; } = ChannelHosts.FromEnvironment();
}

/// <summary>
/// The delivery run: for each planned delivery, claim it in the ledger (only the run whose conditional
/// change succeeds may send), check the guards, send it through the platform's client with the
/// channel's secret, and record what came of it. A request is never repeated where it may have made a
/// post, unless the platform makes a repeat safe or can say whether the post exists.
/// </summary>
public sealed partial class DeliveryRunner(
    IEnumerable<IPlatformClient> clients, ISecretStore secrets, DeliveryOptions options, ILogger<DeliveryRunner>? logger = null)
{
    private readonly IReadOnlyDictionary<string, IPlatformClient> _clients = clients.GroupBy(c => c.Platform).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    private readonly ILogger _logger = logger ?? NullLogger<DeliveryRunner>.Instance;

    public async Task<ImmutableArray<DeliveryReport>> RunAsync(
        PostPlan plan, SiteContent content, IDeliveryLedger ledger, string runId, DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken,
        ApprovalBook? approvals = null)
    {
        var entries = await ledger.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var matches = DeliveryMatches.Find(plan, entries);
        foreach (var vanished in DeliveryMatches.Vanished(content, entries, matches))
        {
            // Recorded even when nothing is planned, so a file deleted now is never taken for one written later.
            await ledger.TryReplaceAsync(vanished with { Retired = now }, cancellationToken).ConfigureAwait(false);
        }

        var channelSecrets = new ChannelSecrets(secrets, now, problem => LogSecretNotRenewed(_logger, problem), notice => LogAuthorisationEnding(_logger, notice), options.ChannelHosts);
        if (plan.Deliveries.IsEmpty)
        {
            await RenewDueAsync(content, channelSecrets, cancellationToken).ConfigureAwait(false);
            return [];
        }

        var named = DeliveryMatches.AsNamedNow(plan, entries, matches);
        var guards = new SendGuards(content, plan, approvals ?? ApprovalBook.Empty, CommittedSpend.From(named));

        // A seat's budget buys one ad: where a Page that spoke for the seat already runs it, a Page given to the seat since posts it unpaid.
        var adsRunning = named.Where(CommittedSpend.MayRun).Select(e => (e.PostId, e.Seat, e.Channel)).ToList();
        bool AdRunsElsewhere(PlannedDelivery d) =>
            d.Delivery.Ad is not null && adsRunning.Any(a => a.PostId == d.PostId && a.Seat == d.Seat && a.Channel != d.ChannelId);
        var reports = new DeliveryReport[plan.Deliveries.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, reports.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var delivery = plan.Deliveries[i];
                if (AdRunsElsewhere(delivery))
                {
                    delivery = delivery with { Delivery = delivery.Delivery with { Ad = null } };
                }

                var entry = matches[i];
                var identity = entry?.Identity ?? delivery.PostId;
                reports[i] = await DeliverAsync(delivery.WithIdentity(identity), identity, entry, guards, channelSecrets, ledger, runId, now, grace, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        await RenewDueAsync(content, channelSecrets, cancellationToken).ConfigureAwait(false);
        return [.. reports];
    }

    /// <summary>
    /// Renews, where due, the tokens of every channel, not only those this run sent on (whose secrets it
    /// has read already): a channel quiet for longer than its token lasts (60 days for Threads) would
    /// otherwise lose it. Only where the store keeps new values; a token that cannot be renewed is told of
    /// as when a post needs it, and the next run tries again.
    /// </summary>
    private async Task RenewDueAsync(SiteContent content, ChannelSecrets channelSecrets, CancellationToken cancellationToken)
    {
        if (!secrets.Writable)
        {
            return;
        }

        foreach (var channel in content.Channels)
        {
            if (!_clients.TryGetValue(channel.Platform, out var client) || client is not ISecretRenewal)
            {
                continue;
            }

            var probe = new Delivery($"renew-{channel.Id}", channel.Id, channel.Platform, channel.ApiUrl, channel.Account, string.Empty, null, content.Site.Language, null, null, ReadOnlyMemory<byte>.Empty);
            try
            {
                await channelSecrets.GetAsync(channel, client, probe, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The posts of this run are out; a token not renewed now is renewed by the next run or when a post needs it.
                LogSecretNotRenewed(_logger, $"channel '{channel.Id}': its secret '{channel.Secret}' could not be renewed now ({exception.GetType().Name}).");
            }
        }
    }

    private async Task<DeliveryReport> DeliverAsync(
        PlannedDelivery planned, string identity, DeliveryEntry? entry, SendGuards guards, ChannelSecrets channelSecrets, IDeliveryLedger ledger, string runId, DateTimeOffset now,
        TimeSpan grace, CancellationToken cancellationToken)
    {
        var report = new DeliveryReport(planned.PostId, identity, planned.Seat, planned.Language, planned.ChannelId, planned.Channel.Platform, DeliveryStatus.Scheduled);
        var status = DeliveryStatuses.Of(planned.Schedule, now, grace, entry);
        switch (status)
        {
            case DeliveryStatus.Scheduled:
                return report;
            case DeliveryStatus.Sent or DeliveryStatus.Retracted:
                if (entry!.CurrentSha256 != planned.MessageSha256 || entry.PostId != planned.PostId || entry.Retired is not null)
                {
                    await ledger.TryReplaceAsync(entry with { CurrentSha256 = planned.MessageSha256, PostId = planned.PostId, Retired = null }, cancellationToken).ConfigureAwait(false);
                }

                return report with { Status = status, RemoteUrl = entry.RemoteUrl };
            case DeliveryStatus.Unknown or DeliveryStatus.Missed when entry?.Status == status:
                return report with { Status = status, Error = entry.LastError };
            case DeliveryStatus.Missed:
                var missed = NewEntry(planned, identity, entry) with { Status = DeliveryStatus.Missed, ClaimedBy = null, NextAttempt = null };
                if (await SaveAsync(ledger, missed, entry, cancellationToken).ConfigureAwait(false) is not null)
                {
                    LogMissed(_logger, planned.PostId, planned.Seat, planned.Language, planned.ChannelId, planned.Channel.Platform, missed.LastError ?? "not sent within the grace period");
                }

                return report with { Status = DeliveryStatus.Missed, Error = missed.LastError };
            case DeliveryStatus.Failed when entry!.NextAttempt > now:
                return report with { Status = DeliveryStatus.Failed, Error = entry.LastError };
            case DeliveryStatus.Claimed when entry!.ClaimedAt + options.ClaimTimeout > now:
                return report with { Status = DeliveryStatus.Claimed };
        }

        // Due, a failure whose next attempt has come, or a claim its run left behind.
        var stale = status == DeliveryStatus.Claimed;
        var current = NewEntry(planned, identity, entry);
        if (!stale && Hold(planned, guards, now, grace, current.RemoteId) is { } hold)
        {
            var held = current with { Status = DeliveryStatus.Failed, LastError = hold, NextAttempt = now + options.FirstBackoff };
            if (await SaveAsync(ledger, held, entry, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogFailed(_logger, planned.PostId, planned.Seat, planned.Language, planned.ChannelId, planned.Channel.Platform, held.Attempts, hold, held.NextAttempt);
            }

            return report with { Status = DeliveryStatus.Failed, Error = hold };
        }

        // An earlier attempt may have made the post: a run that stopped after claiming, or an ambiguous answer repeated later.
        var pending = stale || entry?.FirstAttempt is not null;
        var claim = current with
        {
            Status = DeliveryStatus.Claimed,
            ClaimedBy = runId,
            ClaimedAt = now,
            FirstAttempt = entry?.FirstAttempt ?? (stale ? entry!.ClaimedAt : null) ?? now,

            // An earlier attempt may have made the ad set, which a later one finds by name and keeps with its budget.
            AdBudgetGbp = planned.Delivery.Ad?.LifetimeBudgetGbp is { } budget && entry?.AdBudgetGbp is { } earlier ? Math.Max(budget, earlier) : planned.Delivery.Ad?.LifetimeBudgetGbp,
        };
        if (await SaveAsync(ledger, claim, entry, cancellationToken).ConfigureAwait(false) is not { } claimed)
        {
            return report with { Status = DeliveryStatus.Claimed };
        }

        // What an earlier attempt left: a post it recorded with these words (a Page post whose ad failed), or one it may have made unrecorded.
        planned = planned with
        {
            Delivery = planned.Delivery with { EarlierRemoteId = claimed.RemoteId, EarlierAttempt = pending ? claimed.FirstAttempt : null },
        };

        // Until a request leaves, the delivery stands where it stood.
        var unsent = claimed with { FirstAttempt = entry?.FirstAttempt ?? (stale ? claimed.FirstAttempt : null) };

        if (!_clients.TryGetValue(planned.Channel.Platform, out var client))
        {
            return await RecordAsync(ledger, unsent, planned, report, new DeliveryResult(DeliveryOutcome.NotSent, Error: $"no client for {planned.Channel.Platform} is installed in this app"),
                now, grace, cancellationToken).ConfigureAwait(false);
        }

        var secret = await channelSecrets.GetAsync(planned.Channel, client, planned.Delivery, cancellationToken).ConfigureAwait(false);
        if (secret.Value is null)
        {
            var problem = secret.Problem ?? $"channel '{planned.ChannelId}': its secret '{planned.Channel.Secret}' could not be read";
            if (stale)
            {
                // The run that died may have sent it; without the secret nobody can ask the platform.
                return await RecordAsync(ledger, unsent, planned, report, new DeliveryResult(DeliveryOutcome.Unknown, Error: problem), now, grace, cancellationToken).ConfigureAwait(false);
            }

            return await RecordAsync(ledger, unsent, planned, report, new DeliveryResult(DeliveryOutcome.Rejected, Error: problem), now, grace, cancellationToken).ConfigureAwait(false);
        }

        // A repeat the platform dedupes, while it still remembers the first attempt.
        var repeatable = client.SafeToRepeat && (client.RepeatWindow is not { } window || now - claimed.FirstAttempt < window);
        if (pending && !repeatable)
        {
            // An earlier attempt may have sent it. Ask the platform, never guess.
            var found = await FindAsync(client, planned.Delivery, secret.Value, cancellationToken).ConfigureAwait(false);
            if (found?.Outcome == DeliveryOutcome.Sent)
            {
                return await RecordAsync(ledger, claimed, planned, report, found with { Error = Scrub(found.Error, secret.Value) }, now, grace, cancellationToken).ConfigureAwait(false);
            }

            if (found?.Outcome != DeliveryOutcome.NotSent)
            {
                var why = stale
                    ? $"a run claimed this delivery at {entry!.ClaimedAt:u} and stopped before recording what came of it; {planned.Channel.Platform} cannot say whether the post was made"
                    : $"an attempt at {claimed.FirstAttempt:u} may have made the post and {planned.Channel.Platform} keeps a repeat's key for less than the {(int)(now - claimed.FirstAttempt!.Value).TotalMinutes} minutes since then, so sending again could post twice; check the account and settle it with posts --confirm";
                return await RecordAsync(ledger, claimed, planned, report, new DeliveryResult(DeliveryOutcome.Unknown, Error: why), now, grace, cancellationToken).ConfigureAwait(false);
            }

            if (PostDelivery.StatusAt(planned.Schedule, now, grace, false) == PostStatus.Missed)
            {
                return await RecordAsync(ledger, claimed, planned, report, new DeliveryResult(DeliveryOutcome.NotSent, Error: "the platform holds no such post and the grace period is over"),
                    now, grace, cancellationToken).ConfigureAwait(false);
            }
        }

        if (stale && Hold(planned, guards, now, grace, claimed.RemoteId) is { } staleHold)
        {
            if (repeatable)
            {
                // Where a repeat is safe the platform was not asked above: the repeat would have named the
                // stopped run's post. Held, no repeat is made, so the platform is asked now, and a post
                // it may hold is never recorded as certainly not sent.
                var found = await FindAsync(client, planned.Delivery, secret.Value, cancellationToken).ConfigureAwait(false);
                if (found?.Outcome == DeliveryOutcome.Sent)
                {
                    return await RecordAsync(ledger, claimed, planned, report, found with { Error = Scrub(found.Error, secret.Value) }, now, grace, cancellationToken).ConfigureAwait(false);
                }

                if (found?.Outcome != DeliveryOutcome.NotSent)
                {
                    var why = $"a run claimed this delivery at {entry!.ClaimedAt:u} and stopped before recording what came of it, and it is now {staleHold}; {planned.Channel.Platform} cannot say whether the post was made: check the account and settle it with posts --confirm";
                    return await RecordAsync(ledger, claimed, planned, report, new DeliveryResult(DeliveryOutcome.Unknown, Error: why), now, grace, cancellationToken).ConfigureAwait(false);
                }
            }

            // The stopped run's post is not on the platform, so this is a send like any other, under the guards as they stand now.
            return await RecordAsync(ledger, claimed, planned, report, new DeliveryResult(DeliveryOutcome.NotSent, Error: staleHold), now, grace, cancellationToken).ConfigureAwait(false);
        }

        var token = secret.Value;
        var result = await SendAsync(client, planned, token, cancellationToken).ConfigureAwait(false);
        if (result.TokenRefused)
        {
            // Refused at the door, so nothing was posted: a token that renews itself gets one more try with its renewal.
            var renewed = await channelSecrets.RenewRefusedAsync(planned.Channel, client, planned.Delivery, token, cancellationToken).ConfigureAwait(false);
            if (renewed.Value is { } fresh && fresh != token)
            {
                token = fresh;
                result = await SendAsync(client, planned, token, cancellationToken).ConfigureAwait(false);
            }
            else if (renewed.Problem is { } problem)
            {
                result = result with { Error = $"{result.Error} {problem}" };
            }
        }

        result = result with { Error = Scrub(Scrub(result.Error, token), secret.Value) };
        if (result.Outcome is DeliveryOutcome.NotSent or DeliveryOutcome.Rejected && !pending && !result.MayHaveApplied)
        {
            // This attempt certainly made no post, and none before it did: the next starts afresh.
            claimed = claimed with { FirstAttempt = null };
        }

        if (result.Outcome == DeliveryOutcome.Unknown && !repeatable)
        {
            var found = await FindAsync(client, planned.Delivery with { EarlierAttempt = claimed.FirstAttempt ?? now }, token, cancellationToken).ConfigureAwait(false);
            if (found is { Outcome: DeliveryOutcome.Sent or DeliveryOutcome.NotSent })
            {
                found = found with { Error = Scrub(found.Error, token) };
                result = found.Outcome == DeliveryOutcome.NotSent ? found with { Error = found.Error ?? result.Error } : found;
            }
        }
        else if (result.Outcome == DeliveryOutcome.Unknown)
        {
            // A repeat cannot make a second post here, so an ambiguous answer is simply tried again.
            result = result with { Outcome = DeliveryOutcome.NotSent };
        }

        return await RecordAsync(ledger, claimed, planned, report, result, now, grace, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DeliveryResult> SendAsync(IPlatformClient client, PlannedDelivery planned, string secret, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(planned.Delivery, secret, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The client could not say what happened: the request may have reached the platform.
            return new DeliveryResult(DeliveryOutcome.Unknown, Error: $"{planned.Channel.Platform}: {exception.GetType().Name}");
        }
    }

    private static async Task<DeliveryResult?> FindAsync(IPlatformClient client, Delivery delivery, string secret, CancellationToken cancellationToken)
    {
        try
        {
            return await client.FindAsync(delivery, secret, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<DeliveryReport> RecordAsync(
        IDeliveryLedger ledger, DeliveryEntry claimed, PlannedDelivery planned, DeliveryReport report, DeliveryResult result, DateTimeOffset now, TimeSpan grace,
        CancellationToken cancellationToken)
    {
        var attempts = claimed.Attempts + 1;
        result = Plain(result);
        var error = result.Error is { Length: > 500 } lengthy ? lengthy[..500] + "…" : result.Error;
        var entry = result.Outcome switch
        {
            DeliveryOutcome.Sent => claimed with
            {
                Status = DeliveryStatus.Sent,
                Attempts = attempts,
                RemoteId = result.RemoteId,
                RemoteUrl = result.RemoteUrl,
                SentAt = now,
                LastError = null,
                NextAttempt = null,
            },
            DeliveryOutcome.Unknown => claimed with { Status = DeliveryStatus.Unknown, Attempts = attempts, LastError = error ?? "the platform's answer was lost", NextAttempt = null },
            _ => claimed with
            {
                Status = DeliveryStatus.Failed,
                Attempts = attempts,
                LastError = error ?? result.Outcome.ToString(),
                NextAttempt = result.RetryAt is { } at && at > now ? at : now + Backoff(attempts),

                // A post made before a later step failed (a Page post whose ad was not made): the next attempt carries on from it.
                RemoteId = result.RemoteId ?? claimed.RemoteId,
                RemoteUrl = result.RemoteUrl ?? claimed.RemoteUrl,
            },
        };
        if (entry.Status == DeliveryStatus.Failed && PostDelivery.StatusAt(planned.Schedule, entry.NextAttempt!.Value, grace, false) == PostStatus.Missed)
        {
            // The next try would come after the grace period: missed now, so the ledger never waits for nothing.
            entry = entry with { Status = DeliveryStatus.Missed, NextAttempt = null };
        }

        entry = entry with { ClaimedBy = entry.Status == DeliveryStatus.Sent ? claimed.ClaimedBy : null };
        var saved = await ledger.TryReplaceAsync(entry, cancellationToken).ConfigureAwait(false);
        var (platform, post, seat, language, channel) = (planned.Channel.Platform, planned.PostId, planned.Seat, planned.Language, planned.ChannelId);
        switch (entry.Status)
        {
            case DeliveryStatus.Sent:
                LogSent(_logger, post, seat, language, channel, platform, entry.RemoteUrl);
                break;
            case DeliveryStatus.Unknown:
                LogUnknown(_logger, post, seat, language, channel, platform, entry.LastError!);
                break;
            case DeliveryStatus.Missed:
                LogMissed(_logger, post, seat, language, channel, platform, entry.LastError ?? "not sent within the grace period");
                break;
            default:
                LogFailed(_logger, post, seat, language, channel, platform, entry.Attempts, entry.LastError!, entry.NextAttempt);
                break;
        }

        if (saved is null)
        {
            LogLostClaim(_logger, post, seat, language, channel, DeliveryStatuses.Name(entry.Status));
        }

        return report with { Status = entry.Status, SentByThisRun = entry.Status == DeliveryStatus.Sent, RemoteUrl = entry.RemoteUrl, Error = entry.LastError };
    }

    /// <summary>
    /// A person settles an unknown delivery: <paramref name="sent"/> when the post is on the platform,
    /// otherwise it may be tried again while its grace period lasts. Returns the deliveries settled.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryEntry>> ConfirmAsync(IDeliveryLedger ledger, string postId, string seat, string channel, bool sent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settled = new List<DeliveryEntry>();
        var entries = await ledger.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries.Where(e => (e.Identity == postId || e.PostId == postId) && e.Seat == seat && e.Channel == channel && e.Status == DeliveryStatus.Unknown))
        {
            var changed = sent
                ? entry with { Status = DeliveryStatus.Sent, SentAt = now, LastError = $"confirmed sent by a person at {now:u}" }
                : entry with { Status = DeliveryStatus.Failed, NextAttempt = now, ClaimedBy = null, FirstAttempt = null, LastError = $"confirmed not sent by a person at {now:u}" };
            if (await ledger.TryReplaceAsync(changed, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                settled.Add(saved);
            }
        }

        return settled;
    }

    /// <summary>
    /// Removes a post from every channel it reached, through each platform's client; a delivery that
    /// cannot be retracted keeps its status and says why.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryReport>> RetractAsync(PostPlan plan, SiteContent content, IDeliveryLedger ledger, string postId, CancellationToken cancellationToken)
    {
        var reports = new List<DeliveryReport>();
        var entries = await ledger.ReadAllAsync(cancellationToken).ConfigureAwait(false);

        // Tokens expire by the platform's wall clock.
        var channelSecrets = new ChannelSecrets(secrets, TimeProvider.System.GetUtcNow(), hosts: options.ChannelHosts);
        foreach (var entry in entries.Where(e => (e.Identity == postId || e.PostId == postId) && e.Status == DeliveryStatus.Sent))
        {
            var report = new DeliveryReport(entry.PostId, entry.Identity, entry.Seat, entry.Language, entry.Channel, entry.Platform, entry.Status, RemoteUrl: entry.RemoteUrl);
            var planned = plan.Deliveries.FirstOrDefault(d => d.Seat == entry.Seat && d.Language == entry.Language && d.ChannelId == entry.Channel && (d.PostId == entry.PostId || d.PostId == entry.Identity));
            var channel = planned?.Channel ?? content.Channels.FirstOrDefault(c => c.Id == entry.Channel);
            string? problem = null;
            if (entry.RemoteId is null)
            {
                problem = "the ledger holds no remote id for it (confirmed by hand?): remove it on the platform itself";
            }
            else if (channel is null)
            {
                problem = $"channels.yaml no longer has the channel '{entry.Channel}'";
            }
            else if (!_clients.TryGetValue(channel.Platform, out var client))
            {
                problem = $"no client for {channel.Platform} is installed in this app";
            }
            else
            {
                var delivery = planned?.WithIdentity(entry.Identity).Delivery ?? new Delivery(
                    DeliveryPlanner.KeyFor(entry.Identity, entry.Seat, entry.Language, channel.Id), channel.Id, channel.Platform, channel.ApiUrl, channel.Account,
                    string.Empty, null, entry.Language, null, null, ReadOnlyMemory<byte>.Empty);
                var lookup = await channelSecrets.GetAsync(channel, client, delivery, cancellationToken).ConfigureAwait(false);
                if (lookup.Value is not { } secret)
                {
                    reports.Add(report with { Error = lookup.Problem });
                    continue;
                }

                var result = await client.RetractAsync(delivery, entry.RemoteId, secret, cancellationToken).ConfigureAwait(false);
                if (result.Outcome == DeliveryOutcome.Sent)
                {
                    await ledger.TryReplaceAsync(entry with { Status = DeliveryStatus.Retracted, LastError = null }, cancellationToken).ConfigureAwait(false);
                    reports.Add(report with { Status = DeliveryStatus.Retracted });
                    continue;
                }

                problem = Plain(result with { Error = Scrub(result.Error, secret) }).Error ?? $"{channel.Platform} did not remove it ({result.Outcome})";
            }

            reports.Add(report with { Error = problem });
        }

        return reports;
    }

    /// <summary>
    /// A platform's answer as the ledger may keep it: text is shown in terminals and pages, so it loses
    /// control characters (a hostile answer could rewrite an operator's screen), and a link that is
    /// not a web address is dropped.
    /// </summary>
    private static DeliveryResult Plain(DeliveryResult result) => result with
    {
        RemoteId = Plain(result.RemoteId),
        RemoteUrl = Uri.TryCreate(result.RemoteUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) &&
                    !result.RemoteUrl.Any(char.IsControl)
            ? result.RemoteUrl
            : null,
        Error = Plain(result.Error),
    };

    private static string? Plain(string? text) =>
        text is null || !text.Any(char.IsControl) ? text : new string(LineBreaks().Replace(text, " ").Where(c => !char.IsControl(c)).ToArray());

    [System.Text.RegularExpressions.GeneratedRegex(@"[\r\n\t]+")]
    private static partial System.Text.RegularExpressions.Regex LineBreaks();

    private TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, options.FirstBackoff.Ticks * (1L << Math.Min(attempts - 1, 20))));

    /// <summary>Clients keep secrets out of their errors; should one echo a platform's answer that quotes the token, it still goes no further.</summary>
    private static string? Scrub(string? error, string secret) => error is null || secret.Length == 0 ? error : error.Replace(secret, "[secret]", StringComparison.Ordinal);

    /// <summary>Why a sponsored post may not go out now, checked again at send time: approval, spending limits, imprint.</summary>
    private sealed record SendGuards(SiteContent Content, PostPlan Plan, ApprovalBook Approvals, ImmutableArray<CommittedSpend> Committed);

    /// <param name="posted">A Page post an earlier attempt left up without its ad, if any.</param>
    private static string? Hold(PlannedDelivery planned, SendGuards guards, DateTimeOffset now, TimeSpan grace, string? posted)
    {
        if (!planned.Version.Message.Contains(planned.Post.Imprint.Text, StringComparison.Ordinal))
        {
            return "held: the message does not carry the imprint";
        }

        if (planned.Post.Post.Sponsored is not { } sponsored)
        {
            return null;
        }

        if (sponsored.End <= now)
        {
            // Meta refuses an ad set that ends in the past, after the Page post is up: every part of a paid post waits, so none goes out unpaid.
            string Local(DateTimeOffset instant) =>
                SiteClock.ToLocal(instant, guards.Content.Site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var clocks = SiteClock.TimeName(guards.Content.Site.TimeZone);
            var missed = $"or it is missed when its grace period ends at {Local(planned.Schedule + grace)}";
            return posted is null
                ? $"held: the promotion of {planned.PostId} for {planned.Seat} ended at {Local(sponsored.End)} ({clocks}) before it could be sent, so nothing was posted; move its `end` later to run it, {missed}"
                : $"held: the promotion of {planned.PostId} for {planned.Seat} ended at {Local(sponsored.End)} ({clocks}) before its ad could be made; its Page post {posted} is up unpaid: delete it on the Page, or move its `end` later to run the ad, {missed}";
        }

        if (PostApprovals.NeedsApproval(guards.Content.Site, planned.Post.Post))
        {
            // Approval binds a listed approver to exactly these words, budget, schedule and channels. A
            // message sent once for several seats carries the words each of them approves.
            if (guards.Approvals.StateOf(guards.Content.Site, guards.Plan, planned.Post) is { Status: ApprovalStatus.Awaiting } approval
                && planned.SharedWith.All(seat => guards.Approvals.StateOf(guards.Content.Site, guards.Plan, seat).Status == ApprovalStatus.Awaiting))
            {
                return $"held: {approval.Describe()}";
            }
        }
        else if (string.IsNullOrWhiteSpace(planned.Post.Post.ApprovedBy))
        {
            return "held: a sponsored post needs 'approved_by'";
        }

        var reached = SpendReport.ExceededBy(guards.Content, planned.Post.Post, planned.Post.Seat, guards.Committed);
        return reached is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"held: the spending limit '{reached.Limit.Name}' is reached for {reached.Subject} (£{reached.Spend:N2} of £{reached.Allowed:N2}); `spend` shows the same figures");
    }

    private static DeliveryEntry NewEntry(PlannedDelivery planned, string identity, DeliveryEntry? before)
    {
        var entry = (before ?? new DeliveryEntry(identity, planned.Seat, planned.Language, planned.ChannelId) { MessageSha256 = planned.MessageSha256 }) with
        {
            Platform = planned.Channel.Platform,
            PostId = planned.PostId,
            Scheduled = planned.Schedule,
            Day = planned.Day,
            CurrentSha256 = planned.MessageSha256,
            Retired = null,

            // Until it goes out, what goes out is the text as it stands.
            MessageSha256 = before?.Status is DeliveryStatus.Sent ? before.MessageSha256 : planned.MessageSha256,
        };

        // A post an attempt left with other words is not the one to carry on from.
        return before is { Status: not DeliveryStatus.Sent and not DeliveryStatus.Retracted, RemoteId: not null } && before.MessageSha256 != planned.MessageSha256
            ? entry with { RemoteId = null, RemoteUrl = null }
            : entry;
    }

    private static Task<DeliveryEntry?> SaveAsync(IDeliveryLedger ledger, DeliveryEntry entry, DeliveryEntry? before, CancellationToken cancellationToken) =>
        before is null ? ledger.TryAddAsync(entry, cancellationToken) : ledger.TryReplaceAsync(entry, cancellationToken);

    [LoggerMessage(EventId = 4100, EventName = "DeliverySent", Level = LogLevel.Information,
        Message = "Social delivery sent: {PostId} for {Seat} ({Language}) on {Channel} ({Platform}): {RemoteUrl}")]
    private static partial void LogSent(ILogger logger, string postId, string seat, string language, string channel, string platform, string? remoteUrl);

    [LoggerMessage(EventId = 4101, EventName = "DeliveryFailed", Level = LogLevel.Warning,
        Message = "Social delivery failed: {PostId} for {Seat} ({Language}) on {Channel} ({Platform}), attempt {Attempts}: {Error}. Next attempt {NextAttempt}.")]
    private static partial void LogFailed(ILogger logger, string postId, string seat, string language, string channel, string platform, int attempts, string error, DateTimeOffset? nextAttempt);

    [LoggerMessage(EventId = 4102, EventName = "DeliveryUnknown", Level = LogLevel.Error,
        Message = "Social delivery unknown: {PostId} for {Seat} ({Language}) on {Channel} ({Platform}) may or may not have gone out: {Error}. Settle it with posts --confirm.")]
    private static partial void LogUnknown(ILogger logger, string postId, string seat, string language, string channel, string platform, string error);

    [LoggerMessage(EventId = 4103, EventName = "DeliveryMissed", Level = LogLevel.Warning,
        Message = "Social delivery missed: {PostId} for {Seat} ({Language}) on {Channel} ({Platform}): {Error}")]
    private static partial void LogMissed(ILogger logger, string postId, string seat, string language, string channel, string platform, string error);

    /// <summary>The event of a token due for renewal used as it is.</summary>
    public const string SecretNotRenewedEvent = "SecretNotRenewed";

    /// <summary>The event of an authorisation that no renewal extends, in its last days.</summary>
    public const string AuthorisationEndingEvent = "AuthorisationEnding";

    [LoggerMessage(EventId = 4105, EventName = SecretNotRenewedEvent, Level = LogLevel.Warning, Message = "Social delivery used a token due for renewal as it is: {Problem}")]
    private static partial void LogSecretNotRenewed(ILogger logger, string problem);

    [LoggerMessage(EventId = 4106, EventName = AuthorisationEndingEvent, Level = LogLevel.Warning, Message = "Social channel authorisation ends soon: {Notice}")]
    private static partial void LogAuthorisationEnding(ILogger logger, string notice);

    [LoggerMessage(EventId = 4104, EventName = "DeliveryClaimLost", Level = LogLevel.Error,
        Message = "Social delivery {PostId} for {Seat} ({Language}) on {Channel} could not be recorded as {Status}: another run changed its entry.")]
    private static partial void LogLostClaim(ILogger logger, string postId, string seat, string language, string channel, string status);
}
