using Azure.Core;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary>
/// <c>approve POST-ID</c> or <c>approve page:SLUG</c>: records the signed-in user's approval of a post or a page as it stands in the content
/// (the storage account's <c>content</c> container, or <c>--content DIR</c>), for the seats they may approve.
/// </summary>
public static class ApproveCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("approve needs the id of the post or page to approve, e.g. 'approve cost-of-living --storage CONNECTION' or 'approve page:housing --storage CONNECTION'.");
        }

        var arguments = new Arguments(args[1..], new HashSet<string> { "--storage", "--content", "--seat", "--digest" }, new HashSet<string>());
        var connection = arguments.Value("--storage") ?? throw new UsageException("approve needs --storage, the storage account whose approvals table records it.");
        return await StorageErrors.GuardAsync(console, async () =>
        {
            var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
            IContentSource source = arguments.Value("--content") is not null ? ContentOption.Read(arguments) : storage.Content;
            var content = await services.GetRequiredService<Publisher>().LoadAsync(source, cancellationToken).ConfigureAwait(false);
            var user = await ApproverSignIn.SignInAsync(services.GetService<TokenCredential>(), cancellationToken).ConfigureAwait(false);
            var decision = await services.GetRequiredService<ApprovalDesk>().ApproveAsync(content, user,
                new ApprovalRequest(args[0], arguments.Value("--seat"), arguments.Value("--digest")), "cli", storage.Approvals, cancellationToken).ConfigureAwait(false);
            if (decision.Outcome == ApprovalOutcome.Approved)
            {
                await console.Out.WriteLineAsync(decision.Message).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: {decision.Message}").ConfigureAwait(false);
            return ExitCodes.ContentErrors;
        }).ConfigureAwait(false);
    }
}
