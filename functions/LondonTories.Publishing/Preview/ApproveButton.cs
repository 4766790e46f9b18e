using System.Text;

namespace LondonTories.Publishing.Preview;

/// <summary>
/// A preview's approve button: a form posting to <paramref name="Action"/> the fields that approve
/// exactly what the preview shows, with a token that only this app can sign. The preview shows a
/// layout's and a page's own markup on the app's host, where the approvals route trusts the request's
/// origin, so a form in that markup is refused for the want of it.
/// </summary>
public sealed record ApproveButton(string Action, PreviewLinks Signer, DateTimeOffset Expires)
{
    public const string TokenField = "token";

    /// <param name="kind"><c>post</c> or <c>page</c>: the field that names the item.</param>
    /// <param name="item">The item as the approvals route names it (e.g. <c>post:winter-fuel</c>), which the token vouches for.</param>
    /// <param name="id">The post's id or the page's slug.</param>
    public string Form(string kind, string item, string id, string? seat, string digest, string label)
    {
        var html = new StringBuilder($"<form method=\"post\" action=\"{PreviewHtml.Encode(Action)}\">\n");
        Hidden(html, kind, id);
        if (seat is not null)
        {
            Hidden(html, "seat", seat);
        }

        Hidden(html, "digest", digest);
        Hidden(html, TokenField, Signer.SignApproval(item, seat, digest, Expires));
        return html.Append($"<button type=\"submit\">{PreviewHtml.Encode(label)}</button>\n</form>\n").ToString();
    }

    private static void Hidden(StringBuilder html, string name, string value) =>
        html.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{PreviewHtml.Encode(value)}\">\n");
}
