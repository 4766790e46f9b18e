using System.Globalization;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary>
/// <c>spend</c>: sponsored budget per seat and in total, against the limits in site.yaml; with a
/// storage account, what posts already sent committed, from the delivery ledger.
/// </summary>
public static class SpendCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--from", "--to", "--storage" }, new HashSet<string>());
        var publisher = services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(ContentOption.Read(arguments), cancellationToken).ConfigureAwait(false);
        if (content.HasErrors)
        {
            await console.ReportAsync(content.Diagnostics, CliConsole.UntilFixed).ConfigureAwait(false);
            return ExitCodes.ContentErrors;
        }

        if (arguments.Value("--storage") is { } connection)
        {
            return await StorageErrors.GuardAsync(console, async () =>
            {
                var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
                var entries = await storage.Deliveries.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                var plan = publisher.PlanPosts(content).Posts;
                return await ReportAsync(console, content, arguments, CommittedSpend.From(DeliveryMatches.AsNamedNow(plan, entries, DeliveryMatches.Find(plan, entries)))).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        return await ReportAsync(console, content, arguments, []).ConfigureAwait(false);
    }

    private static async Task<int> ReportAsync(CliConsole console, SiteContent content, Arguments arguments, IReadOnlyCollection<CommittedSpend> committed)
    {
        var (from, to) = WindowOption.ReadWindow(arguments, content);
        var report = SpendReport.Compute(content, from, to, committed);
        var zone = content.Site.TimeZone;
        string When(DateTimeOffset? t) => t is { } v ? SiteClock.ToLocal(v, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;
        var clocks = SiteClock.TimeName(zone);
        var window = (from, to) switch
        {
            (null, null) => "of every post, whenever scheduled",
            ({ }, null) => $"from {When(from)} on ({clocks})",
            (null, { }) => $"until {When(to)} ({clocks})",
            _ => $"from {When(from)} to {When(to)} ({clocks})",
        };
        await console.Out.WriteLineAsync($"Sponsored spend {window}:").ConfigureAwait(false);
        foreach (var (seat, spend) in report.Seats.Where(s => s.Spend > 0).OrderByDescending(s => s.Spend).ThenBy(s => s.Seat.Slug, StringComparer.Ordinal))
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {seat.Slug,-40} £{spend,10:N2}")).ConfigureAwait(false);
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"total",-40} £{report.Total,10:N2}")).ConfigureAwait(false);
        foreach (var difference in report.Differences)
        {
            var now = difference switch
            {
                { InFile: { } budget } => string.Create(CultureInfo.InvariantCulture, $"its file now says £{budget:N2}"),
                { FileExists: true } => $"its file no longer spends on {difference.Seat}",
                _ => "no file names it now",
            };
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"note: {difference.PostId} for {difference.Seat}: £{difference.Committed:N2} was committed when it went out; {now}. The committed sum counts.")).ConfigureAwait(false);
        }

        var exit = ExitCodes.Success;
        foreach (var limit in report.Checks.GroupBy(c => c.Limit))
        {
            var name = $"{limit.Key.Name} ({When(limit.Key.From)} to {When(limit.Key.To)})";
            foreach (var check in limit.Where(c => c.Level != SpendLevel.Within))
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"{name}, {check.Subject}: £{check.Spend:N2} of £{check.Allowed:N2} ({100 * check.Share:N0}%)");
                if (check.Level == SpendLevel.Reached)
                {
                    await console.Error.WriteLineAsync($"error: {line}: over the limit; cut budgets or audiences.").ConfigureAwait(false);
                    exit = ExitCodes.ContentErrors;
                }
                else
                {
                    await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"warning: {line}: over {100 * SpendReport.WarningShare:0.#}% of the limit.")).ConfigureAwait(false);
                }
            }

            var within = limit.Where(c => c.Level == SpendLevel.Within).ToList();
            if (within.Count > 0)
            {
                var highest = within.MaxBy(c => c.Share)!;
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"ok: {name}: {within.Count} within the limit, the highest {highest.Subject} at £{highest.Spend:N2} of £{highest.Allowed:N2} ({100 * highest.Share:N0}%).")).ConfigureAwait(false);
            }
        }

        return exit;
    }
}
