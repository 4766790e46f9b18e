using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>azure.yaml, the GitHub workflows and the second-pass script, read as parsed YAML.</summary>
public sealed class DeploymentFilesTests
{
    private static readonly string Workflows = RepositoryFiles.Combine(".github", "workflows");

    [Fact]
    public void Azd_provisions_infra_main_bicep_and_deploys_the_functions_project()
    {
        var azure = LoadYaml(RepositoryFiles.Combine("azure.yaml"));
        var infra = Map(azure, "infra");
        var functions = Map(Map(azure, "services"), "functions");

        Assert.Equal("bicep", Scalar(infra, "provider"));
        var module = Path.Combine(RepositoryFiles.Root, Scalar(infra, "path"), Scalar(infra, "module"));
        Assert.True(File.Exists(module + ".bicep"), $"{module}.bicep is missing");
        Assert.True(File.Exists(module + ".bicepparam"), $"azd reads {module}.bicepparam");

        Assert.Equal("function", Scalar(functions, "host"));
        Assert.Equal("dotnet", Scalar(functions, "language"));
        var project = Path.Combine(RepositoryFiles.Root, Scalar(functions, "project"));
        Assert.True(File.Exists(Path.Combine(project, "LondonTories.Functions.csproj")), $"{project} is not the Functions project");
    }

    [Fact]
    public void Azds_postdeploy_hook_runs_the_second_pass_script()
    {
        var hook = Map(Map(Map(LoadYaml(RepositoryFiles.Combine("azure.yaml")), "hooks"), "postdeploy"), "posix");
        var script = Path.Combine(RepositoryFiles.Root, Scalar(hook, "run"));

        Assert.Equal(Path.Combine(RepositoryFiles.Infra, "scripts", "subscribe-content-events.sh"), Path.GetFullPath(script));
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} must be executable");
        }
    }

    [Fact]
    public void The_second_pass_script_is_valid_shell()
    {
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("-n");
        startInfo.ArgumentList.Add(Path.Combine(RepositoryFiles.Infra, "scripts", "subscribe-content-events.sh"));
        using var shell = Process.Start(startInfo)!;
        var errors = shell.StandardError.ReadToEnd();
        shell.WaitForExit();

        Assert.True(shell.ExitCode == 0, errors);
    }

    [Fact]
    public void Workflows_sign_in_to_azure_with_openid_connect_and_no_stored_secret()
    {
        var workflows = Directory.GetFiles(Workflows, "*.yml");
        Assert.NotEmpty(workflows);
        var logins = 0;

        foreach (var file in workflows)
        {
            var workflow = LoadYaml(file);
            var secrets = Scalars(workflow).Where(value => value.Contains("secrets.", StringComparison.Ordinal)).ToList();
            Assert.True(secrets.Count == 0, $"{Path.GetFileName(file)} uses stored secrets: {string.Join(", ", secrets)}");

            foreach (var (jobName, job) in Jobs(workflow))
            {
                var loginSteps = Steps(job).Where(step => TryScalar(step, "uses")?.StartsWith("azure/login@", StringComparison.Ordinal) == true).ToList();
                if (loginSteps.Count == 0)
                {
                    continue;
                }

                logins += loginSteps.Count;
                var permissions = Map(job, "permissions");
                Assert.True(TryScalar(permissions, "id-token") == "write", $"{Path.GetFileName(file)}: job {jobName} signs in to Azure without permissions id-token: write");
                foreach (var login in loginSteps)
                {
                    var inputs = Map(login, "with").Children.Keys.Select(key => ((YamlScalarNode)key).Value).ToList();
                    Assert.Contains("client-id", inputs);
                    Assert.Contains("tenant-id", inputs);
                    Assert.Contains("subscription-id", inputs);
                    Assert.DoesNotContain("creds", inputs);
                    Assert.DoesNotContain("client-secret", inputs);
                }
            }
        }

        Assert.True(logins >= 2, "both the deployment and the content sync sign in to Azure");
    }

    [Fact]
    public void The_deployment_workflow_tests_before_it_deploys()
    {
        var jobs = Jobs(LoadYaml(Path.Combine(Workflows, "build-test-deploy.yml"))).ToDictionary(job => job.Name, job => job.Job);

        Assert.Contains(Steps(jobs["test"]), step => TryScalar(step, "run")?.Contains(".ci/run", StringComparison.Ordinal) == true);
        Assert.Equal("test", Scalar(jobs["deploy"], "needs"));
        var runs = string.Join('\n', Steps(jobs["deploy"]).Select(step => TryScalar(step, "run")).OfType<string>());
        Assert.Contains("az deployment group create", runs);
        Assert.Contains("az functionapp deployment source config-zip", runs);
        Assert.Contains("infra/scripts/subscribe-content-events.sh", runs);
    }

    [Fact]
    public void The_content_sync_workflow_pushes_content_on_merge()
    {
        var workflow = LoadYaml(Path.Combine(Workflows, "content-sync.yml"));
        var push = Map(Map(workflow, "on"), "push");
        var steps = Jobs(workflow).SelectMany(job => Steps(job.Job)).ToList();

        Assert.Equal(["main"], Sequence(push, "branches"));
        Assert.Equal(["content/**"], Sequence(push, "paths"));
        Assert.Contains(steps, step => TryScalar(step, "run")?.Contains("LondonTories.Cli -- push --storage", StringComparison.Ordinal) == true);
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Name, YamlMappingNode Job)> Jobs(YamlMappingNode workflow) =>
        Map(workflow, "jobs").Children.Select(entry => (((YamlScalarNode)entry.Key).Value!, (YamlMappingNode)entry.Value));

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) ? ((YamlSequenceNode)steps).Children.OfType<YamlMappingNode>() : [];

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new Xunit.Sdk.XunitException($"expected a mapping '{key}' at {node.Start}");

    private static string Scalar(YamlMappingNode node, string key) =>
        TryScalar(node, key) ?? throw new Xunit.Sdk.XunitException($"expected a value '{key}' at {node.Start}");

    private static string? TryScalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar ? scalar.Value : null;

    private static List<string?> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(item => item.Value).ToList()
            : throw new Xunit.Sdk.XunitException($"expected a list '{key}' at {node.Start}");

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value is null ? [] : [scalar.Value],
        YamlMappingNode map => map.Children.SelectMany(entry => Scalars(entry.Key).Concat(Scalars(entry.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        _ => [],
    };
}
