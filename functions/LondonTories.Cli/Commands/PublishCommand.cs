using System.Globalization;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>publish</c>: renders what is due and writes only what changed, to a folder or to Blob Storage.</summary>
public static class PublishCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args,
            new HashSet<string> { "--content", "--out", "--now", "--max-delete-share", "--storage", "--content-storage", "--grace" },
            new HashSet<string> { "--force", "--deliver" });
        if (arguments.Flag("--deliver") && arguments.Value("--storage") is null)
        {
            throw new UsageException("--deliver sends posts to the platforms and needs --storage: the ledger that makes each go out once lives there. A local folder never contacts a platform.");
        }

        if (arguments.Value("--storage") is not null && arguments.Value("--out") is not null)
        {
            throw new UsageException("give --out (a folder) or --storage (Blob Storage), not both.");
        }

        if (arguments.Value("--content-storage") is not null && arguments.Value("--content") is not null)
        {
            throw new UsageException("give --content (a folder) or --content-storage (the content container), not both.");
        }

        // Checked before anything is read: a wrong folder is a usage mistake however the content turns out.
        var output = arguments.Value("--storage") is null
            ? OutputOption.ReadForPublish(arguments, arguments.Value("--content-storage") is null ? arguments.Value("--content", "content") : null)
            : null;
        return await StorageErrors.GuardAsync(console, async () =>
        {
            // Built only where it is used: a folder publish with nothing to do never needs it.
            var publisher = new Lazy<Publisher>(services.GetRequiredService<Publisher>);
            var storageOptions = services.GetRequiredService<StorageOptions>();
            IContentSource source = arguments.Value("--content-storage") is { } contentConnection
                ? new SiteStorage(StorageConnection.Parse(contentConnection), storageOptions).Content
                : ContentOption.Read(arguments);
            // --now is read in the site's time zone, so only it needs the content parsed up front; a
            // folder publish without it leaves the parsing to the run, which may find it has nothing to do.
            var content = arguments.Value("--now") is null ? null : await publisher.Value.LoadAsync(source, cancellationToken).ConfigureAwait(false);
            var options = new PublishOptions
            {
                Now = content is null ? null : TimeOption.Read(arguments, content),
                Force = arguments.Flag("--force"),
                MaxDeleteShare = DeleteShareOption.Read(arguments, new PublishOptions().MaxDeleteShare),
                Progress = console.Progress(),
                SocialGracePeriod = GraceOption.Read(arguments) ?? storageOptions.SocialGracePeriod,
                RequestedBy = Environment.UserName,
            };

            PublishResult result;
            var webhooksQueued = 0;
            if (arguments.Value("--storage") is { } connection)
            {
                var storage = new SiteStorage(StorageConnection.Parse(connection), storageOptions);
                var run = await services.GetRequiredService<StoragePublisher>()
                    .PublishAsync(storage, content ?? await publisher.Value.LoadAsync(source, cancellationToken).ConfigureAwait(false), options with { Deliveries = arguments.Flag("--deliver") ? storage.Deliveries : null }, "cli", cancellationToken).ConfigureAwait(false);
                if (run.Result is null && run.Outcome == PublishRun.Refused)
                {
                    throw new UsageException(run.Summary);
                }

                if (run.Result is null)
                {
                    console.EndProgress();
                    await console.Error.WriteLineAsync($"error: {run.Summary}").ConfigureAwait(false);
                    return ExitCodes.StorageFailure;
                }

                result = run.Result;
                webhooksQueued = run.WebhooksQueued;
            }
            else
            {
                var folders = services.GetRequiredService<FolderPublisher>();
                result = content is null
                    ? await folders.PublishAsync(source, new LocalFolderTarget(output!), options, cancellationToken).ConfigureAwait(false)
                    : await folders.PublishAsync(content, source.DisplayRoot, new LocalFolderTarget(output!), options, cancellationToken).ConfigureAwait(false);
            }

            console.EndProgress();
            await console.ReportAsync(result.Diagnostics).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case PublishOutcome.ContentErrors:
                    return ExitCodes.ContentErrors;
                case PublishOutcome.Refused:
                    await console.Error.WriteLineAsync($"error: {result.Refusal}").ConfigureAwait(false);
                    return ExitCodes.ContentErrors;
                default:
                    await console.Out.WriteLineAsync(result.Summary).ConfigureAwait(false);
                    if (webhooksQueued > 0)
                    {
                        // Only a publish to storage can tell associations: the queue lives beside the site's ledger.
                        await console.Out.WriteLineAsync(WebhooksQueued(webhooksQueued)).ConfigureAwait(false);
                    }

                    // The pages are published either way; a post left unfiled must still stop a timer or a pipeline that runs this.
                    var failed = result.Posts.Where(p => p.Status == PostStatus.Failed).ToList();
                    foreach (var post in failed)
                    {
                        await console.Error.WriteLineAsync($"{post.Source ?? post.Path}: error: {post.Failure}").ConfigureAwait(false);
                    }

                    return failed.Count > 0 ? ExitCodes.StorageFailure : ExitCodes.Success;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The line a run to storage adds when it told associations of their seats' changes.</summary>
    internal static string WebhooksQueued(int events) => $"Association webhooks: {events} event{(events == 1 ? string.Empty : "s")} queued.";
}
