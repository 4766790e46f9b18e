using System.Diagnostics;
using System.Globalization;
using LondonTories.Cli.Preview;

namespace LondonTories.Cli.Commands;

/// <summary><c>preview</c>: serves the site on loopback as publish renders it, re-rendering as content changes, until Ctrl+C.</summary>
public static class PreviewCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--port", "--now" }, new HashSet<string>());
        // Checked as every other command checks it: a folder that is not there cannot be watched, and one
        // without site.yaml would be served as an empty site with every file in it watched.
        ContentOption.Read(arguments);
        var options = new PreviewOptions(arguments.Value("--content", "content"), ReadPort(arguments), arguments.Value("--now"));
        var server = await PreviewServer.StartAsync(services, options, console.Error, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            var render = await server.Site.GetRenderAsync(server.Site.DefaultNow, cancellationToken).ConfigureAwait(false);
            var ready = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Preview of {options.ContentRoot} ({render.Content.Constituencies.Length} constituencies) ready in {ready:0} ms at {server.Url}")).ConfigureAwait(false);
            await console.Out.WriteLineAsync("Watching for changes; press Ctrl+C to stop.").ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop serving below.
            }
        }

        await console.Out.WriteLineAsync("Preview stopped.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static int ReadPort(Arguments arguments)
    {
        var text = arguments.Value("--port");
        if (text is null)
        {
            return PreviewOptions.DefaultPort;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new UsageException("--port takes a port number from 1 to 65535, or 0 for any free port.");
    }
}
