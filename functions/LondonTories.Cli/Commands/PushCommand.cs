using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>push</c>: mirrors the content folder into the <c>content</c> container, uploading only what changed.</summary>
public static class PushCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--storage", "--content" }, new HashSet<string>());
        var connection = arguments.Value("--storage") ?? throw new UsageException("push needs --storage, a connection string or an account URL.");
        return await StorageErrors.GuardAsync(console, async () =>
        {
            var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
            var result = await ContentPusher.PushAsync(new FolderContentSource(arguments.Value("--content", "content")), storage, cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"{result.Summary} ({storage.Description})").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
