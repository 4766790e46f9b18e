using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>
/// What a deployment of infra/main.bicep with one parameter file would create, from <c>bicep snapshot</c>:
/// the compiled ARM template evaluated for concrete parameters, subscription and resource group, so
/// loops are expanded, names and role definition IDs resolved. Values only Azure knows (a new
/// identity's principal ID, a storage endpoint) stay as <c>[reference(…)]</c> expressions.
/// </summary>
public sealed class DeploymentSnapshot(string parameterFile, JsonObject snapshot)
{
    public string ParameterFile { get; } = parameterFile;

    public IReadOnlyList<JsonObject> Resources { get; } =
        snapshot["predictedResources"]?.AsArray().OfType<JsonObject>().ToList() ?? [];

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals(Arm.Text(resource, "type"), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"{ParameterFile}: expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    public static string Id(JsonObject resource) =>
        Arm.Text(resource, "id") ?? throw new InvalidOperationException("A predicted resource has no id.");

    public static string Name(JsonObject resource) =>
        Arm.Text(resource, "name") ?? throw new InvalidOperationException("A predicted resource has no name.");

    /// <summary>The last segment of a resource name: the container in <c>account/default/content</c>.</summary>
    public static string ShortName(JsonObject resource) => Name(resource).Split('/')[^1];
}
