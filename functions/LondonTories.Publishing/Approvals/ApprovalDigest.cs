using System.Globalization;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Approvals;

/// <summary>
/// The digest an approval is bound to: everything that goes out, so that any edit that changes what
/// readers see, what is spent or when, voids the approval.
/// </summary>
/// <summary>One seat's article of a page in one language, by the SHA-256 of its rendered HTML.</summary>
public sealed record PageArticle(string Slug, string Seat, string Language, string Sha256);

public static class ApprovalDigest
{
    /// <summary>
    /// A post as the given seats send it: each seat's message in each language (text, link and
    /// imprint), the platforms, the media, the schedule and the sponsorship's budget and window.
    /// </summary>
    public static string ForPost(IEnumerable<SeatPost> seatPosts)
    {
        var text = new StringBuilder();
        foreach (var post in seatPosts.OrderBy(p => p.Seat.Slug, StringComparer.Ordinal))
        {
            var file = post.Post;
            text.Append("post\0").Append(file.Id).Append('\0').Append(post.Seat.Slug).Append('\n');
            text.Append("schedule\0").Append(Utc(file.Schedule)).Append('\n');
            text.Append("platforms\0").Append(string.Join(',', file.Platforms)).Append('\n');
            // The picture's own digest after its name; a post without one reads as it always has.
            text.Append("media\0").Append(file.Media).Append(post.MediaSha256 is { } picture ? $"\0{picture}" : string.Empty).Append('\n');
            if (file.Sponsored is { } sponsored)
            {
                text.Append("budget\0").Append(sponsored.BudgetGbp.ToString("0.00", CultureInfo.InvariantCulture))
                    .Append('\0').Append(Utc(sponsored.Start)).Append('\0').Append(Utc(sponsored.End)).Append('\n');
            }

            foreach (var version in post.Versions)
            {
                text.Append("message\0").Append(version.Language).Append('\0').Append(version.Message).Append('\n');
            }
        }

        return Hashing.Sha256Hex(text.ToString());
    }

    /// <summary>
    /// A page as the given seats publish it: each seat's article (title, summary, body and imprint, as
    /// the page's fragment holds it) in each language, by the SHA-256 of its rendered HTML. The seat's
    /// list of other pages around the article is not part of it, so a page added elsewhere voids nothing.
    /// </summary>
    public static string ForPage(IEnumerable<PageArticle> articles)
    {
        var text = new StringBuilder();
        foreach (var article in articles.OrderBy(a => a.Seat, StringComparer.Ordinal).ThenBy(a => a.Language, StringComparer.Ordinal))
        {
            text.Append("page\0").Append(article.Slug).Append('\0').Append(article.Seat).Append('\0').Append(article.Language)
                .Append('\0').Append(article.Sha256).Append('\n');
        }

        return Hashing.Sha256Hex(text.ToString());
    }

    private static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
