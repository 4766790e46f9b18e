using System.Globalization;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/previews/{token}/{path}: a page of a preview link, read-only. The signed token is the only
/// credential: a forged or altered one is refused, an expired one is gone.
/// </summary>
public sealed class PreviewLink(SiteStorage storage, HostedPreview preview, PreviewKeys keys, TimeProvider clock, ILogger<PreviewLink> logger)
{
    [Function(nameof(PreviewLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "previews/{token}/{*path}")] HttpRequest request, string token, string? path, CancellationToken cancellationToken)
    {
        var headers = request.HttpContext.Response.Headers;
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.CacheControl = "private, no-store";
        // A preview shows content as it is, static files included, on this app's own host, where the
        // approvals route trusts its own pages: nothing in it may run a script or be framed, and its
        // only forms are the approve buttons, which post here.
        headers.ContentSecurityPolicy = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        // The address holds the link's token: no other site learns it from a click or a picture. Not
        // no-referrer, under which a browser sends the approve buttons' Origin as null, and the
        // approvals route refuses a post it cannot tell is from its own pages.
        headers["Referrer-Policy"] = "same-origin";
        // Anyone may knock: a guess that could never be a link costs no read of the key's store.
        if (!PreviewLinks.CouldBeLink(token))
        {
            return Forged(request);
        }

        var (links, problem) = await keys.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (links is null)
        {
            return HttpAnswers.KeyUnavailable(request, logger, $"/api/previews/<token>/{path}", problem!, "Preview links are not available just now. Try again later, or ask whoever sent the link.");
        }

        switch (links.Check(token, clock.GetUtcNow(), out var grant))
        {
            case PreviewLinkStatus.Forged:
                return Forged(request);
            case PreviewLinkStatus.Expired:
                return HttpAnswers.Problem(request, StatusCodes.Status410Gone, "Gone", string.Create(CultureInfo.InvariantCulture, $"This preview link expired at {grant!.Expires:yyyy-MM-dd HH:mm} UTC. Ask for a new one."));
        }

        var answer = await preview.RenderAsync(storage, grant!, path ?? string.Empty, $"/api/previews/{token}/",
            new ApproveButton("/api/approvals", links, grant!.Expires), cancellationToken).ConfigureAwait(false);
        if (answer.Location is { } location)
        {
            headers.Location = location;
            return new StatusCodeResult(answer.Status);
        }

        return answer.ContentType.StartsWith("text/html", StringComparison.Ordinal)
            ? new ContentResult { Content = System.Text.Encoding.UTF8.GetString(answer.Bytes), ContentType = answer.ContentType, StatusCode = answer.Status }
            : new FileContentResult(answer.Bytes, answer.ContentType);
    }

    private static ObjectResult Forged(HttpRequest request) =>
        HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden", "This preview link is not valid. Ask for a new one.");
}
