using LondonTories.Publishing.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>validate</c>: every problem in the content, as a publish at --now would meet them.</summary>
public static class ValidateCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--now" }, new HashSet<string>());
        var publisher = services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(ContentOption.Read(arguments), cancellationToken).ConfigureAwait(false);
        var now = TimeOption.Read(arguments, content);
        var diagnostics = publisher.Validate(content, now, cancellationToken);
        await console.ReportAsync(diagnostics, CliConsole.UntilFixed).ConfigureAwait(false);
        if (diagnostics.Any(d => d.IsError))
        {
            return ExitCodes.ContentErrors;
        }

        var pages = content.Pages.Count(p => !p.IsTranslation);
        var translations = content.Pages.Length - pages;
        var seats = content.Constituencies.Length;
        await console.Out.WriteLineAsync(
            $"Content is valid: {pages} {(pages == 1 ? "page" : "pages")}, {translations} {(translations == 1 ? "translation" : "translations")}, {seats} {(seats == 1 ? "constituency" : "constituencies")}.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
