using System.Diagnostics;
using System.Xml.Linq;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>What one run of the Bicep CLI printed and returned.</summary>
public sealed record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Every diagnostic line (warnings, errors, linter findings); Bicep prints them on stderr.</summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() =>
        $"bicep {Command} exited with {ExitCode}\n{StandardError}".TrimEnd();
}

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package that this test project downloads
/// at restore (PackageDownload), found in the NuGet packages folder.
/// </summary>
public static class BicepCli
{
    private const string PackageId = "Azure.Bicep.CommandLine.linux-x64";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Locate()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"The infrastructure tests run the Linux build of the Bicep CLI ({PackageId}).");
        }

        var version = PackageVersion();
        var packagesFolder = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(packagesFolder))
        {
            packagesFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var bicep = Path.Combine(packagesFolder, PackageId.ToLowerInvariant(), version, "tools", "bicep");
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI {version} is not at {bicep}. Run `dotnet restore tests/LondonTories.Integration.Tests`: " +
                $"the project downloads {PackageId} into the NuGet packages folder (NUGET_PACKAGES or ~/.nuget/packages).",
                bicep);
        }

        // Some NuGet clients extract package files without the execute bit.
        var mode = File.GetUnixFileMode(bicep);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, mode | UnixFileMode.UserExecute);
        }

        return bicep;
    }

    public static async Task<BicepRun> RunAsync(
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Locate())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The Bicep CLI did not start.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await standardOutput, await standardError);
    }

    /// <summary>The version pinned by the PackageDownload in this test project, so the two cannot drift apart.</summary>
    private static string PackageVersion()
    {
        var project = Path.Combine(RepositoryFiles.Root, "tests", "LondonTories.Integration.Tests", "LondonTories.Integration.Tests.csproj");
        var download = XDocument.Load(project).Descendants("PackageDownload")
            .SingleOrDefault(element => string.Equals((string?)element.Attribute("Include"), PackageId, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{project} has no PackageDownload of {PackageId}.");
        return ((string?)download.Attribute("Version") ?? "").Trim('[', ']', ' ');
    }
}
