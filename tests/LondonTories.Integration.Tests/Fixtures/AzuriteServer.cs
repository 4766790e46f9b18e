using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// Azurite on free loopback ports with a temporary location, installed from the repository's pinned
/// package.json when missing. Each storage account it serves is fresh, so tests that take their own
/// account never see each other's containers or tables. Stopping kills the whole process tree (Azurite
/// does not always exit on SIGTERM), and a guard process kills Azurite if this process dies first.
/// </summary>
public sealed partial class AzuriteServer : IDisposable
{
    /// <summary>The emulator's well-known key; every account here shares it.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Runs Azurite as a child and ends it when our stdin closes: that happens when this process exits, however it exits.
    private const string GuardScript = """
        const { spawn } = require('child_process');
        const [azurite, ...args] = process.argv.slice(2);
        const child = spawn(process.execPath, [azurite, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
        const stop = () => { try { child.kill('SIGKILL'); } catch {} process.exit(0); };
        process.stdin.on('end', stop);
        process.stdin.on('error', stop);
        process.stdin.resume();
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        child.on('exit', code => process.exit(code ?? 1));
        """;

    private readonly Process _process;
    private readonly string _location;
    private readonly string[] _accounts;
    private int _nextAccount;
    private int _disposed;

    private AzuriteServer(Process process, string location, string[] accounts, int blobPort, int tablePort)
    {
        _process = process;
        _location = location;
        _accounts = accounts;
        BlobPort = blobPort;
        TablePort = tablePort;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public int BlobPort { get; }

    public int TablePort { get; }

    /// <summary>
    /// Starts Azurite serving <paramref name="accounts"/> fresh accounts besides the default one,
    /// keeping data in the temporary location, or in memory only for measurements that should not
    /// time a shared disk.
    /// </summary>
    /// <remarks>
    /// Each test takes an account of its own, and the suite holds more than 256 such tests. The accounts
    /// travel in one environment variable, about 100 bytes each, which Linux caps at 128 KiB: 768 leave room.
    /// </remarks>
    public static AzuriteServer Start(int accounts = 768, bool inMemory = false)
    {
        var root = RepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

        // Always through the install's lock: while another process's `npm ci` runs, azurite.js can be
        // there before the modules it loads.
        NodeTools.EnsureInstalled(root);

        var location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var guard = Path.Combine(location, "guard.js");
        File.WriteAllText(guard, GuardScript);
        var names = Enumerable.Range(1, accounts).Select(i => $"acct{i:D4}").ToArray();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = location,
        };
        string[] storage = inMemory ? ["--inMemoryPersistence"] : ["--location", location];
        foreach (var argument in new[]
                 {
                     guard, azurite, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                     "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
                     "--tableHost", "127.0.0.1", "--tablePort", "0",
                 }.Concat(storage))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AZURITE_ACCOUNTS"] = string.Join(';', names.Prepend("devstoreaccount1").Select(n => $"{n}:{AccountKey}"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node to run Azurite.");
        var ports = new Dictionary<string, int>();
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                ready.TrySetException(new InvalidOperationException($"Azurite stopped before it was ready:\n{output}"));
                return;
            }

            lock (ports)
            {
                output.AppendLine(line);
                if (Listening().Match(line) is { Success: true } match)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.ContainsKey("Blob") && ports.ContainsKey("Table"))
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (ports)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (!ready.Task.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"Azurite did not start within 60 s:\n{output}");
            }
        }
        catch
        {
            NodeTools.KillTree(process);
            throw;
        }

        return new AzuriteServer(process, location, names, ports["Blob"], ports["Table"]);
    }

    /// <summary>A connection string for a storage account no other test has used.</summary>
    public string NewAccount()
    {
        var index = Interlocked.Increment(ref _nextAccount) - 1;
        if (index >= _accounts.Length)
        {
            throw new InvalidOperationException($"All {_accounts.Length} Azurite accounts are taken; start the server with more.");
        }

        return ConnectionString(_accounts[index]);
    }

    public string ConnectionString(string account) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{account};TableEndpoint=http://127.0.0.1:{TablePort}/{account};";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        NodeTools.KillTree(_process);
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The folder with package.json and the solution, found upwards from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "package.json")) && File.Exists(Path.Combine(folder.FullName, "LondonTories.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (package.json beside LondonTories.sln) above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://[^:]+:(\d+)")]
    private static partial Regex Listening();
}
