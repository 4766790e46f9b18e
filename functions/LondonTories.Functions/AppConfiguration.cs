using System.Globalization;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Functions;

/// <summary>Reads the app settings named in <see cref="AppSettings"/> into the pipeline's options.</summary>
public sealed class AppConfiguration(IConfiguration configuration)
{
    /// <summary>
    /// <c>AzureWebJobsStorage</c> as a connection string, or its identity-based parts
    /// (<c>AzureWebJobsStorage__blobServiceUri</c> and the rest, which configuration reads as
    /// <c>AzureWebJobsStorage:blobServiceUri</c>).
    /// </summary>
    public StorageConnection StorageConnection => StorageConnection.FromSettings(AppSettings.Storage,
        part => part.Length == 0 ? configuration[AppSettings.Storage] : configuration[$"{AppSettings.Storage}:{part}"]);

    /// <summary>
    /// The channels' secrets: the Key Vault of <see cref="AppSettings.KeyVaultUri"/>, read with the app's
    /// own identity (the one its storage connection names); without a vault, environment variables.
    /// </summary>
    public ISecretStore SecretStore => configuration[AppSettings.KeyVaultUri] is { Length: > 0 } vault
        ? new KeyVaultSecretStore(new SecretClient(new Uri(vault), new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = configuration[$"{AppSettings.Storage}:clientId"] is { Length: > 0 } id ? id : null,
        })))
        : new EnvironmentSecretStore();

    /// <summary>The delivery run's options: the hosts of <see cref="AppSettings.ChannelHosts"/>.</summary>
    public DeliveryOptions DeliveryOptions => new() { ChannelHosts = ChannelHosts.Parse(configuration[AppSettings.ChannelHosts]) };

    /// <summary>Who may approve and what must be approved, from <see cref="AppSettings.Approvers"/> and <see cref="AppSettings.ApprovalRequired"/>: settings editors cannot change.</summary>
    public ApprovalPolicy ApprovalPolicy
    {
        get
        {
            try
            {
                return ApprovalPolicy.Parse(configuration[AppSettings.Approvers], configuration[AppSettings.ApprovalRequired], "the app setting", unguardedWhenEmpty: true);
            }
            catch (FormatException exception)
            {
                throw new InvalidOperationException(exception.Message, exception);
            }
        }
    }

    public void ConfigureStorage(StorageOptions options)
    {
        // The app is where posts go out; a CLI run delivers only when asked to.
        options.Deliver = true;
        if (configuration[AppSettings.MaxDeleteShare] is { Length: > 0 } text)
        {
            options.MaxDeleteShare = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1
                ? share
                : throw new InvalidOperationException($"{AppSettings.MaxDeleteShare} is '{text}'; set it to a share between 0 and 1, such as 0.25.");
        }

        if (configuration[AppSettings.SocialGracePeriod] is { Length: > 0 } grace)
        {
            if (PostDelivery.HoursPastADay(grace) is { } meant)
            {
                throw new InvalidOperationException($"{AppSettings.SocialGracePeriod} is '{grace}', but hours stop at 23: set it to {meant.ToString("d'.'hh':'mm':'ss", CultureInfo.InvariantCulture)} (days.hours:minutes:seconds).");
            }

            // TimeSpan reads a bare number as days: '6' meant for six hours would send posts six days late.
            options.SocialGracePeriod = !double.TryParse(grace, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                && TimeSpan.TryParse(grace, CultureInfo.InvariantCulture, out var period) && period >= TimeSpan.Zero
                ? period <= TimeSpan.FromDays(PostDelivery.MaximumGraceDays)
                    ? period
                    // As the CLI's --grace: a post later than that is out of date, and a longer window reaches past the dates a clock can hold.
                    : throw new InvalidOperationException($"{AppSettings.SocialGracePeriod} is '{grace}', longer than {PostDelivery.MaximumGraceDays} days; set it to a time span such as 06:00:00 (six hours).")
                : throw new InvalidOperationException($"{AppSettings.SocialGracePeriod} is '{grace}'; set it to a time span such as 06:00:00 (six hours).");
        }

        if (configuration[AppSettings.HistoryRetentionDays] is { Length: > 0 } retention)
        {
            // Half the retention: the files the site holds are packed again long before the rule could age them out.
            options.RepackHistoryAfter = int.TryParse(retention, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
                ? TimeSpan.FromDays(days) / 2
                : throw new InvalidOperationException($"{AppSettings.HistoryRetentionDays} is '{retention}'; set it to a whole number of days, such as 180.");
        }
    }
}
