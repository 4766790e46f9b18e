using System.Text.Json.Nodes;
using LondonTories.Functions;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>The Key Vault of the channels' secrets and the alert on deliveries that did not go out.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class DeliveryInfrastructureTests(CompiledInfrastructure infra)
{
    private const string VaultType = "Microsoft.KeyVault/vaults";

    [Fact]
    public void The_vault_uses_rbac_keeps_deleted_secrets_and_cannot_be_purged_early()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var properties = snapshot.Single(VaultType)["properties"];

            Assert.Equal("true", properties?["enableRbacAuthorization"]?.ToString());
            Assert.Equal("true", properties?["enableSoftDelete"]?.ToString());
            Assert.Equal("true", properties?["enablePurgeProtection"]?.ToString());
            Assert.Equal("90", properties?["softDeleteRetentionInDays"]?.ToString());
            Assert.Null(properties?["accessPolicies"]);
        }
    }

    [Fact]
    public void Only_the_apps_identity_may_read_and_renew_the_vaults_secrets_and_only_there()
    {
        var vaultId = DeploymentSnapshot.Id(infra.Dev.Single(VaultType));
        var identityId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));

        var onVault = infra.Dev.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => DeploymentSnapshot.Id(a).StartsWith(vaultId + "/", StringComparison.OrdinalIgnoreCase)).ToList();

        var assignment = Assert.Single(onVault);
        Assert.EndsWith("/b86a8fe4-44ce-4948-aee5-eccb2c155cd7", Arm.Text(assignment["properties"], "roleDefinitionId"));
        Assert.True(Arm.IsReference(Arm.Text(assignment["properties"], "principalId"), identityId, "principalId"));
    }

    [Fact]
    public void The_app_reads_the_vault_by_its_uri()
    {
        var settings = infra.Dev.Single("Microsoft.Web/sites")["properties"]?["siteConfig"]?["appSettings"]?.AsArray().OfType<JsonObject>()
            .ToDictionary(e => Arm.Text(e, "name") ?? "", e => Arm.Text(e, "value"));
        var vaultModule = Arm.Templates(infra.Template).Single(t => t["outputs"]?["uri"] is not null && Arm.DeclaredResources(t).Any(r => Arm.Text(r, "type") == VaultType));

        // The setting is the vault module's output, which is the vault's own URI.
        Assert.Matches(@"'keyVault-.*\.outputs\.uri\.value\]$", settings?[AppSettings.KeyVaultUri]);
        Assert.Contains(".vaultUri", Arm.Text(vaultModule["outputs"]?["uri"], "value"));
    }

    [Fact]
    public void Failed_unknown_and_missed_deliveries_raise_an_alert_mailed_to_the_parameters_address()
    {
        var rule = infra.AzdProd.Single("Microsoft.Insights/scheduledQueryRules");
        var group = infra.AzdProd.Single("Microsoft.Insights/actionGroups");
        var workspaceId = DeploymentSnapshot.Id(infra.AzdProd.Single("Microsoft.OperationalInsights/workspaces"));

        var query = Arm.Text(rule["properties"]?["criteria"]?["allOf"]?[0], "query") ?? "";
        Assert.Contains("\"DeliveryFailed\", \"DeliveryUnknown\", \"DeliveryMissed\", \"SecretNotRenewed\", \"AuthorisationEnding\"", query);
        Assert.Equal(workspaceId, rule["properties"]?["scopes"]?[0]?.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.True(Arm.ContainsReference(rule["properties"]?["actions"]?["actionGroups"]?[0]?.ToString(), DeploymentSnapshot.Id(group), "id")
                    || string.Equals(rule["properties"]?["actions"]?["actionGroups"]?[0]?.ToString(), DeploymentSnapshot.Id(group), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(CompiledInfrastructure.AlertEmail, Arm.Text(group["properties"]?["emailReceivers"]?[0], "emailAddress"));
        Assert.Empty(infra.Dev.Single("Microsoft.Insights/actionGroups")["properties"]?["emailReceivers"]?.AsArray() ?? []);
    }

    [Fact]
    public void The_log_events_the_alert_looks_for_are_those_the_delivery_run_writes()
    {
        var query = Arm.Text(infra.AzdProd.Single("Microsoft.Insights/scheduledQueryRules")["properties"]?["criteria"]?["allOf"]?[0], "query") ?? "";
        var events = typeof(LondonTories.Publishing.Social.DeliveryRunner).GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            .SelectMany(m => m.GetCustomAttributes(typeof(Microsoft.Extensions.Logging.LoggerMessageAttribute), false).Cast<Microsoft.Extensions.Logging.LoggerMessageAttribute>())
            .Where(a => a.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && a.EventName != "DeliveryClaimLost")
            .ToList();

        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Contains($"\"{e.EventName}\"", query));
        Assert.All(events, e => Assert.Contains($"Message startswith \"{e.Message[..e.Message.IndexOf(':', StringComparison.Ordinal)]}\"", query));
    }
}
