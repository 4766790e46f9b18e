namespace LondonTories.Publishing.Webhooks;

/// <summary>Finds a webhook's signing secret by the name constituencies.yaml gives; null when there is none.</summary>
public interface IWebhookSecrets
{
    string? Find(string name);
}

/// <summary>Secrets from environment variables (in Azure, app settings that reference Key Vault).</summary>
public sealed class EnvironmentWebhookSecrets : IWebhookSecrets
{
    public string? Find(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
