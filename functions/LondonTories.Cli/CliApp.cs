using LondonTories.Cli.Commands;
using LondonTories.Publishing;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Social;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli;

/// <summary>The editors' command-line tool: one command a verb, over the same wiring as the Functions app.</summary>
public static class CliApp
{
    /// <summary>The project's user-secrets id (as in the csproj): where <c>dotnet user-secrets set NAME VALUE</c> keeps channel secrets.</summary>
    public const string UserSecretsId = "londontories-cli";

    public const string Usage = """
        Usage: londontories <command> [options]

        Commands:
          validate [--content DIR] [--now TIME]
              Check the content and report every problem as path:line:col: error: message.
          publish [--content DIR] [--out DIR] [--now TIME] [--force] [--max-delete-share N] [--grace SPAN]
              Render every constituency's pages due at TIME into DIR (default: out), and send the
              social posts due by then (at most SPAN late, default 6h) into DIR/social.
          posts [--content DIR] [--out DIR | --storage CONNECTION] [--from TIME] [--to TIME] [--seat SEAT] [--now TIME] [--grace SPAN]
              List social posts with their London time, platforms, seats, status and problems; with
              --storage, each channel's delivery: status, remote URL and last error.
          posts --storage CONNECTION --confirm POST SEAT CHANNEL sent|not-sent
              Settle an unknown delivery after checking the platform by hand.
          posts --storage CONNECTION --retract POST
              Remove a post from every channel it reached.
          spend [--content DIR] [--from TIME] [--to TIME]
              Sponsored budget per seat and in total, against the spend_limits of site.yaml:
              a warning at 80%, exit 1 at 100%.
          preview [--content DIR] [--port N] [--now TIME]
              Serve the site on 127.0.0.1:N (default 5150; 0 for any free port) as publish renders
              it, with a toolbar for seat, language and time, live reload and a coverage view.
          publish --storage CONNECTION [--content DIR | --content-storage CONNECTION] [--now TIME] [--force] [--max-delete-share N] [--deliver]
              Publish to Blob Storage ($web), writing only blobs whose bytes changed. --deliver also
              sends due posts to the channels of channels.yaml (a local folder never contacts a platform).
          push --storage CONNECTION [--content DIR]
              Mirror the content folder into the storage account's content container.

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

        var services = new ServiceCollection()
            .AddSingleton<ISecretStore>(new ChainedSecretStore([new EnvironmentSecretStore(), new UserSecretsStore(UserSecretsId)]))
            .AddLondonToriesPublishing()
            .AddLondonToriesPlatforms();
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
