using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/constituencies/{seat}/pages/{page}?lang=bn&amp;format=html|fragment: one published page,
/// whole or as its published fragment.html (the article with its language, direction and imprint)
/// to embed in an association's own site.
/// </summary>
public sealed class ConstituencyPage(PublishedSite site)
{
    [Function(nameof(ConstituencyPage))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "constituencies/{seat}/pages/{page}")] HttpRequest request,
        string seat, string page, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        if (HttpAnswers.Repeated(request, "format", "lang") is { } repeated)
        {
            return repeated;
        }

        // A blank field, as a form or a URL template sends one, means what leaving it out means (as since does for changes).
        var format = request.Query["format"].FirstOrDefault() is { Length: > 0 } asked ? asked : "html";
        if (format is not ("html" or "fragment"))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"format '{format}' is not known; use format=html or format=fragment.");
        }

        var language = request.Query["lang"].FirstOrDefault() is { Length: > 0 } lang ? lang : null;
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        var read = format == "html"
            ? await site.ReadPageAsync(seat, page, language, ifNoneMatch, cancellationToken).ConfigureAwait(false)
            : await site.ReadFragmentAsync(seat, page, language, ifNoneMatch, cancellationToken).ConfigureAwait(false);
        if (read.File is { } file)
        {
            return HttpAnswers.File(request, file, "public, max-age=300");
        }

        // A page renamed since keeps its old slug (aliases), as the static site keeps its old address: asked
        // for by it, the same route with the slug it has now, and the same query, is where it is.
        if (read.RenamedTo is { } renamed)
        {
            var path = request.PathBase + request.Path;
            var at = path.Value!.TrimEnd('/').LastIndexOf('/');
            request.HttpContext.Response.Headers.Location = $"{path.Value[..(at + 1)]}{Uri.EscapeDataString(renamed)}{request.QueryString}";
            request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
            return new StatusCodeResult(StatusCodes.Status301MovedPermanently);
        }

        return HttpAnswers.NotFound(request, $"'{seat}' publishes no page '{page}'{(language is null ? string.Empty : $" in '{language}'")}. GET /api/constituencies/{seat}/pages lists what it publishes.");
    }
}
