using System.Globalization;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary>
/// <c>push</c>: checks the content folder as publish would, then mirrors it into the <c>content</c>
/// container, uploading only what changed; refuses to delete much of the container unless forced.
/// </summary>
public static class PushCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--storage", "--content", "--max-delete-share" }, new HashSet<string> { "--force" });
        var connection = arguments.Value("--storage") ?? throw new UsageException("push needs --storage, a connection string or an account URL.");
        var options = new PushOptions { Force = arguments.Flag("--force"), MaxDeleteShare = DeleteShareOption.Read(arguments, new PushOptions().MaxDeleteShare) };
        var source = ContentOption.Read(arguments);
        return await StorageErrors.GuardAsync(console, async () =>
        {
            var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
            var result = await services.GetRequiredService<ContentPusher>().PushAsync(source, storage, options, cancellationToken).ConfigureAwait(false);
            await console.ReportAsync(result.Diagnostics, "nothing was pushed").ConfigureAwait(false);
            switch (result.Outcome)
            {
                case PublishOutcome.ContentErrors:
                    return ExitCodes.ContentErrors;
                case PublishOutcome.Refused:
                    await console.Error.WriteLineAsync($"error: {result.Refusal}").ConfigureAwait(false);
                    return ExitCodes.ContentErrors;
                default:
                    await console.Out.WriteLineAsync($"{result.Summary} ({storage.Description})").ConfigureAwait(false);
                    return ExitCodes.Success;
            }
        }).ConfigureAwait(false);
    }
}
