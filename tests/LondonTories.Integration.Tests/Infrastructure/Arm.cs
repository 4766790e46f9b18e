using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>Reading compiled ARM templates and deployment snapshots as parsed JSON.</summary>
public static class Arm
{
    public const string DeploymentType = "Microsoft.Resources/deployments";

    /// <summary>
    /// Every resource declared in a template and, recursively, in the templates of its modules (nested
    /// deployments). Handles both shapes of <c>resources</c>: an array (language version 1) and an
    /// object keyed by symbolic name (language version 2).
    /// </summary>
    public static IEnumerable<JsonObject> DeclaredResources(JsonObject template)
    {
        foreach (var resource in ResourcesOf(template))
        {
            yield return resource;
            if (Text(resource, "type") == DeploymentType && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in DeclaredResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Declared resources that the template creates or updates (not <c>existing</c> references).</summary>
    public static IEnumerable<JsonObject> DeployedResources(JsonObject template, string type) =>
        DeclaredResources(template).Where(resource =>
            string.Equals(Text(resource, "type"), type, StringComparison.OrdinalIgnoreCase)
            && resource["existing"]?.GetValue<bool>() != true);

    /// <summary>The template and every module template inside it.</summary>
    public static IEnumerable<JsonObject> Templates(JsonObject template)
    {
        yield return template;
        foreach (var resource in DeclaredResources(template))
        {
            if (Text(resource, "type") == DeploymentType && resource["properties"]?["template"] is JsonObject nested)
            {
                yield return nested;
            }
        }
    }

    /// <summary>Every string value anywhere in a JSON tree, with its JSON path.</summary>
    public static IEnumerable<(string Path, string Value)> Strings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject jsonObject:
                foreach (var (_, child) in jsonObject)
                {
                    foreach (var found in Strings(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in Strings(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (value.GetPath(), text);
                break;
        }
    }

    public static string? Text(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// Whether an ARM expression is exactly a read of <paramref name="property"/> of the deployed resource
    /// <paramref name="resourceId"/>, as in <c>[reference('/subscriptions/…/id-x', '2024-11-30').clientId]</c>.
    /// </summary>
    public static bool IsReference(string? expression, string resourceId, string property) =>
        expression is not null && Regex.IsMatch(expression, "^\\[" + ReferencePattern(resourceId, property) + "\\]$");

    /// <summary>Whether an ARM expression reads <paramref name="property"/> of <paramref name="resourceId"/> somewhere inside it.</summary>
    public static bool ContainsReference(string? expression, string resourceId, string property) =>
        expression is not null && expression.StartsWith('[') && Regex.IsMatch(expression, ReferencePattern(resourceId, property));

    private static string ReferencePattern(string resourceId, string property) =>
        "reference\\('" + Regex.Escape(resourceId) + "', '[^']+'\\)\\." + Regex.Escape(property) + "(?![A-Za-z0-9_])";

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject bySymbolicName => bySymbolicName.Select(entry => entry.Value).OfType<JsonObject>(),
        _ => [],
    };
}
