using LondonTories.Integration.Tests.Infrastructure;

namespace LondonTories.Integration.Tests.Feeds;

/// <summary>The static website lets any origin GET its pages and feeds, and nothing more.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class StaticWebsiteCorsTests(CompiledInfrastructure infra)
{
    [Fact]
    public void The_blob_service_has_one_CORS_rule_for_GET_from_any_origin()
    {
        var rules = infra.Dev.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]?["cors"]?["corsRules"]?.AsArray();

        var rule = Assert.Single(rules!)!;
        Assert.Equal(["*"], rule["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(["GET"], rule["allowedMethods"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("etag", rule["exposedHeaders"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.True(rule["maxAgeInSeconds"]!.GetValue<int>() > 0);
    }
}
