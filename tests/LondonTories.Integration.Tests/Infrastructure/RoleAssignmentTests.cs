using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed class RoleAssignmentTests(CompiledInfrastructure infra)
{
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    [Fact]
    public void The_app_identity_holds_exactly_the_roles_it_needs_each_on_the_one_resource_it_serves()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var storageId = DeploymentSnapshot.Id(snapshot.Single("Microsoft.Storage/storageAccounts"));
            var insightsId = DeploymentSnapshot.Id(snapshot.Single("Microsoft.Insights/components"));
            var vaultId = DeploymentSnapshot.Id(snapshot.Single("Microsoft.KeyVault/vaults"));
            string Container(string name) => $"{storageId}/blobServices/default/containers/{name}";

            var granted = IdentityAssignments(snapshot).Select(a => (Role: RoleOf(a), Scope: ScopeOf(a))).Order().ToList();

            Assert.Equal(
                new[]
                {
                    (StorageBlobDataOwner, Container("azure-webjobs-hosts")),
                    (StorageBlobDataOwner, Container("azure-webjobs-secrets")),
                    (StorageBlobDataOwner, Container("app-package")),
                    (StorageBlobDataContributor, Container("$web")),
                    (StorageBlobDataContributor, Container("social")),
                    (StorageBlobDataReader, Container("content")),
                    (StorageTableDataContributor, storageId),
                    (StorageQueueDataContributor, storageId),
                    (MonitoringMetricsPublisher, insightsId),
                    (KeyVaultSecretsOfficer, vaultId),
                }.Order(),
                granted);
        }
    }

    [Fact]
    public void The_app_identity_has_no_blob_role_on_the_whole_account_and_only_reads_content()
    {
        var storageId = DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.Storage/storageAccounts"));
        var assignments = IdentityAssignments(infra.Dev).ToList();

        Assert.DoesNotContain(assignments, a => ScopeOf(a) == storageId && RoleOf(a) is StorageBlobDataOwner or StorageBlobDataContributor or StorageBlobDataReader);
        Assert.Equal([StorageBlobDataReader], assignments.Where(a => ScopeOf(a).EndsWith("/containers/content", StringComparison.Ordinal)).Select(RoleOf));
        Assert.All(assignments, assignment => Assert.Equal("ServicePrincipal", Arm.Text(assignment["properties"], "principalType")));
    }

    [Fact]
    public void The_host_containers_the_roles_are_scoped_to_are_declared_private()
    {
        var containers = infra.Dev.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToDictionary(DeploymentSnapshot.ShortName);

        foreach (var name in new[] { "azure-webjobs-hosts", "azure-webjobs-secrets", "app-package", "content", "social" })
        {
            Assert.Equal("None", Arm.Text(containers[name]["properties"], "publicAccess"));
        }
    }

    [Fact]
    public void Without_content_writers_the_app_identity_is_the_only_principal_with_a_role()
    {
        Assert.Equal(infra.Dev.OfType(RoleAssignmentType).Count(), IdentityAssignments(infra.Dev).Count());
    }

    [Fact]
    public void A_content_writer_may_write_blobs_in_the_content_container_and_nothing_else()
    {
        var contentId = DeploymentSnapshot.Id(infra.AzdProd.OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Single(container => DeploymentSnapshot.ShortName(container) == "content"));
        var identityAssignments = IdentityAssignments(infra.AzdProd).ToHashSet();

        var others = infra.AzdProd.OfType(RoleAssignmentType).Where(assignment => !identityAssignments.Contains(assignment)).ToList();

        var writer = Assert.Single(others);
        Assert.Equal(CompiledInfrastructure.AzdPrincipalId, Arm.Text(writer["properties"], "principalId"));
        Assert.Equal("User", Arm.Text(writer["properties"], "principalType"));
        Assert.Equal(StorageBlobDataContributor, RoleOf(writer));
        Assert.Equal(contentId, ScopeOf(writer));
    }

    [Fact]
    public void Role_definitions_are_the_built_in_ones_of_the_deployment_subscription()
    {
        var prefix = $"/subscriptions/{CompiledInfrastructure.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/";

        Assert.All(
            infra.AzdProd.OfType(RoleAssignmentType),
            assignment => Assert.StartsWith(prefix, Arm.Text(assignment["properties"], "roleDefinitionId")));
    }

    private static IEnumerable<JsonObject> IdentityAssignments(DeploymentSnapshot snapshot)
    {
        var identityId = DeploymentSnapshot.Id(snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        return snapshot.OfType(RoleAssignmentType)
            .Where(assignment => Arm.IsReference(Arm.Text(assignment["properties"], "principalId"), identityId, "principalId"));
    }

    private static string RoleOf(JsonObject assignment) =>
        Arm.Text(assignment["properties"], "roleDefinitionId")?.Split('/')[^1] ?? "";

    /// <summary>An assignment's ID is its scope followed by /providers/Microsoft.Authorization/roleAssignments/{name}.</summary>
    private static string ScopeOf(JsonObject assignment)
    {
        var id = DeploymentSnapshot.Id(assignment);
        var marker = id.LastIndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase);
        Assert.True(marker > 0, $"unexpected role assignment id {id}");
        return id[..marker];
    }
}
