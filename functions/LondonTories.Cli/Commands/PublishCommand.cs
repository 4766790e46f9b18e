using System.Globalization;
using LondonTories.Publishing.Publishing;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>publish</c>: renders what is due and writes only what changed.</summary>
public static class PublishCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args,
            new HashSet<string> { "--content", "--out", "--now", "--max-delete-share" },
            new HashSet<string> { "--force" });
        var publisher = services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(ContentOption.Read(arguments), cancellationToken).ConfigureAwait(false);
        var options = new PublishOptions
        {
            Now = TimeOption.Read(arguments, content),
            Force = arguments.Flag("--force"),
            MaxDeleteShare = ReadShare(arguments),
            Progress = console.Progress(),
        };

        var result = await publisher.PublishAsync(content, new LocalFolderTarget(arguments.Value("--out", "out")), options, cancellationToken).ConfigureAwait(false);
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
                return ExitCodes.Success;
        }
    }

    private static double ReadShare(Arguments arguments)
    {
        var text = arguments.Value("--max-delete-share");
        if (text is null)
        {
            return new PublishOptions().MaxDeleteShare;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1
            ? share
            : throw new UsageException("--max-delete-share takes a share between 0 and 1, such as 0.25.");
    }
}
