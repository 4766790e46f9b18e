using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LondonTories.Benchmarks;

/// <summary>
/// Times a preview server as an editor meets it, each started as a process of its own: from starting
/// the command to its first answer (the home page) and to a seat's page, then, for each of a few saves
/// of that page, from the save to the server answering with the new text. The open page's reload asks
/// for the same page once the server tells it of the change; here the page is asked for every 10 ms.
/// </summary>
public static class PreviewTiming
{
    public sealed record Timing(double FirstResponse, double FirstPage, IReadOnlyList<double> Edits)
    {
        public double MedianEdit => Edits.Order().ElementAt(Edits.Count / 2);
    }

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Starts <paramref name="command"/> (with <c>{port}</c> in its arguments replaced by a free port) and
    /// times it; <paramref name="save"/> writes the page with the given revision, whose text is then awaited.
    /// </summary>
    public static async Task<Timing> MeasureAsync(string command, IReadOnlyList<string> arguments, string pagePath, Action<int> save, Func<int, string> savedText, int edits)
    {
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo(command, arguments.Select(a => a.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await UntilAsync(http, "/", _ => true, process, output).ConfigureAwait(false);
            var firstResponse = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await UntilAsync(http, pagePath, _ => true, process, output).ConfigureAwait(false);
            var firstPage = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var times = new List<double>();
            for (var edit = 1; edit <= edits; edit++)
            {
                // Apart, as an editor's saves are: each is a change of its own, not part of one burst.
                await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
                var text = savedText(edit);
                var saved = Stopwatch.GetTimestamp();
                save(edit);
                await UntilAsync(http, pagePath, body => body.Contains(text, StringComparison.Ordinal), process, output).ConfigureAwait(false);
                times.Add(Stopwatch.GetElapsedTime(saved).TotalMilliseconds);
            }

            return new Timing(firstResponse, firstPage, times);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>Asks for <paramref name="path"/> until the server answers it with a success whose body <paramref name="done"/> accepts.</summary>
    private static async Task UntilAsync(HttpClient http, string path, Func<string, bool> done, Process process, System.Text.StringBuilder output)
    {
        var asked = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(path).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && done(await response.Content.ReadAsStringAsync().ConfigureAwait(false)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || Stopwatch.GetElapsedTime(asked) > GiveUp)
            {
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                throw new InvalidOperationException($"{process.StartInfo.FileName} never answered {path} as expected{(process.HasExited ? $" (it exited with {process.ExitCode})" : string.Empty)}:\n{said}");
            }

            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
