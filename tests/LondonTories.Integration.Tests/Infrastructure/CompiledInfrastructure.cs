using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>
/// infra/ compiled and linted once for all the infrastructure tests: <c>bicep build</c> of main.bicep,
/// <c>bicep lint</c> of every .bicep and .bicepparam file, <c>bicep build-params</c> of every parameter
/// file and <c>bicep snapshot</c> of the dev parameters and of azd's parameters (as prod, with a content
/// writer). Bicep writes snapshots beside the parameter files, so it works on a copy of infra/.
/// </summary>
public sealed class CompiledInfrastructure : IAsyncLifetime
{
    public const string SubscriptionId = "3f2d5c1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f";
    public const string ResourceGroup = "rg-londontories-test";
    public const string Location = "uksouth";

    /// <summary>The object ID azd would pass as AZURE_PRINCIPAL_ID when building azd's parameters.</summary>
    public const string AzdPrincipalId = "6a1e0c7b-2f44-4d3a-9b7e-0c5d8e9f1a2b";

    /// <summary>The sign-in app registration's client ID azd's parameters are built with; dev is built without one.</summary>
    public const string SignInClientId = "c4e8a2d1-93b7-4f0e-8a5c-7d2e1f6b9a30";

    // Variables the parameter files read; cleared so a developer's shell cannot change the results.
    private static readonly string[] ParameterEnvironment =
        ["BLOBS_EXTENSION_KEY", "LONDONTORIES_ENVIRONMENT", "AZURE_ENV_NAME", "AZURE_PRINCIPAL_ID", "AZURE_PRINCIPAL_TYPE", "SIGN_IN_CLIENT_ID", "LONDONTORIES_ALERT_EMAIL"];

    /// <summary>The address azd's parameters send delivery alerts to.</summary>
    public const string AlertEmail = "alerts@example.org";

    private readonly string _workingCopy = Path.Combine(Path.GetTempPath(), "londontories-infra-" + Guid.NewGuid().ToString("N"));

    public BicepRun Build { get; private set; } = null!;
    public BicepRun Lint { get; private set; } = null!;
    public BicepRun BuildParameters { get; private set; } = null!;

    /// <summary>infra/main.bicep compiled to an ARM template.</summary>
    public JsonObject Template { get; private set; } = null!;

    /// <summary>The .bicepparam files in infra/, by file name.</summary>
    public IReadOnlyList<string> ParameterFiles { get; private set; } = [];

    /// <summary>Each parameter file compiled to an ARM parameters file, by file name.</summary>
    public IReadOnlyDictionary<string, JsonObject> CompiledParameters { get; private set; } = new Dictionary<string, JsonObject>();

    public DeploymentSnapshot Dev { get; private set; } = null!;

    /// <summary>azd's parameters (main.bicepparam) with LONDONTORIES_ENVIRONMENT=prod and a principal ID.</summary>
    public DeploymentSnapshot AzdProd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        CopyDirectory(RepositoryFiles.Infra, _workingCopy);
        ParameterFiles = Directory.GetFiles(_workingCopy, "*.bicepparam").Select(Path.GetFileName).OfType<string>().Order().ToList();
        var parametersOut = Path.Combine(_workingCopy, ".compiled-parameters");

        var plain = ParameterEnvironment.ToDictionary(name => name, _ => (string?)null);
        var azd = new Dictionary<string, string?>(plain)
        {
            ["AZURE_ENV_NAME"] = "londontories-test",
            ["LONDONTORIES_ENVIRONMENT"] = "prod",
            ["AZURE_PRINCIPAL_ID"] = AzdPrincipalId,
            ["SIGN_IN_CLIENT_ID"] = SignInClientId,
            ["LONDONTORIES_ALERT_EMAIL"] = AlertEmail,
        };
        string[] target = ["--mode", "overwrite", "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", Location];

        // Bicep starts slowly; the runs are independent, so they overlap.
        var build = BicepCli.RunAsync(_workingCopy, plain, "build", "main.bicep", "--stdout");
        var lint = BicepCli.RunAsync(_workingCopy, plain, "lint", "--pattern", "**/*.bicep*");
        var buildParameters = BicepCli.RunAsync(_workingCopy, plain, "build-params", "--pattern", "*.bicepparam", "--outdir", parametersOut);
        var devSnapshot = BicepCli.RunAsync(_workingCopy, plain, ["snapshot", "dev.bicepparam", .. target]);
        var azdSnapshot = BicepCli.RunAsync(_workingCopy, azd, ["snapshot", "main.bicepparam", .. target]);
        await Task.WhenAll(build, lint, buildParameters, devSnapshot, azdSnapshot);

        // Errors stop every test here, with Bicep's own messages; warnings and lint findings are left
        // to the compilation tests.
        Build = Succeeded(await build);
        Lint = await lint;
        BuildParameters = Succeeded(await buildParameters);
        Template = ParseObject(Build.StandardOutput, "bicep build main.bicep");
        CompiledParameters = Directory.GetFiles(parametersOut, "*.json").ToDictionary(
            file => Path.GetFileNameWithoutExtension(file) + ".bicepparam",
            file => ParseObject(File.ReadAllText(file), file));
        Dev = ReadSnapshot(await devSnapshot, "dev");
        AzdProd = ReadSnapshot(await azdSnapshot, "main");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_workingCopy))
        {
            Directory.Delete(_workingCopy, recursive: true);
        }

        return Task.CompletedTask;
    }

    private DeploymentSnapshot ReadSnapshot(BicepRun run, string parameterName)
    {
        var file = Path.Combine(_workingCopy, parameterName + ".snapshot.json");
        Succeeded(run);
        return new DeploymentSnapshot(parameterName + ".bicepparam", ParseObject(File.ReadAllText(file), file));
    }

    private static BicepRun Succeeded(BicepRun run) =>
        run.ExitCode == 0 ? run : throw new InvalidOperationException(run.ToString());

    private static JsonObject ParseObject(string json, string source) =>
        JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source} is not a JSON object.");

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfrastructureCollection : ICollectionFixture<CompiledInfrastructure>
{
    public const string Name = "Infrastructure (Bicep)";
}
