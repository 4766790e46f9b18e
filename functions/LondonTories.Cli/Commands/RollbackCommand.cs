using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>rollback --to RUN-ID</c>: puts <c>$web</c> back exactly as that run left it.</summary>
public static class RollbackCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--to", "--storage", "--content" }, new HashSet<string>());
        var to = arguments.Value("--to") ?? throw new UsageException("rollback needs --to RUN-ID; 'runs' lists the runs.");
        var connection = arguments.Value("--storage") ?? throw new UsageException("rollback needs --storage, the storage account of the site.");
        return await StorageErrors.GuardAsync(console, async () =>
        {
            var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
            IContentSource? source = arguments.Value("--content") is not null ? ContentOption.Read(arguments) : null;
            var run = await services.GetRequiredService<SiteRollback>().RollbackAsync(storage, to, source, Environment.UserName, cancellationToken).ConfigureAwait(false);
            if (run.Succeeded)
            {
                await console.Out.WriteLineAsync($"{run.Summary} (run {run.RunId})").ConfigureAwait(false);
                if (run.WebhooksQueued > 0)
                {
                    await console.Out.WriteLineAsync(PublishCommand.WebhooksQueued(run.WebhooksQueued)).ConfigureAwait(false);
                }
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: {run.Summary}").ConfigureAwait(false);
            return run.Outcome is PublishRun.Busy or PublishRun.LeaseLost ? ExitCodes.StorageFailure : ExitCodes.ContentErrors;
        }).ConfigureAwait(false);
    }
}
