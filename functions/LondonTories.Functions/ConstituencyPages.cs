using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>GET /api/constituencies/{seat}/pages: the seat's pages.json, with an ETag and 304 on If-None-Match.</summary>
public sealed class ConstituencyPages(PublishedSite site)
{
    [Function(nameof(ConstituencyPages))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "constituencies/{seat}/pages")] HttpRequest request, string seat, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        var file = await site.ReadPagesJsonAsync(seat, request.Headers.IfNoneMatch.ToString(), cancellationToken).ConfigureAwait(false);
        return file is null
            ? HttpAnswers.NotFound(request, $"No constituency '{seat}' is published. GET /api/constituencies lists those that are.")
            : HttpAnswers.File(request, file, "public, max-age=60");
    }
}
