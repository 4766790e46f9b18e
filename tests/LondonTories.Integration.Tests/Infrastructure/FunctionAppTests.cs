using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LondonTories.Functions;

namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed class FunctionAppTests(CompiledInfrastructure infra)
{
    private const string SiteType = "Microsoft.Web/sites";

    /// <summary>Identity-based form of a connection setting: each of these is set instead of a connection string.</summary>
    private static readonly string[] IdentityConnectionSuffixes =
        ["__blobServiceUri", "__queueServiceUri", "__tableServiceUri", "__credential", "__clientId"];

    /// <summary>Flex Consumption refuses to create an app that sets any of these.</summary>
    private static readonly string[] SettingsFlexConsumptionRejects =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "AzureWebJobsDashboard",
    ];

    /// <summary>The constants of LondonTories.Functions.AppSettings: every setting the app reads.</summary>
    public static IReadOnlyList<string> SettingNames { get; } = typeof(AppSettings)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToList();

    public static TheoryData<string> SettingsTheAppReads() => [.. SettingNames];

    [Fact]
    public void The_settings_are_read_from_the_functions_app()
    {
        // Guards the reflection itself: AppSettings names the storage connection and Application Insights.
        Assert.Contains(AppSettings.Storage, SettingNames);
        Assert.Contains(AppSettings.ApplicationInsightsAuthentication, SettingNames);
    }

    [Theory]
    [MemberData(nameof(SettingsTheAppReads))]
    public void Every_setting_the_app_reads_is_set(string setting)
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var settings = AppSettingsOf(snapshot);
            if (setting == AppSettings.Storage)
            {
                var missing = IdentityConnectionSuffixes.Where(suffix => !settings.ContainsKey(setting + suffix)).ToList();
                Assert.True(missing.Count == 0, $"{snapshot.ParameterFile}: {setting} needs the identity-based settings {string.Join(", ", missing.Select(suffix => setting + suffix))}");
                Assert.False(settings.ContainsKey(setting), $"{snapshot.ParameterFile}: {setting} must not be a connection string (shared keys are off)");
            }
            else
            {
                Assert.True(settings.TryGetValue(setting, out var value), $"{snapshot.ParameterFile}: the app reads {setting} but the Function App does not set it");
                // Empty, the channel hosts list no hosts beyond the platforms' own, the safe default;
                // empty, the approvers leave site.yaml to decide, and every run warns of it.
                if (setting is not (AppSettings.ChannelHosts or AppSettings.Approvers))
                {
                    Assert.False(string.IsNullOrWhiteSpace(value), $"{snapshot.ParameterFile}: {setting} is empty");
                }
            }
        }
    }

    [Fact]
    public void Storage_is_reached_with_the_user_assigned_identity()
    {
        var settings = AppSettingsOf(infra.Dev);
        var storageId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.Storage/storageAccounts"));
        var identityId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var storage = AppSettings.Storage;

        Assert.Equal("managedidentity", settings[storage + "__credential"]);
        Assert.True(Arm.IsReference(settings[storage + "__clientId"], identityId, "clientId"), settings[storage + "__clientId"]);
        Assert.True(Arm.IsReference(settings[storage + "__blobServiceUri"], storageId, "primaryEndpoints.blob"), settings[storage + "__blobServiceUri"]);
        Assert.True(Arm.IsReference(settings[storage + "__queueServiceUri"], storageId, "primaryEndpoints.queue"), settings[storage + "__queueServiceUri"]);
        Assert.True(Arm.IsReference(settings[storage + "__tableServiceUri"], storageId, "primaryEndpoints.table"), settings[storage + "__tableServiceUri"]);
    }

    [Fact]
    public void Telemetry_goes_to_application_insights_with_entra_id_authentication()
    {
        var settings = AppSettingsOf(infra.Dev);
        var identityId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var insights = infra.Dev.Single("Microsoft.Insights/components");
        var workspace = infra.Dev.Single("Microsoft.OperationalInsights/workspaces");

        var authentication = settings[AppSettings.ApplicationInsightsAuthentication];
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD', ", authentication);
        Assert.True(Arm.ContainsReference(authentication, identityId, "clientId"), authentication);
        Assert.True(Arm.IsReference(settings[AppSettings.ApplicationInsightsConnectionString], DeploymentSnapshot.Id(insights), "ConnectionString"));

        Assert.True(insights["properties"]?["DisableLocalAuth"]?.GetValue<bool>(), "Application Insights must have local auth disabled");
        Assert.Equal(DeploymentSnapshot.Id(workspace), Arm.Text(insights["properties"], "WorkspaceResourceId"));
        Assert.True(workspace["properties"]?["features"]?["disableLocalAuth"]?.GetValue<bool>(), "the workspace must have local auth disabled");
    }

    [Fact]
    public void No_setting_is_one_flex_consumption_rejects()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var rejected = AppSettingsOf(snapshot).Keys.Intersect(SettingsFlexConsumptionRejects, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.True(rejected.Count == 0, $"{snapshot.ParameterFile}: Flex Consumption rejects {string.Join(", ", rejected)}");
        }
    }

    [Fact]
    public void The_app_runs_dotnet_10_isolated_on_linux_flex_consumption_over_https()
    {
        var plan = infra.Dev.Single("Microsoft.Web/serverfarms");
        var site = infra.Dev.Single(SiteType);
        var properties = site["properties"]!;
        var runtime = properties["functionAppConfig"]?["runtime"];

        Assert.Equal("FC1", Arm.Text(plan["sku"], "name"));
        Assert.Equal("FlexConsumption", Arm.Text(plan["sku"], "tier"));
        Assert.True(plan["properties"]?["reserved"]?.GetValue<bool>(), "a Linux plan is reserved");
        Assert.Equal(DeploymentSnapshot.Id(plan), Arm.Text(properties, "serverFarmId"));
        Assert.Equal(["functionapp", "linux"], Arm.Text(site, "kind")!.Split(',').Order());
        Assert.Equal("dotnet-isolated", Arm.Text(runtime, "name"));
        Assert.Equal("10.0", Arm.Text(runtime, "version"));
        Assert.True(properties["httpsOnly"]?.GetValue<bool>(), "httpsOnly must be true");
        Assert.Equal("1.2", Arm.Text(properties["siteConfig"], "minTlsVersion"));
        Assert.Equal("functions", Arm.Text(site["tags"], "azd-service-name"));
    }

    [Fact]
    public void The_app_runs_as_the_user_assigned_identity_and_reads_its_package_with_it()
    {
        var identityId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var site = infra.Dev.Single(SiteType);
        var authentication = site["properties"]?["functionAppConfig"]?["deployment"]?["storage"]?["authentication"];

        Assert.Equal("UserAssigned", Arm.Text(site["identity"], "type"));
        Assert.Equal([identityId], site["identity"]?["userAssignedIdentities"]?.AsObject().Select(entry => entry.Key));
        Assert.Equal("blobContainer", Arm.Text(site["properties"]?["functionAppConfig"]?["deployment"]?["storage"], "type"));
        Assert.Equal("UserAssignedIdentity", Arm.Text(authentication, "type"));
        Assert.Equal(identityId, Arm.Text(authentication, "userAssignedIdentityResourceId"));

        var container = DeploymentContainer(infra.Dev);
        var declared = infra.Dev.OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .SingleOrDefault(resource => DeploymentSnapshot.ShortName(resource) == container);
        Assert.NotNull(declared);
        Assert.Equal("None", Arm.Text(declared["properties"], "publicAccess"));
    }

    [Fact]
    public void Publishing_passwords_are_off()
    {
        var policies = infra.Dev.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .ToDictionary(DeploymentSnapshot.ShortName, policy => policy["properties"]?["allow"]?.GetValue<bool>());

        Assert.Equal(false, policies.GetValueOrDefault("ftp", true));
        Assert.Equal(false, policies.GetValueOrDefault("scm", true));
    }

    /// <summary>The container the deployment package is read from: the blob endpoint followed by its name.</summary>
    public static string DeploymentContainer(DeploymentSnapshot snapshot)
    {
        var storageId = DeploymentSnapshot.Id(snapshot.Single("Microsoft.Storage/storageAccounts"));
        var value = Arm.Text(snapshot.Single(SiteType)["properties"]?["functionAppConfig"]?["deployment"]?["storage"], "value") ?? "";
        var match = Regex.Match(
            value,
            "^\\[format\\('\\{0\\}\\{1\\}', reference\\('" + Regex.Escape(storageId) + "', '[^']+'\\)\\.primaryEndpoints\\.blob, '([a-z0-9-]+)'\\)\\]$");
        Assert.True(match.Success, $"{snapshot.ParameterFile}: the deployment package should be a container of the account's blob endpoint, not {value}");
        return match.Groups[1].Value;
    }

    private static Dictionary<string, string?> AppSettingsOf(DeploymentSnapshot snapshot)
    {
        var entries = snapshot.Single(SiteType)["properties"]?["siteConfig"]?["appSettings"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var names = entries.Select(entry => Arm.Text(entry, "name") ?? "").ToList();
        var duplicates = names.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{snapshot.ParameterFile}: app settings set twice: {string.Join(", ", duplicates)}");
        return entries.ToDictionary(entry => Arm.Text(entry, "name") ?? "", entry => Arm.Text(entry, "value"));
    }
}
