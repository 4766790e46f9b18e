using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// Bluesky's reference Personal Data Server (@atproto/pds, pinned in package.json) with a PLC
/// directory of its own, both run by pds.js on loopback with their data in a temporary folder.
/// Installed with the other npm tools when missing. Stopping kills the whole process tree, and the
/// script ends itself when this process goes, however it goes.
/// </summary>
public sealed partial class PdsServer : IDisposable
{
    private readonly Process _process;
    private readonly string _location;
    private int _disposed;

    private PdsServer(Process process, string location, int port)
    {
        _process = process;
        _location = location;
        Url = new Uri($"http://localhost:{port}/");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public Uri Url { get; }

    public static PdsServer Start()
    {
        var root = AzuriteServer.RepositoryRoot();
        NodeTools.EnsureInstalled(root);
        var location = Directory.CreateTempSubdirectory("pds-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "tests", "LondonTories.Integration.Tests", "Fixtures", "pds.js"));
        start.ArgumentList.Add(location);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node to run the PDS.");
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"The PDS stopped before it was ready:\n{output}"));
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (!ready.Task.Wait(TimeSpan.FromSeconds(120)))
            {
                throw new TimeoutException($"The PDS did not start within 120 s:\n{output}");
            }

            return new PdsServer(process, location, ready.Task.Result);
        }
        catch
        {
            NodeTools.KillTree(process);
            Directory.Delete(location, recursive: true);
            throw;
        }
    }

    /// <summary>Creates an account and an app password for it, as a campaign does before it adds the channel.</summary>
    public async Task<(string Did, string AppPassword)> CreateAccountAsync(string handle)
    {
        using var http = new HttpClient { BaseAddress = Url };
        using var created = await http.PostAsJsonAsync("xrpc/com.atproto.server.createAccount",
            new { handle, email = $"{handle}@example.test", password = Convert.ToHexString(Guid.NewGuid().ToByteArray()) });
        var account = await Read(created);
        using var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/com.atproto.server.createAppPassword") { Content = JsonContent.Create(new { name = "londontories" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.GetProperty("accessJwt").GetString());
        using var appPassword = await http.SendAsync(request);
        return (account.GetProperty("did").GetString()!, (await Read(appPassword)).GetProperty("password").GetString()!);
    }

    /// <summary>An XRPC query's answer, or null for a 400 saying the record is not there.</summary>
    public async Task<JsonElement?> QueryAsync(string method)
    {
        using var http = new HttpClient { BaseAddress = Url };
        using var response = await http.GetAsync("xrpc/" + method);
        return response.StatusCode == System.Net.HttpStatusCode.BadRequest && (await Read(response, check: false)).GetProperty("error").GetString() == "RecordNotFound"
            ? null
            : await Read(response);
    }

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

    private static async Task<JsonElement> Read(HttpResponseMessage response, bool check = true)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (check && !response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The PDS answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [GeneratedRegex(@"^PDS listening on (\d+)$")]
    private static partial Regex Listening();
}

/// <summary>One PDS for every class in the collection, started when first asked for.</summary>
public sealed class PdsFixture : IDisposable
{
    private readonly Lazy<PdsServer> _server = new(PdsServer.Start);

    public PdsServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PdsCollection : ICollectionFixture<PdsFixture>
{
    public const string Name = "PDS";
}
