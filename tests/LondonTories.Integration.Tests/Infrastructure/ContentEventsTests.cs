namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed class ContentEventsTests(CompiledInfrastructure infra)
{
    private const string SubscriptionType = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    [Fact]
    public void The_storage_account_publishes_its_blob_events_to_a_system_topic()
    {
        var topic = infra.Dev.Single("Microsoft.EventGrid/systemTopics");

        Assert.Equal(DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.Storage/storageAccounts")), Arm.Text(topic["properties"], "source"));
        Assert.Equal("Microsoft.Storage.StorageAccounts", Arm.Text(topic["properties"], "topicType"));
    }

    [Fact]
    public void Content_changes_are_delivered_to_the_content_changed_blob_trigger()
    {
        var topic = infra.Dev.Single("Microsoft.EventGrid/systemTopics");
        var subscription = infra.Dev.Single(SubscriptionType);
        var properties = subscription["properties"]!;
        var endpoint = Arm.Text(properties["destination"]?["properties"], "endpointUrl");

        Assert.StartsWith(DeploymentSnapshot.Name(topic) + "/", DeploymentSnapshot.Name(subscription));
        Assert.Equal("WebHook", Arm.Text(properties["destination"], "endpointType"));
        Assert.StartsWith("[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', ", endpoint);
        Assert.Contains(", 'ContentChanged', parameters('blobsExtensionKey'))]", endpoint);
        Assert.True(
            Arm.ContainsReference(endpoint, DeploymentSnapshot.Id(infra.Dev.Single("Microsoft.Web/sites")), "defaultHostName"),
            "the webhook must point at the Function App's host name: " + endpoint);
        Assert.Equal("/blobServices/default/containers/content/", Arm.Text(properties["filter"], "subjectBeginsWith"));
        Assert.Equal(["Microsoft.Storage.BlobCreated"], properties["filter"]?["includedEventTypes"]?.AsArray().Select(type => type?.GetValue<string>()));
    }

    [Fact]
    public void The_subscription_is_deployed_only_in_the_second_pass_when_the_key_is_given()
    {
        // The snapshot keeps secure values unresolved, so the condition is checked as written.
        Assert.Equal("[not(empty(parameters('blobsExtensionKey')))]", Arm.Text(infra.Dev.Single(SubscriptionType), "condition"));

        var unconditional = infra.Dev.Resources.Where(resource => resource["condition"] is not null && resource != infra.Dev.Single(SubscriptionType));
        Assert.Empty(unconditional);
    }
}
