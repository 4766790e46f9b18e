using LondonTories.Publishing.Content;

namespace LondonTories.Functions;

/// <summary>
/// Every app setting the Functions app reads. The infrastructure sets each of them, and a test holds
/// the two in step.
/// </summary>
public static class AppSettings
{
    /// <summary>
    /// The storage account for content, the site, the ledgers and the runtime itself: a connection
    /// string, or identity-based through <c>AzureWebJobsStorage__blobServiceUri</c>,
    /// <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c> and <c>__clientId</c>.
    /// </summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>NCRONTAB schedule of the timer that publishes what falls due, in UTC. Default every 5 minutes.</summary>
    public const string PublishSchedule = "PUBLISH_SCHEDULE";

    /// <summary>Share of the published files a run may delete before it refuses (the deletion guard). Default 0.25.</summary>
    public const string MaxDeleteShare = "PUBLISH_MAX_DELETE_SHARE";

    /// <summary>How late a scheduled social post may still go out, as a TimeSpan (hh:mm:ss). Default 06:00:00.</summary>
    public const string SocialGracePeriod = "SOCIAL_GRACE_PERIOD";

    /// <summary>Days the history container's lifecycle rule keeps what it packs; runs pack again what the site still holds after half as long. Default 180.</summary>
    public const string HistoryRetentionDays = "HISTORY_RETENTION_DAYS";

    /// <summary>The Key Vault holding the channels' secrets (tokens, app passwords, signing keys), e.g. <c>https://kv-name.vault.azure.net/</c>.</summary>
    public const string KeyVaultUri = "KEY_VAULT_URI";

    /// <summary>
    /// The Entra ID object ids of everyone who may approve, separated by commas: site.yaml's approvers
    /// must be among them, since whoever writes content can change site.yaml. Empty: site.yaml alone decides, and each run warns of it.
    /// </summary>
    public const string Approvers = ApprovalPolicy.ApproversSetting;

    /// <summary>What needs approval whatever site.yaml says: <c>sponsored</c>, <c>pages</c>, both separated by a comma, or empty for nothing beyond site.yaml.</summary>
    public const string ApprovalRequired = ApprovalPolicy.RequiredSetting;

    /// <summary>Hosts beyond each platform's own API that a channel's secret may be sent to (a Mastodon instance, a Bluesky PDS), separated by commas.</summary>
    public const string ChannelHosts = Publishing.Social.ChannelHosts.Setting;

    /// <summary>Application Insights, as the Functions host reads it.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Entra ID authentication of telemetry, e.g. <c>Authorization=AAD;ClientId=…</c>.</summary>
    public const string ApplicationInsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
}
