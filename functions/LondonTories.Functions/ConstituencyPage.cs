using System.Text;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/constituencies/{seat}/pages/{page}?lang=bn&amp;format=html|fragment: one published page,
/// whole or as a fragment (the article and the imprint) to embed in an association's own site.
/// </summary>
public sealed class ConstituencyPage(PublishedSite site)
{
    [Function(nameof(ConstituencyPage))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "constituencies/{seat}/pages/{page}")] HttpRequest request,
        string seat, string page, CancellationToken cancellationToken)
    {
        var format = request.Query["format"].FirstOrDefault() ?? "html";
        if (format is not ("html" or "fragment"))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"format '{format}' is not known; use format=html or format=fragment.");
        }

        var language = request.Query["lang"].FirstOrDefault();
        var file = await site.ReadPageAsync(seat, page, language, format == "html" ? request.Headers.IfNoneMatch.ToString() : null, cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            return HttpAnswers.NotFound(request, $"'{seat}' publishes no page '{page}'{(language is null ? string.Empty : $" in '{language}'")}. GET /api/constituencies/{seat}/pages lists what it publishes.");
        }

        if (format == "html")
        {
            return HttpAnswers.File(request, file, "public, max-age=300");
        }

        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new ContentResult
        {
            Content = PublishedSite.ExtractFragment(Encoding.UTF8.GetString(file.Bytes)),
            ContentType = "text/html; charset=utf-8",
            StatusCode = StatusCodes.Status200OK,
        };
    }
}
