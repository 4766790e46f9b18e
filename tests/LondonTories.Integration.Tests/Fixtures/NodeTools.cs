using System.Diagnostics;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// The npm test tools pinned in package.json (Azurite, playwright-core, axe-core, Bluesky's PDS), installed with
/// `npm ci` when any is missing. One install at a time, even across test processes, since two
/// installs into one node_modules corrupt it.
/// </summary>
public static class NodeTools
{
    private static readonly string[] Markers =
    [
        Path.Combine("azurite", "dist", "src", "azurite.js"),
        Path.Combine("playwright-core", "package.json"),
        Path.Combine("axe-core", "axe.min.js"),
        Path.Combine("@atproto", "pds", "dist", "index.js"),

        // The PDS's database driver is built on install; without it the package is there but cannot run.
        Path.Combine("better-sqlite3", "build", "Release", "better_sqlite3.node"),
    ];

    /// <summary>The lock every install takes, across test processes; whoever holds it may be writing node_modules.</summary>
    public static Mutex InstallLock() => new(false, "Global\\londontories-npm-ci");

    public static void EnsureInstalled(string repositoryRoot)
    {
        using var gate = InstallLock();
        var interrupted = false;
        try
        {
            if (!gate.WaitOne(TimeSpan.FromMinutes(10)))
            {
                throw new TimeoutException($"Another test process has held the install of the npm test tools in {repositoryRoot} for ten minutes.");
            }
        }
        catch (AbandonedMutexException)
        {
            // A test process stopped in the middle of an install: the lock is ours, and what it left is not to be trusted.
            interrupted = true;
        }

        try
        {
            var modules = Path.Combine(repositoryRoot, "node_modules");
            if (!interrupted && Markers.All(marker => File.Exists(Path.Combine(modules, marker))))
            {
                return;
            }

            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = repositoryRoot,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("Could not run npm; Node.js and npm are needed for the test tools in package.json.");
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(TimeSpan.FromMinutes(10)) || npm.ExitCode != 0)
            {
                if (!npm.HasExited)
                {
                    npm.Kill(entireProcessTree: true);
                }

                throw new InvalidOperationException($"'npm ci' failed in {repositoryRoot}:\n{stdout.Result}\n{stderr.Result}");
            }
        }
        finally
        {
            gate.ReleaseMutex();
        }
    }

    /// <summary>Ends a tool's server with everything it started, so no stray process outlives the tests.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already ended.
        }
        finally
        {
            process.Dispose();
        }
    }
}
