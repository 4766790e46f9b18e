using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>The shapes of HTTP answers shared by the functions: RFC 9457 problems and published files.</summary>
internal static partial class HttpAnswers
{
    /// <summary>
    /// Published pages are the editors' HTML (layouts may hold scripts) served here on the app's own host,
    /// where the approvals route trusts requests from its own pages: sandboxed, nothing in them runs or
    /// posts as this host. Associations fetch them with scripts of their own, which a policy does not touch.
    /// </summary>
    public const string PublishedFilePolicy = "sandbox; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

    public static ObjectResult Problem(HttpRequest request, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = request.Path.Value,
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    /// <summary>
    /// 503 for a signing key that cannot be read, asking to try later. Where and how the key is kept is for
    /// the app's operators, in its log, not for whoever holds a link or a button.
    /// </summary>
    /// <param name="asked">What was asked for, as the log may show it: never a link's token, which would let whoever reads the log open the link.</param>
    public static ObjectResult KeyUnavailable(HttpRequest request, ILogger logger, string asked, string problem, string detail)
    {
        LogKeyUnavailable(logger, asked, problem);
        request.HttpContext.Response.Headers.RetryAfter = "300";
        return Problem(request, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", detail);
    }

    [LoggerMessage(EventId = 5101, EventName = "PreviewKeyUnavailable", Level = LogLevel.Error, Message = "The preview key could not be read for {Path}: {Problem}")]
    private static partial void LogKeyUnavailable(ILogger logger, string path, string problem);

    public static ObjectResult NotFound(HttpRequest request, string detail) => Problem(request, StatusCodes.Status404NotFound, "Not Found", detail);

    /// <summary>
    /// A 400 problem naming the first of <paramref name="names"/> the query gives more than once, or null:
    /// taking the first of two values would act on one the caller may not have meant (roll back to the
    /// other run, publish without the force asked for) and answer as though all were well.
    /// </summary>
    public static ObjectResult? Repeated(HttpRequest request, params string[] names) =>
        names.FirstOrDefault(name => request.Query[name].Count > 1) is { } repeated
            ? Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"{repeated}: it is given more than once; give it once, with the value you mean.")
            : null;

    /// <summary>A run's summary, with the status its outcome calls for (and Retry-After when another run is in the way).</summary>
    public static IActionResult Run(HttpRequest request, PublishRun run)
    {
        if (run.Outcome is PublishRun.Busy or PublishRun.LeaseLost)
        {
            request.HttpContext.Response.Headers.RetryAfter = "60";
        }

        return new JsonResult(run)
        {
            StatusCode = run.Outcome switch
            {
                PublishRun.Published => StatusCodes.Status200OK,
                PublishRun.ContentErrors => StatusCodes.Status422UnprocessableEntity,
                PublishRun.NotFound => StatusCodes.Status404NotFound,
                PublishRun.Refused => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            },
        };
    }

    /// <summary>
    /// A published file with its ETag and Last-Modified, or 304 when the caller's copy is current: by
    /// If-None-Match, or where none is sent, by If-Modified-Since (RFC 9110 13.1.3), which simpler
    /// fetchers send alone.
    /// </summary>
    public static IActionResult File(HttpRequest request, PublishedFile file, string cacheControl)
    {
        var headers = request.HttpContext.Response.GetTypedHeaders();
        request.HttpContext.Response.Headers.ETag = file.ETag;
        request.HttpContext.Response.Headers.CacheControl = cacheControl;
        request.HttpContext.Response.Headers.ContentSecurityPolicy = PublishedFilePolicy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        if (file.LastModified is { } modified)
        {
            headers.LastModified = modified;
        }

        var unchangedSince = file.LastModified is { } lastModified && request.Headers.IfNoneMatch.Count == 0
            && request.GetTypedHeaders().IfModifiedSince is { } since
            && lastModified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
        return file.NotModified || unchangedSince ? new StatusCodeResult(StatusCodes.Status304NotModified) : new FileContentResult(file.Bytes, file.ContentType);
    }
}
