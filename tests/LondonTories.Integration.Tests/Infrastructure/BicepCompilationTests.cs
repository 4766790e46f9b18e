using System.Text.Json;
using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

[Collection(InfrastructureCollection.Name)]
public sealed class BicepCompilationTests(CompiledInfrastructure infra)
{
    [Fact]
    public void Main_bicep_builds_to_an_arm_template_without_warnings()
    {
        Assert.True(infra.Build.Diagnostics.Count == 0, infra.Build.ToString());
        Assert.StartsWith("https://schema.management.azure.com/schemas/", Arm.Text(infra.Template, "$schema"));
        Assert.Contains(Arm.DeclaredResources(infra.Template), resource => Arm.Text(resource, "type") == "Microsoft.Web/sites");
    }

    [Fact]
    public void Lint_finds_nothing_in_any_bicep_or_bicepparam_file()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.ToString());
        Assert.True(
            string.IsNullOrWhiteSpace(infra.Lint.StandardOutput) && string.IsNullOrWhiteSpace(infra.Lint.StandardError),
            $"bicep lint reported:\n{infra.Lint.StandardOutput}{infra.Lint.StandardError}");
    }

    [Fact]
    public void Every_parameter_file_builds_without_warnings()
    {
        Assert.True(infra.BuildParameters.Diagnostics.Count == 0, infra.BuildParameters.ToString());
        Assert.Equal(["dev.bicepparam", "main.bicepparam", "prod.bicepparam"], infra.ParameterFiles);
        Assert.Equal(infra.ParameterFiles, infra.CompiledParameters.Keys.Order());
    }

    [Theory]
    [InlineData("dev.bicepparam", "dev")]
    [InlineData("prod.bicepparam", "prod")]
    [InlineData("main.bicepparam", "dev")] // azd's, without LONDONTORIES_ENVIRONMENT
    public void Each_parameter_file_names_its_environment(string parameterFile, string environmentType)
    {
        var parameters = infra.CompiledParameters[parameterFile]["parameters"];
        Assert.Equal(environmentType, Arm.Text(parameters?["environmentType"], "value"));
    }

    [Fact]
    public void Azd_parameters_follow_the_azd_environment()
    {
        var storage = infra.AzdProd.Single("Microsoft.Storage/storageAccounts");
        Assert.Equal("prod", Arm.Text(storage["tags"], "environment"));
        Assert.Equal("londontories-test", Arm.Text(storage["tags"], "azd-env-name"));
    }

    [Fact]
    public void Linter_rules_that_guard_secrets_and_locations_are_errors()
    {
        var config = JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryFiles.Infra, "bicepconfig.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var rules = config?["analyzers"]?["core"]?["rules"];
        string[] mustBeErrors =
        [
            "outputs-should-not-contain-secrets",
            "secure-parameter-default",
            "secure-secrets-in-params",
            "use-secure-value-for-secure-inputs",
            "secure-params-in-nested-deploy",
            "protect-commandtoexecute-secrets",
            "no-hardcoded-env-urls",
            "no-hardcoded-location",
        ];

        var notErrors = mustBeErrors.Where(rule => Arm.Text(rules?[rule], "level") != "error").ToList();

        Assert.True(notErrors.Count == 0, "infra/bicepconfig.json should make these rules errors: " + string.Join(", ", notErrors));
        Assert.NotEqual(false, config?["analyzers"]?["core"]?["enabled"]?.GetValue<bool>());
    }
}
