using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LondonTories.Cli;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>
/// The preview run in-process through the CLI's own entry point, on a free port, over a temporary
/// copy of the fixture content; stopped as Ctrl+C stops it.
/// </summary>
public sealed partial class PreviewProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CapturingWriter _output = new();
    private readonly CapturingWriter _errors = new();
    private Task<int>? _run;

    private PreviewProcess(string contentRoot) => ContentRoot = contentRoot;

    public string ContentRoot { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>From starting the command to the first page answered, in milliseconds.</summary>
    public double FirstResponseMs { get; private set; }

    /// <summary>From the URL being printed to the first page answered, in milliseconds.</summary>
    public double FirstResponseAfterReadyMs { get; private set; }

    public int? ExitCode { get; private set; }

    public string Output => _output.ToString();

    public string Errors => _errors.ToString();

    /// <summary>Copies the fixture (with the repository's 75 seats) to a temporary folder and starts the preview on it.</summary>
    public static async Task<PreviewProcess> StartAsync(string now)
    {
        var root = Path.Combine(Path.GetTempPath(), "londontories-preview-" + Guid.NewGuid().ToString("N"));
        var fixture = Path.Combine(BrowserTools.RepositoryRoot, "tests", "LondonTories.Integration.Tests", "Preview", "Fixture", "content");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.Copy(Path.Combine(BrowserTools.RepositoryRoot, "content", "constituencies.yaml"), Path.Combine(root, "constituencies.yaml"));

        var preview = new PreviewProcess(root);
        var started = Stopwatch.GetTimestamp();
        preview._run = Task.Run(() => CliApp.RunAsync(["preview", "--content", root, "--port", "0", "--now", now], preview._output, preview._errors, preview._stop.Token));
        var line = await preview._output.WaitForAsync(UrlPattern(), preview._run, TimeSpan.FromSeconds(60));
        var ready = Stopwatch.GetTimestamp();
        preview.Url = new Uri(UrlPattern().Match(line).Value);
        using var http = new HttpClient();
        using var response = await http.GetAsync(preview.Url);
        response.EnsureSuccessStatusCode();
        preview.FirstResponseMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        preview.FirstResponseAfterReadyMs = Stopwatch.GetElapsedTime(ready).TotalMilliseconds;
        return preview;
    }

    /// <summary>Stops the preview as Ctrl+C does and waits for the command to return.</summary>
    public async Task StopAsync()
    {
        if (_run is null || ExitCode is not null)
        {
            return;
        }

        await _stop.CancelAsync();
        ExitCode = await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        Directory.Delete(ContentRoot, recursive: true);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex UrlPattern();

    /// <summary>Collects what the command writes, from any thread, and lets a test wait for a line.</summary>
    private sealed class CapturingWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_lock)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                _text.Append(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }

        public async Task<string> WaitForAsync(Regex pattern, Task<int> run, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (pattern.Match(ToString()) is { Success: true } match)
                {
                    return match.Value;
                }

                if (run.IsCompleted)
                {
                    throw new InvalidOperationException($"The preview stopped before serving (exit {await run}): {ToString()}");
                }

                await Task.Delay(10);
            }

            throw new TimeoutException($"The preview printed no URL within {timeout}: {ToString()}");
        }
    }
}
