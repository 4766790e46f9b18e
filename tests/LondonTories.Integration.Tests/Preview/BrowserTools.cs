using System.Diagnostics;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>What the browser tests need from the machine: the repository, Node with the test tools, and Debian's Chromium.</summary>
public static class BrowserTools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Fails with what to do when Chromium is missing, so the browser tests never pass without a browser.</summary>
    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: the preview's browser tests drive Debian's chromium package. " +
                "Install it with `apt-get install chromium` (.ci/run does this before `dotnet test`), or set CHROMIUM_PATH.");
        }
    }

    /// <summary>Installs the npm test tools pinned in package.json when they are missing.</summary>
    public static Task EnsureNodeToolsAsync() => Task.Run(() => LondonTories.Integration.Tests.Fixtures.NodeTools.EnsureInstalled(RepositoryRoot));

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CHROMIUM_PATH"] = ChromiumPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LondonTories.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No LondonTories.sln above {AppContext.BaseDirectory}.");
    }
}
