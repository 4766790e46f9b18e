using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>GET /api/constituencies: every published seat with its page counts.</summary>
public sealed class Constituencies(PublishedSite site)
{
    [Function(nameof(Constituencies))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "constituencies")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        var seats = await site.ReadConstituenciesAsync(cancellationToken).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=60";
        return new JsonResult(new { constituencies = seats });
    }
}
