using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LondonTories.Functions;

/// <summary>
/// Request bodies read with a bound of the route's own: the host takes bodies of up to 100 MB, and a
/// route that parses one whole would hold it all in memory, for anybody who can reach the route.
/// </summary>
internal static class RequestBodies
{
    /// <summary>
    /// Whether a body is said to be JSON, which an HTML form cannot send: a route that acts for a signed-in
    /// user takes no other, since a form in a preview on the app's own host would come with their sign-in.
    /// No type at all is a client's call, not a form's: a browser always names what its form sends.
    /// </summary>
    public static bool IsJson(string? contentType) =>
        contentType is null || (MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Value is { } name
            && (name.Equals("application/json", StringComparison.OrdinalIgnoreCase) || name.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Reads the body, at most <paramref name="limit"/> bytes, and puts it back for the route to parse as
    /// before; a 413 problem when it is longer, whether or not it said how long it is.
    /// </summary>
    public static async Task<IActionResult?> BoundAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }

        var tooLarge = HttpAnswers.Problem(request, StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"A request here may be at most {limit / 1024} KiB.");
        if (request.ContentLength > limit)
        {
            return tooLarge;
        }

        var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + read > limit)
            {
                return tooLarge;
            }

            memory.Write(buffer, 0, read);
        }

        memory.Position = 0;
        request.Body = memory;
        return null;
    }
}
