using System.Globalization;
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
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--out", "--from", "--to", "--seat", "--now", "--grace" }, new HashSet<string>());
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
