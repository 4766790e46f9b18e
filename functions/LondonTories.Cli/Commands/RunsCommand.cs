using System.Globalization;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>runs</c>: the recent runs that changed something, newest first: when, trigger, who, counts and outcome.</summary>
public static class RunsCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--storage", "--take" }, new HashSet<string>());
        var connection = arguments.Value("--storage") ?? throw new UsageException("runs needs --storage, the storage account of the site.");
        var take = arguments.Value("--take") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000 ? n : throw new UsageException("--take takes a number from 1 to 1000.")
            : 20;
        return await StorageErrors.GuardAsync(console, async () =>
        {
            var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
            var runs = await storage.Ledger.ReadRunsAsync(take, cancellationToken).ConfigureAwait(false);
            foreach (var run in runs)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {run.RunId}  {run.Trigger,-8}  {run.RequestedBy ?? "-",-20}  {run.Outcome,-14}  {run.Written} written, {run.Unchanged} unchanged, {run.Deleted} deleted{(run.HasManifest ? string.Empty : "  (no rollback point)")}{(run.AwaitingApproval is { Length: > 0 } awaiting ? $"  awaiting approval: {awaiting}" : string.Empty)}")).ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync($"{runs.Count} run{(runs.Count == 1 ? string.Empty : "s")} on {storage.Description}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
