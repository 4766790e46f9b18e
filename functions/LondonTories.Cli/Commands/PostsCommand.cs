using System.Globalization;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Publishing;
using LondonTories.Publishing.Scheduling;
using LondonTories.Publishing.Social;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary><c>posts</c>: every social post in a window, with its London time, platforms, seats, status and problems.</summary>
public static class PostsCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--out", "--from", "--to", "--seat", "--now", "--grace", "--storage" }, new HashSet<string>());
        var publisher = services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(ContentOption.Read(arguments), cancellationToken).ConfigureAwait(false);
        var now = TimeOption.Read(arguments, content) ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var from = WindowOption.Read(arguments, "--from", content);
        var to = WindowOption.Read(arguments, "--to", content);
        var seat = arguments.Value("--seat");
        if (seat is not null && content.Constituencies.All(s => s.Slug != seat))
        {
            throw new UsageException($"--seat: there is no constituency '{seat}'.");
        }

        var grace = GraceOption.Read(arguments) ?? PostDelivery.DefaultGracePeriod;
        var output = arguments.Value("--out", "out");
        var (plan, diagnostics) = publisher.PlanPosts(content);
        var approvals = await ApprovalsOption.ReadAsync(services, arguments, content, cancellationToken).ConfigureAwait(false);
        var zone = content.Site.TimeZone;
        var shown = 0;
        foreach (var post in content.Posts.Where(p => (from is null || p.Schedule >= from) && (to is null || p.Schedule < to)).OrderBy(p => p.Schedule).ThenBy(p => p.Id, StringComparer.Ordinal))
        {
            var seatPosts = plan.Posts.Where(p => p.Post == post && (seat is null || p.Seat.Slug == seat)).ToList();
            if (seat is not null && seatPosts.Count == 0)
            {
                continue;
            }

            shown++;
            var london = SiteClock.ToLocal(post.Schedule, zone);
            var kind = post.Sponsored is { } s ? string.Create(CultureInfo.InvariantCulture, $"sponsored £{s.BudgetGbp:0.##} a seat") : "organic";
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{london:yyyy-MM-dd HH:mm} {(zone.IsDaylightSavingTime(london) ? "BST" : "GMT")}  {post.Id}  [{string.Join(", ", post.Platforms)}]  {seatPosts.Count} seat{(seatPosts.Count == 1 ? "" : "s")}  {kind}  {post.Path}")).ConfigureAwait(false);
            var statuses = seatPosts
                .Select(p => (p.Seat.Slug, Status: PostDelivery.StatusAt(p.Schedule, now, grace, File.Exists(Path.Combine(output, p.Path))) is { } status
                    ? SocialName(status)
                    : "due"))
                .ToList();
            var line = seat is not null || statuses.Count <= 3
                ? string.Join(", ", statuses.Select(x => $"{x.Slug}: {x.Status}"))
                : string.Join(", ", statuses.GroupBy(x => x.Status).Select(g => $"{g.Key} {g.Count()}"));
            await console.Out.WriteLineAsync($"    {line}").ConfigureAwait(false);
            if (ApprovalBook.NeedsApproval(content.Site, post))
            {
                var approval = seatPosts.Select(p => (p.Seat.Slug, State: approvals.StateOf(content.Site, plan, p)))
                    .GroupBy(x => (x.State.Status, x.State.ApprovedBy, x.State.Voided))
                    .GroupBy(g => (g.First().State with { MayApprove = [.. g.SelectMany(x => x.State.MayApprove).Distinct()] }).Describe(), g => g.Select(x => x.Slug))
                    .Select(g => (Key: g.Key, Seats: g.SelectMany(s => s).ToList()))
                    .ToList();
                await console.Out.WriteLineAsync(approval.Count == 1
                    ? $"    approval: {approval[0].Key}"
                    : $"    approval: {string.Join("; ", approval.Select(g => $"{string.Join(", ", g.Seats)}: {g.Key}"))}").ConfigureAwait(false);
            }
            foreach (var problem in diagnostics.Where(d => d.Location.Path == post.Path || post.Translations.Values.Any(t => t.Origin.Path == d.Location.Path)))
            {
                await console.Out.WriteLineAsync($"    {problem}").ConfigureAwait(false);
            }
        }

        await console.ReportAsync([.. diagnostics.Where(d => !d.Location.Path.Contains("/social/", StringComparison.Ordinal) && !d.Location.Path.StartsWith("social/", StringComparison.Ordinal))]).ConfigureAwait(false);
        await console.Out.WriteLineAsync($"{shown} post{(shown == 1 ? "" : "s")} as of {SiteClock.ToLocal(now, zone):yyyy-MM-dd HH:mm} London time.").ConfigureAwait(false);
        return diagnostics.Any(d => d.IsError) ? ExitCodes.ContentErrors : ExitCodes.Success;
    }

    private static string SocialName(PostStatus status) => status.ToString().ToLowerInvariant();
}

internal static class ApprovalsOption
{
    /// <summary>The approvals in --storage's approvals table; without --storage, none (so what needs approval shows as awaiting it).</summary>
    public static async Task<ApprovalBook> ReadAsync(IServiceProvider services, Arguments arguments, SiteContent content, CancellationToken cancellationToken)
    {
        if (arguments.Value("--storage") is not { } connection || !ApprovalBook.AnyNeeded(content))
        {
            return ApprovalBook.Empty;
        }

        var storage = new LondonTories.Publishing.Storage.SiteStorage(LondonTories.Publishing.Storage.StorageConnection.Parse(connection),
            services.GetRequiredService<LondonTories.Publishing.Storage.StorageOptions>());
        try
        {
            return new ApprovalBook(await storage.Approvals.ReadAllAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException or HttpRequestException)
        {
            throw new IOException($"the approvals in {storage.Description} could not be read ({exception.Message.Split('\n', 2)[0].Trim()})", exception);
        }
    }
}

internal static class WindowOption
{
    public static DateTimeOffset? Read(Arguments arguments, string name, SiteContent content)
    {
        if (arguments.Value(name) is not { } text)
        {
            return null;
        }

        return SiteClock.Parse(text, content.Site.TimeZone, out var error) ?? throw new UsageException($"{name}: {error}");
    }
}
