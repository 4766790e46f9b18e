using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed class StorageTests(CompiledInfrastructure infra)
{
    private const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    private const string ContainerType = "Microsoft.Storage/storageAccounts/blobServices/containers";

    [Fact]
    public void Every_storage_account_is_https_only_tls_1_2_without_shared_keys_or_anonymous_blobs()
    {
        var accounts = Arm.DeployedResources(infra.Template, StorageAccountType).ToList();
        Assert.NotEmpty(accounts);

        foreach (var account in accounts)
        {
            var properties = account["properties"];
            Assert.Equal("StorageV2", Arm.Text(account, "kind"));
            Assert.True(properties?["supportsHttpsTrafficOnly"]?.GetValue<bool>(), "supportsHttpsTrafficOnly must be true");
            Assert.Equal("TLS1_2", Arm.Text(properties, "minimumTlsVersion"));
            Assert.False(properties?["allowSharedKeyAccess"]?.GetValue<bool>() ?? true, "allowSharedKeyAccess must be false");
            Assert.False(properties?["allowBlobPublicAccess"]?.GetValue<bool>() ?? true, "allowBlobPublicAccess must be false");
        }
    }

    [Fact]
    public void Every_declared_container_is_private()
    {
        var containers = Arm.DeployedResources(infra.Template, ContainerType).ToList();
        Assert.NotEmpty(containers);

        var publicOnes = containers
            .Where(container => Arm.Text(container["properties"], "publicAccess") != "None")
            .Select(container => Arm.Text(container, "name"))
            .ToList();

        Assert.True(publicOnes.Count == 0, "containers without publicAccess 'None': " + string.Join(", ", publicOnes));
    }

    [Fact]
    public void The_content_social_and_deployment_containers_exist_and_web_is_left_to_the_static_website()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var names = snapshot.OfType(ContainerType).Select(DeploymentSnapshot.ShortName).ToList();
            Assert.Contains("content", names);
            Assert.Contains("social", names);
            Assert.Contains(FunctionAppTests.DeploymentContainer(snapshot), names);
            Assert.DoesNotContain("$web", names);
        }
    }

    [Fact]
    public void The_static_website_serves_index_html_and_404_html()
    {
        var website = infra.Dev.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]?["staticWebsite"];

        Assert.True(website?["enabled"]?.GetValue<bool>(), "staticWebsite.enabled must be true");
        Assert.Equal("index.html", Arm.Text(website, "indexDocument"));
        Assert.Equal("404.html", Arm.Text(website, "errorDocument404Path"));
    }

    [Fact]
    public void Versions_soft_delete_and_point_in_time_restore_let_a_bad_publish_be_rolled_back()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var blob = snapshot.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!;
            Assert.True(blob["isVersioningEnabled"]?.GetValue<bool>(), $"{snapshot.ParameterFile}: versioning must be on");

            var softDeleteDays = EnabledDays(blob["deleteRetentionPolicy"], "days", snapshot, "blob soft delete");
            EnabledDays(blob["containerDeleteRetentionPolicy"], "days", snapshot, "container soft delete");
            var restoreDays = EnabledDays(blob["restorePolicy"], "days", snapshot, "point-in-time restore");
            var changeFeedDays = EnabledDays(blob["changeFeed"], "retentionInDays", snapshot, "change feed");

            // Azure's own rules for point-in-time restore.
            Assert.True(restoreDays < softDeleteDays, $"{snapshot.ParameterFile}: restore window must be shorter than soft delete");
            Assert.True(changeFeedDays >= restoreDays, $"{snapshot.ParameterFile}: the change feed must cover the restore window");

            // The lifecycle policy must not delete the versions a restore needs.
            var rules = snapshot.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]?["policy"]?["rules"]?.AsArray();
            var versionDeletions = rules!
                .Select(rule => rule?["definition"]?["actions"]?["version"]?["delete"]?["daysAfterCreationGreaterThan"]?.GetValue<int>())
                .OfType<int>()
                .ToList();
            Assert.NotEmpty(versionDeletions);
            Assert.All(versionDeletions, days => Assert.True(days > restoreDays, $"{snapshot.ParameterFile}: versions deleted after {days} days, restore needs {restoreDays}"));
        }
    }

    [Fact]
    public void The_ledger_tables_exist()
    {
        var tables = infra.Dev.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(DeploymentSnapshot.ShortName).Order();

        Assert.Equal(["approvals", "publications", "socialposts", "webhooks"], tables);
    }

    [Fact]
    public void Prod_is_zone_redundant_and_keeps_deleted_blobs_longer_than_dev()
    {
        var dev = infra.Dev.Single(StorageAccountType);
        var prod = infra.AzdProd.Single(StorageAccountType);

        Assert.Equal("Standard_LRS", Arm.Text(dev["sku"], "name"));
        Assert.Equal("Standard_ZRS", Arm.Text(prod["sku"], "name"));
        Assert.True(SoftDeleteDays(infra.AzdProd) > SoftDeleteDays(infra.Dev));
    }

    private static int SoftDeleteDays(DeploymentSnapshot snapshot) =>
        snapshot.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!["deleteRetentionPolicy"]!["days"]!.GetValue<int>();

    private static int EnabledDays(JsonNode? policy, string daysProperty, DeploymentSnapshot snapshot, string what)
    {
        Assert.True(policy?["enabled"]?.GetValue<bool>(), $"{snapshot.ParameterFile}: {what} must be enabled");
        var days = policy?[daysProperty]?.GetValue<int>() ?? 0;
        Assert.True(days > 0, $"{snapshot.ParameterFile}: {what} needs a number of days");
        return days;
    }
}
