using System.Reflection;
using LondonTories.Cli.Commands;
using LondonTories.Publishing;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LondonTories.Cli;

/// <summary>The editors' command-line tool: one command a verb, over the same wiring as the Functions app.</summary>
public static class CliApp
{
    /// <summary>The project's user-secrets id (as in the csproj): where <c>dotnet user-secrets set NAME VALUE</c> keeps channel secrets.</summary>
    public const string UserSecretsId = "londontories-cli";

    // Each value a usage line can take, with what it means: a verb's help explains only those its own
    // forms take, so that no one goes looking for a SPAN or CONNECTION that verb has no place for.
    private static readonly (string Value, string Note)[] ValueNotes =
    [
        ("TIME", """
            TIME is an instant such as 2026-11-30T12:00:00Z, or a time in the site's time zone such as
            2026-11-30T09:00. Default: now.
            """),
        ("DIR", "DIR defaults to 'content' for --content."),
        ("SPAN", "SPAN is a duration with its unit: 6h, 30m, 1d, or 06:00 for hours and minutes."),
        ("CONNECTION", """
            CONNECTION is a connection string (UseDevelopmentStorage=true for Azurite) or an account URL
            such as https://account.blob.core.windows.net, signed in with your Azure identity.
            """),
    ];

    private const string ExitCodeNote = "Exit codes: 0 success, 1 content errors (nothing written), 2 bad usage, 3 storage or IO failure, 130 stopped by Ctrl+C, 143 by SIGTERM.";

    /// <summary>Each verb: its forms (options as in its usage line), what it does, and how it runs.</summary>
    private static readonly Verb[] Verbs =
    [
        new("validate", ["[--content DIR] [--now TIME]"], """
            Check the content and report every problem as path:line:col: error: message.
            """, ValidateCommand.RunAsync),
        new("publish", ["[--content DIR] [--out DIR] [--now TIME] [--force] [--max-delete-share N] [--grace SPAN]",
            "--storage CONNECTION [--content DIR | --content-storage CONNECTION] [--now TIME] [--force] [--max-delete-share N] [--grace SPAN] [--deliver]"], """
            Render every constituency's pages due at TIME into DIR (default: out), and send the
            social posts due by then (at most SPAN late, default 6h) into DIR/social.
            With --storage, publish to Blob Storage ($web), writing only blobs whose bytes changed;
            --deliver also sends due posts to the channels of channels.yaml (a local folder never
            contacts a platform).
            """, PublishCommand.RunAsync),
        new("posts", ["[--content DIR] [--out DIR | --storage CONNECTION] [--from TIME] [--to TIME] [--seat SEAT] [--now TIME] [--grace SPAN]",
            "--storage CONNECTION --confirm POST SEAT CHANNEL sent|not-sent", "--storage CONNECTION --retract POST"], """
            List social posts with their London time, platforms, seats, status, approval and problems;
            with --storage, approvals as recorded in its approvals table and each channel's delivery:
            status, remote URL and last error. --confirm settles an unknown delivery after checking
            the platform by hand; --retract removes a post from every channel it reached.
            """, PostsCommand.RunAsync),
        new("spend", ["[--content DIR] [--from TIME] [--to TIME] [--storage CONNECTION]"], """
            Sponsored budget per seat and in total, against the spend_limits of site.yaml:
            a warning at 80%, exit 1 at 100%. With --storage, a post whose ad already went out
            counts the budget it committed then, from the delivery ledger.
            """, SpendCommand.RunAsync),
        new("preview", ["[--content DIR] [--port N] [--now TIME]"], """
            Serve the site on 127.0.0.1:N (default 5150; 0 for any free port) as publish renders
            it, with a toolbar for seat, language and time, live reload and a coverage view.
            """, PreviewCommand.RunAsync),
        new("push", ["--storage CONNECTION [--content DIR] [--force] [--max-delete-share N]"], """
            Mirror the content folder into the storage account's content container; one that would
            delete more than a quarter of it refuses unless given --force or a higher share.
            """, PushCommand.RunAsync),
        new("approve", ["POST-ID|PAGE-ID --storage CONNECTION [--content DIR] [--seat SEAT] [--digest SHA256]"], """
            Approve a sponsored post or a page (post:ID, page:SLUG, or an id alone: a post's
            if there is one) as it stands now, signed in as you with the Azure CLI ('az login');
            recorded in the approvals table. Exit 1 if you may not approve it.
            """, ApproveCommand.RunAsync),
        new("runs", ["--storage CONNECTION [--take N]"], """
            The recent runs that changed the site: when, trigger, who, counts, outcome.
            """, RunsCommand.RunAsync),
        new("rollback", ["--to RUN-ID --storage CONNECTION [--content DIR]"], """
            Put $web back exactly as that run left it; it stays so until the content changes.
            """, RollbackCommand.RunAsync),
    ];

    // Usage and Version are made when asked for, not as the class loads: made at start, they cost
    // every command about 9 ms, as much as a fortieth of a publish that finds nothing to do.

    /// <summary>Every verb in brief, for <c>--help</c> and a usage mistake outside any verb.</summary>
    public static string Usage =>
        "Usage: londontories <command> [options]\n\nCommands:\n" +
        string.Concat(Verbs.Select(v => string.Concat(v.Forms.Select(f => $"  {v.Name} {f}\n")) + Indent(v.Description, 6) + "\n")) +
        "\nEach command's own help: londontories <command> --help\n\n" + Notes(Verbs.SelectMany(v => v.Forms));

    public static string Version => "londontories " +
        (typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default, Action<IServiceCollection>? configure = null, Func<string, string?>? environment = null)
    {
        if (args.Length == 0)
        {
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (args[0] is "-h" or "--help" or "help")
        {
            var about = args.Length > 1 ? Verbs.FirstOrDefault(v => v.Name == args[1]) : null;
            await stdout.WriteLineAsync(about?.Help ?? Usage).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (args.Contains("--version"))
        {
            await stdout.WriteLineAsync(Version).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (Verbs.FirstOrDefault(v => v.Name == args[0]) is not { } verb)
        {
            var suggestion = DidYouMean.Suggest(args[0], Verbs.Select(v => v.Name));
            await stderr.WriteLineAsync($"error: unknown command '{args[0]}'.{(suggestion is null ? "" : $" {DidYouMean.Hint(suggestion)}")}\n\n{Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            await stdout.WriteLineAsync(verb.Help).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        // Set where the CLI acts for a deployment, as the app's settings of the same names are.
        ApprovalPolicy approvals;
        try
        {
            approvals = ApprovalPolicy.FromEnvironment(environment);
        }
        catch (FormatException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var services = new ServiceCollection()
            .AddSingleton<ISecretStore>(new ChainedSecretStore([new EnvironmentSecretStore(), new UserSecretsStore(UserSecretsId)]))
            .AddSingleton(approvals)
            .AddLondonToriesPublishing()
            .AddLondonToriesPlatforms()
            .AddLogging(logging => logging.ClearProviders().AddProvider(new SecretWarnings(stderr)));
        configure?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        // On whichever options the storage clients are made with, the host's or a test's own.
        var storage = provider.GetRequiredService<StorageOptions>();
        storage.Policies.Add((new UnreachableStorageNotice(stderr, storage), Azure.Core.HttpPipelinePosition.PerRetry));
        var console = new CliConsole(stdout, stderr);
        try
        {
            return await verb.Run(provider, console, args[1..], cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            await stderr.WriteLineAsync($"error: {exception.Message}\n\n{verb.Help}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (StorageConnectionException exception)
        {
            // Where a command reads storage outside its guard (the approvals beside a listing): the same usage error.
            await stderr.WriteLineAsync($"error: --storage: {exception.Message}\n\n{verb.Help}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception exception) when (FileFailure(exception) is { } failure)
        {
            await stderr.WriteLineAsync($"error: could not read or write files: {failure.Message}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Stopped before it finished.").ConfigureAwait(false);
            return ExitCodes.Stopped;
        }
    }

    // Files written side by side (the pages of a publish) report a failure, a full disk say, inside an AggregateException.
    private static Exception? FileFailure(Exception exception) => exception switch
    {
        IOException or UnauthorizedAccessException => exception,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Select(FileFailure).FirstOrDefault(failure => failure is not null),
        _ => null,
    };

    private static string Notes(IEnumerable<string> forms)
    {
        var words = forms.SelectMany(f => f.Split([' ', '[', ']', '|'], StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        return string.Concat(ValueNotes.Where(n => words.Contains(n.Value)).Select(n => n.Note + "\n")) + ExitCodeNote;
    }

    private static string Indent(string text, int spaces) =>
        string.Concat(text.Split('\n').Select(line => new string(' ', spaces) + line + "\n"));

    private sealed record Verb(string Name, string[] Forms, string Description, Func<IServiceProvider, CliConsole, string[], CancellationToken, Task<int>> Run)
    {
        public string Help =>
            "Usage: " + string.Join("       ", Forms.Select(f => $"londontories {Name} {f}\n")) + "\n" + Description + "\n\n" + Notes(Forms);
    }
}
