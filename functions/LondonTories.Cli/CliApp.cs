using LondonTories.Cli.Commands;
using LondonTories.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli;

/// <summary>The editors' command-line tool: one command a verb, over the same wiring as the Functions app.</summary>
public static class CliApp
{
    public const string Usage = """
        Usage: londontories <command> [options]

        Commands:
          validate [--content DIR] [--now TIME]
              Check the content and report every problem as path:line:col: error: message.
          publish [--content DIR] [--out DIR] [--now TIME] [--force] [--max-delete-share N] [--grace SPAN]
              Render every constituency's pages due at TIME into DIR (default: out), and send the
              social posts due by then (at most SPAN late, default 6h) into DIR/social.
          posts [--content DIR] [--out DIR] [--from TIME] [--to TIME] [--seat SEAT] [--now TIME] [--grace SPAN] [--storage CONNECTION]
              List social posts with their London time, platforms, seats, status, approval and problems
              (approvals as recorded in --storage's approvals table).
          spend [--content DIR] [--from TIME] [--to TIME]
              Sponsored budget per seat and in total, against the spend_limits of site.yaml:
              a warning at 80%, exit 1 at 100%.
          preview [--content DIR] [--port N] [--now TIME]
              Serve the site on 127.0.0.1:N (default 5150; 0 for any free port) as publish renders
              it, with a toolbar for seat, language and time, live reload and a coverage view.
          publish --storage CONNECTION [--content DIR | --content-storage CONNECTION] [--now TIME] [--force] [--max-delete-share N]
              Publish to Blob Storage ($web), writing only blobs whose bytes changed.
          push --storage CONNECTION [--content DIR]
              Mirror the content folder into the storage account's content container.
          approve POST-ID --storage CONNECTION [--content DIR] [--seat SEAT] [--digest SHA256]
              Approve a sponsored post as it stands now, signed in as you with the Azure CLI
              ('az login'); recorded in the approvals table. Exit 1 if you may not approve it.
          runs --storage CONNECTION [--take N]
              The recent runs that changed the site: when, trigger, who, counts, outcome.
          rollback --to RUN-ID --storage CONNECTION [--content DIR]
              Put $web back exactly as that run left it; it stays so until the content changes.

        TIME is an instant such as 2026-11-30T12:00:00Z, or a time in the site's time zone such as
        2026-11-30T09:00. Default: now. DIR defaults to 'content' for --content.
        CONNECTION is a connection string (UseDevelopmentStorage=true for Azurite) or an account URL
        such as https://account.blob.core.windows.net, signed in with your Azure identity.
        Exit codes: 0 success, 1 content errors (nothing written), 2 bad usage, 3 storage or IO failure.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default, Action<IServiceCollection>? configure = null)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await (args.Length == 0 ? stderr : stdout).WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        var services = new ServiceCollection().AddLondonToriesPublishing();
        configure?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        var console = new CliConsole(stdout, stderr);
        try
        {
            return args[0] switch
            {
                "validate" => await ValidateCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "publish" => await PublishCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "preview" => await PreviewCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "posts" => await PostsCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "spend" => await SpendCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "push" => await PushCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "approve" => await ApproveCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "runs" => await RunsCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                "rollback" => await RollbackCommand.RunAsync(provider, console, args[1..], cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{args[0]}'."),
            };
        }
        catch (UsageException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}\n\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: could not read or write files: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Stopped.").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
    }
}
