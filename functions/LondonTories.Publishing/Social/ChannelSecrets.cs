using System.Collections.Concurrent;
using System.Globalization;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Platforms;

namespace LondonTories.Publishing.Social;

/// <summary>
/// One run's view of the channels' secrets: each read once, and renewed once where its platform's
/// token has gone stale or the platform refused it, so that deliveries in parallel on one channel never spend one refresh token
/// twice. A renewed value is stored before it is used, and a store that cannot keep it is found out
/// before the platform is asked, since the platform retires the old refresh token as it answers.
/// </summary>
/// <param name="warn">Told, once per secret and run, why a secret due for renewal that still works is used as it is.</param>
/// <param name="ending">Told, once per secret and run, that the authorisation behind a secret ends within <see cref="AuthorisationNotice"/>.</param>
/// <param name="hosts">The hosts beyond each platform's own that a secret may go to; a channel pointing elsewhere gets no secret, and its secret is not even read.</param>
public sealed class ChannelSecrets(ISecretStore store, DateTimeOffset now, Action<string>? warn = null, Action<string>? ending = null, ChannelHosts? hosts = null)
{
    /// <summary>
    /// How early an authorisation that no renewal extends is told of before it ends: long enough for
    /// an administrator of the account to be found, and for a token set stored a month ahead of a campaign.
    /// </summary>
    public static readonly TimeSpan AuthorisationNotice = TimeSpan.FromDays(30);

    private readonly ConcurrentDictionary<(string Platform, string Name), Lazy<Task<SecretLookup>>> _read = new();
    private readonly ConcurrentDictionary<(string Platform, string Name), Lazy<Task<SecretLookup>>> _refused = new();

    /// <summary>The channel's secret, renewed where it must be; a problem is a whole sentence naming the channel, the secret and the fix, never a value.</summary>
    public Task<SecretLookup> GetAsync(Channel channel, IPlatformClient client, Delivery delivery, CancellationToken cancellationToken) =>
        (hosts ?? ChannelHosts.None).Refusal(channel) is { } refusal
            ? Task.FromResult(SecretLookup.Missing(refusal))
            : _read.GetOrAdd((client.Platform, channel.Secret), _ => new Lazy<Task<SecretLookup>>(() => ReadAsync(channel, client, delivery, cancellationToken))).Value;

    /// <summary>
    /// The channel's secret after its platform refused <paramref name="refused"/> before it was due
    /// for renewal (revoked, or renewed elsewhere): renewed once per run however many deliveries met
    /// the refusal, or the value another delivery of this run already renewed it to.
    /// </summary>
    public async Task<SecretLookup> RenewRefusedAsync(Channel channel, IPlatformClient client, Delivery delivery, string refused, CancellationToken cancellationToken)
    {
        var current = await GetAsync(channel, client, delivery, cancellationToken).ConfigureAwait(false);
        if (current.Value != refused || client is not ISecretRenewal renewal || !renewal.CanRenew(refused))
        {
            return current;
        }

        var key = (client.Platform, channel.Secret);
        return await _refused.GetOrAdd(key, _ => new Lazy<Task<SecretLookup>>(async () =>
        {
            var renewed = await RenewAsync(channel, client, renewal, delivery, refused, $"was refused by {client.Platform}", cancellationToken).ConfigureAwait(false);
            if (renewed.Value is not null)
            {
                // Deliveries that start after this one use the renewed value.
                _read[key] = new Lazy<Task<SecretLookup>>(Task.FromResult(renewed));
            }

            return renewed;
        })).Value.ConfigureAwait(false);
    }

    private async Task<SecretLookup> ReadAsync(Channel channel, IPlatformClient client, Delivery delivery, CancellationToken cancellationToken)
    {
        var name = channel.Secret;
        var lookup = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (lookup.Value is not { } value)
        {
            return SecretLookup.Missing($"channel '{channel.Id}': its secret '{name}' could not be read: {lookup.Problem}");
        }

        var renewal = client as ISecretRenewal;
        if (renewal?.AuthorisationEnds(value) is { } end && end > now && end - now <= AuthorisationNotice)
        {
            ending?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"channel '{channel.Id}': the {client.Platform} authorisation in its secret '{name}' ends at {end.UtcDateTime:yyyy-MM-dd HH:mm}Z, " +
                $"in {Math.Ceiling((end - now).TotalDays):0} days, and no renewal extends it; after that its posts fail. " +
                $"Ask an administrator of the account to authorise the app again and store the new token set under '{name}' before then."));
        }

        if (renewal is null || !renewal.NeedsRenewal(value, now))
        {
            return lookup;
        }

        // A token that still works goes on being used when it cannot be renewed now: the next run tries again.
        if (!store.Writable && renewal.StillWorks(value, now))
        {
            warn?.Invoke($"channel '{channel.Id}': the token in its secret '{name}' is due to be renewed, but {store.Description} cannot keep a new one; it is used as it is until it lapses.");
            return lookup;
        }

        var renewed = await RenewAsync(channel, client, renewal, delivery, value, "has expired or is about to", cancellationToken).ConfigureAwait(false);
        if (renewed.Value is null && renewal.StillWorks(value, now))
        {
            warn?.Invoke($"{renewed.Problem} It is used as it is until it can be renewed.");
            return lookup;
        }

        return renewed;
    }

    private async Task<SecretLookup> RenewAsync(Channel channel, IPlatformClient client, ISecretRenewal renewal, Delivery delivery, string value, string why, CancellationToken cancellationToken)
    {
        var name = channel.Secret;
        if (!store.Writable)
        {
            return SecretLookup.Missing(
                $"channel '{channel.Id}': the token in its secret '{name}' {why}, but {store.Description} cannot keep a renewed one. " +
                $"Let the Functions app deliver (it renews through Key Vault), or store a fresh token set under '{name}'.");
        }

        var renewed = await renewal.RenewAsync(delivery, value, now, cancellationToken).ConfigureAwait(false);
        if (renewed.Value is not { } fresh)
        {
            // Another process may have renewed it first and spent the refresh token this one held: what it stored is the token now.
            var again = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (again.Value is { } current && current != value && !renewal.NeedsRenewal(current, now))
            {
                return again;
            }

            return SecretLookup.Missing($"channel '{channel.Id}': the token in its secret '{name}' could not be renewed: {renewed.Error}");
        }

        if (await store.SetAsync(name, fresh, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            // The platform has already retired the old refresh token; the new one lives only in this run.
            return SecretLookup.Missing(
                $"channel '{channel.Id}': its token was renewed but the new one could not be stored ({problem}), and {client.Platform} has retired the old refresh token: " +
                $"authorise the app again and store the new token set under '{name}'.");
        }

        return SecretLookup.Found(fresh);
    }
}
