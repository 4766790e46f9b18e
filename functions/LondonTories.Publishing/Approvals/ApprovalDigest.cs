using System.Text;
using LondonTories.Publishing.Content;

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
}
