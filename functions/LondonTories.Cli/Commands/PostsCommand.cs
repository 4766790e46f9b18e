using System.Globalization;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Commands;

/// <summary>
/// <c>posts</c>: every social post in a window, with its London time, platforms, seats, status and
/// problems; with a storage account, each channel's delivery from the ledger, and the two things a
/// person does to it: confirm an unknown delivery, retract a post.
/// </summary>
public static class PostsCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CliConsole console, string[] args, CancellationToken cancellationToken)
    {
        var confirm = TakeConfirm(ref args);
        var arguments = new Arguments(args, new HashSet<string> { "--content", "--out", "--from", "--to", "--seat", "--now", "--grace", "--storage", "--retract" }, new HashSet<string>());
        if ((confirm is not null || arguments.Value("--retract") is not null) && arguments.Value("--storage") is null)
        {
            throw new UsageException("--confirm and --retract change the delivery ledger and need --storage.");
        }

        if (arguments.Value("--storage") is not null && arguments.Value("--out") is not null)
        {
            throw new UsageException("give --out (a folder) or --storage (the storage account), not both.");
        }

        var publisher = services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(ContentOption.Read(arguments), cancellationToken).ConfigureAwait(false);
        var clock = services.GetRequiredService<TimeProvider>();
        var now = TimeOption.Read(arguments, content) ?? clock.GetUtcNow();
        var (from, to) = WindowOption.ReadWindow(arguments, content);
        var seat = arguments.Value("--seat");
        if (seat is not null && content.Constituencies.All(s => s.Slug != seat))
        {
            // A seat's name is a common slip for its slug.
            var meant = content.Constituencies.FirstOrDefault(s => string.Equals(s.Name, seat.Trim(), StringComparison.OrdinalIgnoreCase))?.Slug
                ?? LondonTories.Publishing.Diagnostics.DidYouMean.Suggest(seat, content.Constituencies.Select(s => s.Slug));
            throw new UsageException($"--seat: there is no constituency '{seat}'. " + (meant is null
                ? $"Name it by its slug from constituencies.yaml, e.g. --seat {content.Constituencies.FirstOrDefault()?.Slug ?? "battersea"}."
                : LondonTories.Publishing.Diagnostics.DidYouMean.Hint(meant)));
        }

        var grace = GraceOption.Read(arguments) ?? PostDelivery.DefaultGracePeriod;
        var (plan, diagnostics) = publisher.PlanPosts(content);
        var approvals = await ApprovalsOption.ReadAsync(services, arguments, content, cancellationToken).ConfigureAwait(false);
        if (arguments.Value("--storage") is { } connection)
        {
            return await StorageErrors.GuardAsync(console, async () =>
            {
                var storage = new SiteStorage(StorageConnection.Parse(connection), services.GetRequiredService<StorageOptions>());
                var runner = services.GetRequiredService<DeliveryRunner>();
                if (confirm is var (post, confirmSeat, channel, sent))
                {
                    return await ConfirmAsync(console, runner, storage.Deliveries, post, confirmSeat, channel, sent, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }

                if (arguments.Value("--retract") is { } retract)
                {
                    return await RetractAsync(console, runner, plan, content, storage.Deliveries, retract, cancellationToken).ConfigureAwait(false);
                }

                var entries = await storage.Deliveries.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                return await ListAsync(console, content, plan, diagnostics, now, grace, from, to, seat, null, entries, approvals).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        // Posts only read the output folder: the default one may lie inside the content folder (a terminal opened there), and an --out given as the content is a slip to refuse.
        var output = OutputOption.Read(arguments, arguments.Value("--out") is null ? null : arguments.Value("--content", "content"));
        return await ListAsync(console, content, plan, diagnostics, now, grace, from, to, seat, output, null, approvals).ConfigureAwait(false);
    }

    /// <summary>
    /// The posts filed under <paramref name="output"/>, by id and seat, on whatever day: a post whose time
    /// moved to another day after it went out is still out, as publish finds it.
    /// </summary>
    private static HashSet<(string Id, string Seat)> FiledPosts(string output)
    {
        var social = Path.Combine(output, "social");
        return Directory.Exists(social)
            ? [.. Directory.EnumerateFiles(social, "*.json", SearchOption.AllDirectories)
                .Select(file => SeatPost.Filed(Path.GetRelativePath(output, file).Replace('\\', '/')))
                .OfType<(string Id, string Seat)>()]
            : [];
    }

    private static async Task<int> ListAsync(
        CliConsole console, SiteContent content, PostPlan plan, System.Collections.Immutable.ImmutableArray<LondonTories.Publishing.Diagnostics.Diagnostic> diagnostics,
        DateTimeOffset now, TimeSpan grace, DateTimeOffset? from, DateTimeOffset? to, string? seat, string? output, IReadOnlyList<DeliveryEntry>? entries, ApprovalBook approvals)
    {
        var zone = content.Site.TimeZone;
        var shown = 0;
        var printed = new HashSet<LondonTories.Publishing.Diagnostics.Diagnostic>(ReferenceEqualityComparer.Instance);
        HashSet<(string Id, string Seat)>? filed = null;
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
                $"{london:yyyy-MM-dd HH:mm} {SiteClock.ClockName(london, zone)}  {post.Id}  [{string.Join(", ", post.Platforms)}]  {seatPosts.Count} seat{(seatPosts.Count == 1 ? "" : "s")}  {kind}  {post.Path}")).ConfigureAwait(false);
            if (output is not null)
            {
                filed ??= FiledPosts(output);
                var statuses = seatPosts
                    .Select(p => (p.Seat.Slug, Status: PostDelivery.StatusAt(p.Schedule, now, grace, File.Exists(Path.Combine(output, p.Path)) || filed.Contains((p.Id, p.Seat.Slug))) is { } status
                        ? status.ToString().ToLowerInvariant()
                        : "due"))
                    .ToList();
                var line = seat is not null || statuses.Count <= 3
                    ? string.Join(", ", statuses.Select(x => $"{x.Slug}: {x.Status}"))
                    : string.Join(", ", statuses.GroupBy(x => x.Status).Select(g => $"{g.Key} {g.Count()}"));
                await console.Out.WriteLineAsync($"    {line}").ConfigureAwait(false);
            }

            if (PostApprovals.NeedsApproval(content.Site, post))
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

            foreach (var seatPost in seatPosts)
            {
                var deliveries = plan.Deliveries.Where(d => d.Post == seatPost).ToList();
                if (deliveries.Count == 0)
                {
                    continue;
                }

                var channels = deliveries.Select(d =>
                {
                    var entry = Find(entries, d);
                    var status = DeliveryStatuses.Of(d.Schedule, now, grace, entry);
                    var language = d.Language == content.Site.Language ? string.Empty : $" ({d.Language})";
                    var url = entry?.RemoteUrl is { } remote ? $" {remote}" : string.Empty;
                    var error = entry?.LastError is { } last && status != DeliveryStatus.Sent ? $" ({last})" : string.Empty;
                    var edited = entry?.ChangedAfterSend == true ? " (edited after it went out; the edit was not sent)" : string.Empty;
                    return $"{d.ChannelId}{language}: {DeliveryStatuses.Name(status)}{url}{error}{edited}";
                });
                await console.Out.WriteLineAsync($"    {seatPost.Seat.Slug}: {string.Join("; ", channels)}").ConfigureAwait(false);
            }

            foreach (var problem in diagnostics.Where(d => BelongsTo(post, d)))
            {
                await console.Out.WriteLineAsync($"    {problem}").ConfigureAwait(false);
                printed.Add(problem);
            }
        }

        // A post that failed to load (a schedule that is no London time) is under no heading above,
        // and a post filtered out still fails the run: every error not yet shown is reported here.
        await console.ReportAsync([.. diagnostics.Where(d => !printed.Contains(d) && (d.IsError || !content.Posts.Any(p => BelongsTo(p, d))))], CliConsole.UntilFixed).ConfigureAwait(false);
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{shown} post{(shown == 1 ? "" : "s")} as of {SiteClock.ToLocal(now, zone):yyyy-MM-dd HH:mm} {SiteClock.TimeName(zone)}.")).ConfigureAwait(false);
        return diagnostics.Any(d => d.IsError) ? ExitCodes.ContentErrors : ExitCodes.Success;
    }

    private static bool BelongsTo(PostFile post, LondonTories.Publishing.Diagnostics.Diagnostic diagnostic) =>
        diagnostic.Location.Path == post.Path || post.Translations.Values.Any(t => t.Origin.Path == diagnostic.Location.Path);

    /// <summary>The ledger's entry for a planned delivery: by the post's id, or by its text where the file was renamed after it went out.</summary>
    private static DeliveryEntry? Find(IReadOnlyList<DeliveryEntry>? entries, PlannedDelivery delivery) =>
        entries?.FirstOrDefault(e => e.Identity == delivery.PostId && e.Seat == delivery.Seat && e.Language == delivery.Language && e.Channel == delivery.ChannelId)
        ?? entries?.FirstOrDefault(e => e.PostId == delivery.PostId && e.Seat == delivery.Seat && e.Language == delivery.Language && e.Channel == delivery.ChannelId);

    private static async Task<int> ConfirmAsync(
        CliConsole console, DeliveryRunner runner, DeliveryLedger ledger, string post, string seat, string channel, bool sent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settled = await runner.ConfirmAsync(ledger, post, seat, channel, sent, now, cancellationToken).ConfigureAwait(false);
        if (settled.Count == 0)
        {
            await console.Error.WriteLineAsync($"error: no unknown delivery of '{post}' for {seat} on {channel}; `posts --storage ...` lists those waiting for a person.").ConfigureAwait(false);
            return ExitCodes.ContentErrors;
        }

        foreach (var entry in settled)
        {
            await console.Out.WriteLineAsync($"{entry.Identity} {entry.Seat} ({entry.Language}) {entry.Channel}: {DeliveryStatuses.Name(entry.Status)}{(sent ? string.Empty : "; the next run sends it if its grace period lasts")}.").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task<int> RetractAsync(
        CliConsole console, DeliveryRunner runner, PostPlan plan, SiteContent content, DeliveryLedger ledger, string post, CancellationToken cancellationToken)
    {
        var reports = await runner.RetractAsync(plan, content, ledger, post, cancellationToken).ConfigureAwait(false);
        if (reports.Count == 0)
        {
            await console.Error.WriteLineAsync($"error: '{post}' went out on no channel, so there is nothing to retract.").ConfigureAwait(false);
            return ExitCodes.ContentErrors;
        }

        foreach (var report in reports)
        {
            var line = report.Error is null ? "retracted" : $"not retracted: {report.Error}";
            await (report.Error is null ? console.Out : console.Error).WriteLineAsync($"{report.Identity} {report.Seat} ({report.Language}) {report.Channel}: {line}").ConfigureAwait(false);
        }

        return reports.All(r => r.Error is null) ? ExitCodes.Success : ExitCodes.StorageFailure;
    }

    /// <summary><c>--confirm POST SEAT CHANNEL sent|not-sent</c> takes four values, which the option reader does not; it is taken out first.</summary>
    private static (string Post, string Seat, string Channel, bool Sent)? TakeConfirm(ref string[] args)
    {
        var at = Array.IndexOf(args, "--confirm");
        if (at < 0)
        {
            return null;
        }

        if (args.Length - at < 5)
        {
            throw new UsageException("--confirm takes four values: POST SEAT CHANNEL sent|not-sent.");
        }

        var values = args[(at + 1)..(at + 5)];
        if (values.Any(v => v.StartsWith("--", StringComparison.Ordinal)) || values[3] is not ("sent" or "not-sent"))
        {
            throw new UsageException("--confirm takes four values: POST SEAT CHANNEL sent|not-sent, e.g. --confirm winter-action-day bromley facebook-bromley sent.");
        }

        args = [.. args[..at], .. args[(at + 5)..]];
        return (values[0], values[1], values[2], values[3] == "sent");
    }
}

internal static class ApprovalsOption
{
    /// <summary>The approvals in --storage's approvals table; without --storage, none (so what needs approval shows as awaiting it).</summary>
    public static async Task<ApprovalBook> ReadAsync(IServiceProvider services, Arguments arguments, SiteContent content, CancellationToken cancellationToken)
    {
        if (arguments.Value("--storage") is not { } connection || !PostApprovals.AnyNeeded(content))
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

    /// <summary>--from and --to, where given, in order: a window that ends before it starts holds nothing, and saying so beats an empty list.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) ReadWindow(Arguments arguments, SiteContent content)
    {
        var (from, to) = (Read(arguments, "--from", content), Read(arguments, "--to", content));
        return from > to
            ? throw new UsageException($"--from {arguments.Value("--from")} is after --to {arguments.Value("--to")}; give the earlier time as --from.")
            : (from, to);
    }
}
