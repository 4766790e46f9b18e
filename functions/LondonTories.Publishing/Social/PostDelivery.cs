using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

public enum PostStatus
{
    /// <summary>Its time has not come.</summary>
    Scheduled,

    /// <summary>Sent: its file exists, by this run or an earlier one.</summary>
    Published,

    /// <summary>Its time passed more than the grace period ago while nothing sent it; it is never sent.</summary>
    Missed,

    /// <summary>Due, but it needs an approval for what it says now; the first run after the approval sends it.</summary>
    AwaitingApproval,

    /// <summary>Due, but sending it failed; the next run tries again while it is within the grace period.</summary>
    Failed,
}

/// <summary>What a run did with one post for one seat.</summary>
public sealed record PostOutcome(string PostId, string Seat, string Path, PostStatus Status, DateTimeOffset Schedule, string TextSha256)
{
    /// <summary>The run tried to send it (a conditional create), whatever came of it.</summary>
    public bool Attempted { get; init; }

    /// <summary>This run created the post's file: it went out now.</summary>
    public bool SentByThisRun { get; init; }

    public string? Error { get; init; }

    /// <summary>Where its approval stands, when the site asks for one.</summary>
    public Approvals.ApprovalState? Approval { get; init; }

    /// <summary>The content file the post is written in, so that a report can name it where editors fix it.</summary>
    public string? Source { get; init; }

    /// <summary>Why it failed, in one line: a storage error goes on after its first line with request details no report needs.</summary>
    [JsonIgnore]
    public string Reason => Error?.Split('\n', 2)[0].Trim() is { Length: > 0 } reason ? reason : "no reason was given";

    /// <summary>One line naming the failed post, its seat, its document and why it was not filed; null unless it failed.</summary>
    [JsonIgnore]
    public string? Failure => Status == PostStatus.Failed ? $"post {PostId} for {Seat} could not be filed as {Path}: {Reason}" : null;
}

/// <summary>When posts go out, and the document each seat's post is filed as.</summary>
public static partial class PostDelivery
{
    /// <summary>A post this late or less still goes out; an older one is missed.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(6);

    /// <summary>The longest grace period a run takes: over a year, enough to send a whole campaign's missed posts late.</summary>
    public const int MaximumGraceDays = 400;

    /// <summary>
    /// A grace period written as hours and minutes (and seconds) whose hours pass 23, as the span that
    /// was meant; null for any other text. .NET's TimeSpan reads '48:00:00' as 48 days and refuses
    /// '24:00', where hours were meant either way, so each host refuses it with the form to write.
    /// </summary>
    public static TimeSpan? HoursPastADay(string text) =>
        HoursAndMinutes().Match(text.Trim()) is { Success: true } clock && Part(clock, "hours") is var hours and >= 24
            ? new TimeSpan(hours, Part(clock, "minutes"), clock.Groups["seconds"].Success ? Part(clock, "seconds") : 0)
            : null;

    private static int Part(Match clock, string name) => int.Parse(clock.Groups[name].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);

    // At most seven digits of hours: more would pass the longest span a TimeSpan holds.
    [GeneratedRegex(@"^(?<hours>\d{2,7}):(?<minutes>[0-5]\d)(?::(?<seconds>[0-5]\d))?$")]
    private static partial Regex HoursAndMinutes();

    // Apart from the class's other statics: every host reads DefaultGracePeriod as it starts, and
    // building these options then cost a publish with nothing to do about 10 ms it never needed.
    private static class Documents
    {
        public static readonly JsonSerializerOptions Json = new()
        {
            WriteIndented = true,
            // The documents are read by programs, never embedded in HTML, so text stays readable (+01:00, not \u002B01:00).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };
    }

    /// <summary>The status of a post at <paramref name="now"/>, before anything is sent; due posts are those this returns null for.</summary>
    public static PostStatus? StatusAt(DateTimeOffset schedule, DateTimeOffset now, TimeSpan grace, bool alreadyOut) =>
        alreadyOut ? PostStatus.Published
        : schedule > now ? PostStatus.Scheduled
        : now - schedule > grace ? PostStatus.Missed
        : null;

    /// <summary>The JSON document of one seat's post, as filed under <c>social/</c> at the post's <see cref="SeatPost.Path"/>.</summary>
    public static byte[] Document(SeatPost post, Site site, DateTimeOffset publishedAt)
    {
        static object Version(PostVersion v) => new
        {
            v.Language,
            v.Text,
            v.Link,
            v.Message,
            v.Lengths,
        };

        var sponsored = post.Post.Sponsored;
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            post.Id,
            Seat = post.Seat.Slug,
            SeatName = post.Seat.Name,
            post.Main.Language,
            post.Main.Text,
            Imprint = post.Imprint.Text,
            post.Main.Link,
            post.Main.Message,
            Platforms = post.Post.Platforms,
            post.Main.Lengths,
            Limits = post.Post.Platforms.Where(SocialPlatforms.IsKnown).Distinct().ToImmutableSortedDictionary(p => p, p => SocialPlatforms.Get(p).Limit, StringComparer.Ordinal),
            post.Post.Media,
            post.Post.MediaAlt,
            Sponsored = sponsored is null ? null : new
            {
                sponsored.BudgetGbp,
                StartUtc = Rfc3339.Format(sponsored.Start),
                EndUtc = Rfc3339.Format(sponsored.End),
                StartLondon = Local(sponsored.Start, site),
                EndLondon = Local(sponsored.End, site),
            },
            post.Post.ApprovedBy,
            ScheduledUtc = Rfc3339.Format(post.Schedule),
            ScheduledLondon = Local(post.Schedule, site),
            PublishedAt = Rfc3339.Format(publishedAt),
            Translations = post.Translations.Select(Version).ToList(),
        }, Documents.Json);
    }


    private static string Local(DateTimeOffset instant, Site site) =>
        SiteClock.ToLocal(instant, site.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
