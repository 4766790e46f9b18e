using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/previews/{token}/{path}: a page of a preview link, read-only. The signed token is the only
/// credential: a forged or altered one is refused, an expired one is gone.
/// </summary>
public sealed class PreviewLink(SiteStorage storage, HostedPreview preview, PreviewKeys keys, TimeProvider clock)
{
    [Function(nameof(PreviewLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "previews/{token}/{*path}")] HttpRequest request, string token, string? path, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        request.HttpContext.Response.Headers.CacheControl = "private, no-store";
        var (links, problem) = await keys.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (links is null)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", problem!);
        }

        switch (links.Check(token, clock.GetUtcNow(), out var grant))
        {
            case PreviewLinkStatus.Forged:
                return HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden", "This preview link is not valid. Ask for a new one.");
            case PreviewLinkStatus.Expired:
                return HttpAnswers.Problem(request, StatusCodes.Status410Gone, "Gone", $"This preview link expired at {grant!.Expires:yyyy-MM-dd HH:mm} UTC. Ask for a new one.");
        }

        var answer = await preview.RenderAsync(storage, grant!, path ?? string.Empty, $"/api/previews/{token}/", "/api/approvals", cancellationToken).ConfigureAwait(false);
        return answer.ContentType.StartsWith("text/html", StringComparison.Ordinal)
            ? new ContentResult { Content = System.Text.Encoding.UTF8.GetString(answer.Bytes), ContentType = answer.ContentType, StatusCode = answer.Status }
            : new FileContentResult(answer.Bytes, answer.ContentType);
    }
}
