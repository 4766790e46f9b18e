using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed partial class SecretTests(CompiledInfrastructure infra)
{
    [Fact]
    public void No_template_calls_a_list_function()
    {
        // listKeys, listSecrets, listAccountSas, list(...): each returns credentials.
        var calls = Arm.Strings(infra.Template)
            .Where(found => found.Value.StartsWith('[') && ListFunction().IsMatch(found.Value))
            .Select(found => $"{found.Path}: {found.Value}")
            .ToList();

        Assert.True(calls.Count == 0, "list functions in the compiled template:\n" + string.Join('\n', calls));
    }

    [Fact]
    public void No_output_is_named_like_a_secret()
    {
        var outputs = OutputsOfEveryTemplate().Select(output => output.Name).ToList();
        Assert.Contains("SITE_URL", outputs);

        var secretLooking = outputs.Where(name => SecretName().IsMatch(name)).ToList();

        Assert.True(secretLooking.Count == 0, "outputs named like secrets: " + string.Join(", ", secretLooking));
    }

    [Fact]
    public void No_output_carries_a_secure_parameter()
    {
        var leaks = new List<string>();
        foreach (var template in Arm.Templates(infra.Template))
        {
            var secureParameters = (template["parameters"]?.AsObject() ?? [])
                .Where(parameter => Arm.Text(parameter.Value, "type")?.StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true)
                .Select(parameter => parameter.Key)
                .ToList();
            foreach (var (name, output) in template["outputs"]?.AsObject() ?? [])
            {
                leaks.AddRange(Arm.Strings(output)
                    .Where(found => secureParameters.Any(secure => found.Value.Contains($"parameters('{secure}')", StringComparison.OrdinalIgnoreCase)))
                    .Select(found => $"output {name}: {found.Value}"));
            }
        }

        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    [Fact]
    public void The_blobs_extension_key_is_a_secure_parameter_that_defaults_to_the_first_pass()
    {
        var key = infra.Template["parameters"]?["blobsExtensionKey"];

        Assert.Equal("securestring", Arm.Text(key, "type"));
        Assert.Equal("", Arm.Text(key, "defaultValue"));
    }

    private IEnumerable<(string Name, JsonNode? Output)> OutputsOfEveryTemplate() =>
        Arm.Templates(infra.Template).SelectMany(template =>
            (template["outputs"]?.AsObject() ?? []).Select(output => (output.Key, output.Value)));

    [GeneratedRegex(@"\blist[A-Za-z]*\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex("key|secret|password|connectionstring|credential|token|sas", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
