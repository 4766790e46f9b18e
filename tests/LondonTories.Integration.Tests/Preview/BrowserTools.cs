using System.Diagnostics;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>What the browser tests need from the machine: the repository, Node with the test tools, and Debian's Chromium.</summary>
public static class BrowserTools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// Makes sure Debian's Chromium is there, installing it with apt-get (as root) when it is missing,
    /// the way the Azurite fixture runs npm ci: `dotnet test` on a fresh machine needs nothing installed
    /// by hand. One install at a time, even across test processes, and apt waits for any other apt.
    /// Fails with what to do when it cannot, so the browser tests never pass without a browser.
    /// </summary>
    public static Task EnsureChromiumAsync() => Task.Run(EnsureChromium);

    private static void EnsureChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 })
        {
            throw new InvalidOperationException($"CHROMIUM_PATH names {ChromiumPath}, which does not exist.");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}, and installing it takes root: the preview's browser tests drive Debian's chromium package. " +
                "Install it with `sudo apt-get install chromium`, or set CHROMIUM_PATH.");
        }

        using var gate = new Mutex(false, "Global\\londontories-apt-chromium");
        bool owned;
        try
        {
            owned = gate.WaitOne(TimeSpan.FromMinutes(20));
        }
        catch (AbandonedMutexException)
        {
            // A test process died while installing: this one takes over and checks again.
            owned = true;
        }

        if (!owned)
        {
            throw new TimeoutException("Another test process has been installing Chromium for 20 minutes; see what apt-get is waiting for.");
        }

        try
        {
            if (File.Exists(ChromiumPath))
            {
                return;
            }

            Apt("update", "-qq");
            Apt("install", "-y", "-qq", "--no-install-recommends", "chromium");
            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException($"apt-get installed chromium, but {ChromiumPath} is still missing.");
            }
        }
        finally
        {
            gate.ReleaseMutex();
        }
    }

    private static void Apt(params string[] arguments)
    {
        var start = new ProcessStartInfo("apt-get")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("DPkg::Lock::Timeout=600");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var apt = Process.Start(start) ?? throw new InvalidOperationException("Could not run apt-get; the browser tests need Debian's chromium package.");
        var stdout = apt.StandardOutput.ReadToEndAsync();
        var stderr = apt.StandardError.ReadToEndAsync();
        if (!apt.WaitForExit(TimeSpan.FromMinutes(15)) || apt.ExitCode != 0)
        {
            if (!apt.HasExited)
            {
                apt.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException($"'apt-get {string.Join(' ', arguments)}' failed while installing Chromium for the browser tests:\n{stdout.Result}\n{stderr.Result}");
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
