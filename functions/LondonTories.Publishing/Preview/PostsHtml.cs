using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Preview;

/// <summary>
/// The social posts view: every post for every seat as it will go out, with its imprint, its time
/// in the site's zone, its length against each platform's limit, and the exact payload each channel
/// of channels.yaml will receive.
/// </summary>
public static class PostsHtml
{
    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <param name="approvals">The approvals given, to show where each post that needs one stands (none: nothing approved yet).</param>
    /// <param name="approve">The approve button of a post awaiting approval (the Functions app's approvals), or null for none.</param>
    public static string Body(PostPlan plan, SiteContent content, DateTimeOffset now, string? seat, ApprovalBook? approvals = null, ApproveButton? approve = null)
    {
        var zone = content.Site.TimeZone;
        var html = new StringBuilder();
        html.Append("<h1>Social posts</h1>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<p>Each post as every seat will get it, at {Encode(Format(now, zone))}. Lengths count the text with its imprint, as each platform counts them.</p>\n");
        var posts = plan.Posts.Where(p => seat is null || p.Seat.Slug == seat).ToList();
        if (posts.Count == 0)
        {
            html.Append("<p>No posts.</p>\n");
            return html.ToString();
        }

        foreach (var group in posts.GroupBy(p => p.Id).OrderBy(g => g.First().Schedule).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var post = group.First().Post;
            var state = DeliveryStatuses.Name(DeliveryStatuses.Of(post.Schedule, now, PostDelivery.DefaultGracePeriod, recorded: null));
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"lt-post\" id=\"post-{Encode(post.Id)}\">\n<h2>{Encode(post.Id)}</h2>\n");
            html.Append(CultureInfo.InvariantCulture,
                $"<p><strong>{Encode(Format(post.Schedule, zone))}</strong> ({state}) · {Encode(string.Join(", ", post.Platforms))}{(post.IsSponsored ? $" · sponsored, £{post.Sponsored!.BudgetGbp.ToString("0.##", CultureInfo.InvariantCulture)} a seat" : " · organic")}</p>\n");
            if (post.Media is { } media)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"lt-post-media\">Picture: {Encode(Path.GetFileName(media))}, {(post.MediaAlt is { } alt
                    ? $"described as “{Encode(alt)}”"
                    : "with no words for it (media_alt): a screen reader announces an unnamed image")}</p>\n");
            }

            if (PostApprovals.NeedsApproval(content.Site, post))
            {
                html.Append(Approval(plan, content, [.. group], approvals ?? ApprovalBook.Empty, approve));
            }

            html.Append("<table>\n<thead><tr><th scope=\"col\">Seat</th><th scope=\"col\">Language</th><th scope=\"col\">Post as it goes out</th><th scope=\"col\">Length</th></tr></thead>\n<tbody>\n");
            foreach (var seatPost in group.OrderBy(p => p.Seat.Name, StringComparer.Ordinal))
            {
                foreach (var version in seatPost.Versions)
                {
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><th scope=\"row\">{Encode(seatPost.Seat.Name)}</th><td lang=\"{Encode(version.Language)}\">{Encode(Languages.NativeName(version.Language))}</td>");
                    html.Append(CultureInfo.InvariantCulture,
                        $"<td><div class=\"lt-post-text\" lang=\"{Encode(version.Language)}\" dir=\"{Languages.Direction(version.Language)}\">{Encode(version.Message).Replace("\n", "<br>", StringComparison.Ordinal)}</div></td><td><ul>");
                    foreach (var (platform, length) in version.Lengths)
                    {
                        var limit = SocialPlatforms.Get(platform).Limit;
                        var over = length > limit ? " class=\"lt-over\"" : string.Empty;
                        html.Append(CultureInfo.InvariantCulture, $"<li{over}>{Encode(platform)}: {length:N0} / {limit:N0}</li>");
                    }

                    html.Append("</ul></td></tr>\n");
                }

                var deliveries = plan.Deliveries.Where(d => d.Post == seatPost).ToList();
                if (deliveries.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"4\"><details class=\"lt-payloads\"><summary>What {deliveries.Count} channel{(deliveries.Count == 1 ? string.Empty : "s")} will receive for {Encode(seatPost.Seat.Name)}</summary>\n");
                    foreach (var delivery in deliveries)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(delivery.ChannelId)} ({Encode(delivery.Channel.Platform)}, {Encode(delivery.Language)})</h3><pre>{Encode(Payload(delivery))}</pre>\n");
                    }

                    html.Append("</details></td></tr>\n");
                }
            }

            html.Append("</tbody>\n</table>\n</section>\n");
        }

        return html.ToString();
    }

    /// <summary>Where the post's approval stands for the seats shown, and a button that approves exactly what is shown.</summary>
    private static string Approval(PostPlan plan, SiteContent content, IReadOnlyList<SeatPost> shown, ApprovalBook approvals, ApproveButton? approve)
    {
        var states = shown.Select(p => (Seat: p.Seat.Slug, State: approvals.StateOf(content.Site, plan, p))).ToList();
        var html = new StringBuilder("<div class=\"lt-approval\">\n");
        foreach (var group in states.GroupBy(s => s.State.Describe()))
        {
            var seats = group.Count() == states.Count ? "every seat shown" : string.Join(", ", group.Select(s => s.Seat));
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>Approval</strong> ({Encode(seats)}): {Encode(group.Key)}</p>\n");
        }

        if (approve is not null && states.Any(s => s.State.Status == ApprovalStatus.Awaiting))
        {
            var post = shown[0];
            var every = plan.Posts.Where(p => p.Id == post.Id).ToList();
            // A view of one seat approves that seat's version alone: the others were never shown.
            var seat = shown.Count == 1 && every.Count > 1 ? post.Seat.Slug : null;
            html.Append(approve.Form("post", ApprovalBook.PostItem(post.Id), post.Id, seat, PostApprovals.DigestOf(shown.Count == 1 ? shown : every), "Approve this post as shown"));
        }

        return html.Append("</div>\n").ToString();
    }

    /// <summary>The delivery exactly as a platform client receives it; the channel's secret is never part of it.</summary>
    public static string Payload(PlannedDelivery planned)
    {
        var delivery = planned.Delivery;
        using var document = JsonDocument.Parse(delivery.Document);
        return JsonSerializer.Serialize(new
        {
            delivery.Key,
            Channel = delivery.ChannelId,
            delivery.Platform,
            ApiUrl = delivery.ApiUrl.ToString(),
            delivery.Account,
            delivery.Message,
            delivery.Link,
            delivery.Language,
            MediaUrl = delivery.MediaUrl?.ToString(),
            delivery.MediaAlt,
            delivery.Ad,
            SecretName = planned.Channel.Secret,
            Document = document.RootElement,
        }, PayloadJson);
    }

    private static string Format(DateTimeOffset instant, TimeZoneInfo zone) =>
        SiteClock.ToLocal(instant, zone).ToString("dddd d MMMM yyyy, HH:mm (zzz)", CultureInfo.GetCultureInfo("en-GB"));

    private static string Encode(string text) => PreviewHtml.Encode(text);
}
