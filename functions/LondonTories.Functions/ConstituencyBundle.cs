using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/constituencies/{seat}/bundle.zip: every published file of the seat, with the site's paths,
/// ready to upload elsewhere; with an ETag and 304 on If-None-Match.
/// </summary>
public sealed class ConstituencyBundle(PublishedSite site)
{
    [Function(nameof(ConstituencyBundle))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "constituencies/{seat}/bundle.zip")] HttpRequest request, string seat, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        var bundle = await site.BundleAsync(seat, request.Headers.IfNoneMatch.ToString(), cancellationToken).ConfigureAwait(false);
        if (bundle is null)
        {
            return HttpAnswers.NotFound(request, $"No constituency '{seat}' is published. GET /api/constituencies lists those that are.");
        }

        var answer = HttpAnswers.File(request, bundle, "public, max-age=60");
        if (answer is FileContentResult file)
        {
            file.FileDownloadName = $"{seat}.zip";
        }

        return answer;
    }
}
