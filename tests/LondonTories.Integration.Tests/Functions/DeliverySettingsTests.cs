using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>The Functions app is where posts go out: it delivers, and reads secrets from its vault.</summary>
public sealed class DeliverySettingsTests
{
    [Fact]
    public void The_app_delivers_and_reads_secrets_from_the_vault_its_setting_names()
    {
        var settings = AppSettingsFrom.Values(new() { [AppSettings.KeyVaultUri] = "https://kv-test.vault.azure.net/", ["AzureWebJobsStorage:clientId"] = "1c2d3e4f-0000-0000-0000-000000000000" });
        var options = new StorageOptions();

        settings.ConfigureStorage(options);

        Assert.True(options.Deliver);
        var store = Assert.IsType<KeyVaultSecretStore>(settings.SecretStore);
        Assert.Equal("Key Vault https://kv-test.vault.azure.net/", store.Description);
    }

    [Fact]
    public void Without_a_vault_the_app_reads_secrets_from_its_environment()
    {
        Assert.IsType<EnvironmentSecretStore>(AppSettingsFrom.Values([]).SecretStore);
    }
}
