using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LondonTories.Functions;

/// <summary>
/// CORS for the anonymous read routes: any origin may GET, without credentials, so an association's
/// own scripts can read pages, feeds and changes. Nothing else is opened to other origins.
/// </summary>
internal static class Cors
{
    /// <summary>Marks the answer readable from any origin; returns a preflight answer when the request is one.</summary>
    public static IActionResult? AllowRead(HttpRequest request)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = "ETag, Cache-Control, Content-Type";
        headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        // Neither conditional header is CORS-safelisted, so a conditional GET is preflighted, and the
        // answers honour If-Modified-Since as well as If-None-Match.
        headers.AccessControlAllowMethods = "GET, HEAD";
        headers.AccessControlAllowHeaders = "If-None-Match, If-Modified-Since";
        headers.AccessControlMaxAge = "86400";
        return new StatusCodeResult(StatusCodes.Status204NoContent);
    }
}
