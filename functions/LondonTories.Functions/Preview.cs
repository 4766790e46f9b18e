using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// POST /api/preview?seat=battersea&amp;lang=en[&amp;path=pages/policy/housing.md]: renders the posted
/// Markdown page for one seat exactly as a publish would, against the content in the container;
/// writes nothing.
/// </summary>
public sealed class Preview(SiteStorage storage, PagePreview preview)
{
    [Function(nameof(Preview))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "preview")] HttpRequest request, CancellationToken cancellationToken)
    {
        // The draft's HTML as written, on the app's own host: should a browser open it, it runs and posts nothing as this host, as a published page does.
        request.HttpContext.Response.Headers.ContentSecurityPolicy = HttpAnswers.PublishedFilePolicy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        if (HttpAnswers.Repeated(request, "seat", "lang", "path") is { } repeated)
        {
            return repeated;
        }

        if (request.Query["seat"].FirstOrDefault() is not { Length: > 0 } seat)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "Say which constituency to preview for, e.g. ?seat=battersea.");
        }

        // Read no more bytes than a page file may hold, whether or not the request said how long it is:
        // counted in characters, a page in Bengali or Urdu could be three times over.
        if (await RequestBodies.BoundAsync(request, ContentFile.MaxBytes, cancellationToken).ConfigureAwait(false) is { } tooLarge)
        {
            return tooLarge;
        }

        using var reader = new StreamReader(request.Body);
        var markdown = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);

        // A blank field, as a form or a URL template sends one, means what leaving it out means.
        string? Optional(string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        var result = await preview.RenderAsync(storage.Content,
            new PreviewRequest(markdown, seat, Optional("lang"), Optional("path")), cancellationToken).ConfigureAwait(false);
        var diagnostics = new Dictionary<string, object?> { ["diagnostics"] = result.Diagnostics.Select(d => d.ToString()).ToArray() };
        return result.Status switch
        {
            PreviewStatus.Rendered => new ContentResult { Content = result.Html, ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK },
            PreviewStatus.UnknownSeat => HttpAnswers.NotFound(request, result.Problem!),
            PreviewStatus.Invalid => HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", result.Problem!),
            _ => HttpAnswers.Problem(request, StatusCodes.Status422UnprocessableEntity, "Unprocessable Content", result.Problem!, diagnostics),
        };
    }
}
