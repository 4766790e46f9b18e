using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>GET /api/constituencies/{seat}/bundle.zip: every published file of the seat, with the site's paths, ready to upload elsewhere.</summary>
public sealed class ConstituencyBundle(PublishedSite site)
{
    [Function(nameof(ConstituencyBundle))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "constituencies/{seat}/bundle.zip")] HttpRequest request, string seat, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        var bundle = await site.BundleAsync(seat, cancellationToken).ConfigureAwait(false);
        return bundle is null
            ? HttpAnswers.NotFound(request, $"No constituency '{seat}' is published. GET /api/constituencies lists those that are.")
            : new FileContentResult(bundle, "application/zip") { FileDownloadName = $"{seat}.zip" };
    }
}
