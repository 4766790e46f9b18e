using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>
/// GET /api/constituencies/{seat}/changes?since=&lt;cursor&gt;: the seat's pages added, updated and removed
/// since the cursor of an earlier answer (everything published, without one), and the next cursor,
/// so a sync job fetches only what changed.
/// </summary>
public sealed class Changes(SiteStorage storage)
{
    [Function(nameof(Changes))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "constituencies/{seat}/changes")] HttpRequest request, string seat, CancellationToken cancellationToken)
    {
        if (Cors.AllowRead(request) is { } preflight)
        {
            return preflight;
        }

        if (HttpAnswers.Repeated(request, "since") is { } repeated)
        {
            return repeated;
        }

        ChangesCursor? since = null;
        if (request.Query["since"].FirstOrDefault() is { Length: > 0 } text)
        {
            if (!ChangesCursor.TryParse(text, out var parsed))
            {
                // A '+' typed into a URL arrives as a space, so a time with an offset written as ISO 8601
                // shows it reads as one: 'not a cursor' alone leaves the sender staring at a correct time.
                if (text.LastIndexOf(' ') is var space and > 0
                    && ChangesCursor.TryParse(string.Concat(text.AsSpan(0, space), "+", text.AsSpan(space + 1)), out _))
                {
                    return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                        $"since '{text}' has a space where its offset's '+' was, as a query string reads a '+': write it as %2B ({string.Concat(text.AsSpan(0, space), "%2B", text.AsSpan(space + 1))}), or give the time in UTC with Z.");
                }

                return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                    $"since '{text}' is not a cursor; pass the cursor of the previous answer, or a time such as 2026-11-30T12:00:00Z.");
            }

            since = parsed;
        }

        // The last finished write first, then the records: a run that finishes in between only adds
        // writes numbered after it, which this answer leaves for the next.
        var until = await storage.Ledger.ReadSequenceAsync(cancellationToken).ConfigureAwait(false);
        var records = Slug.IsValid(seat) ? await storage.Ledger.ReadSeatAsync(seat, cancellationToken).ConfigureAwait(false) : [];
        if (records.Count == 0)
        {
            return HttpAnswers.NotFound(request, $"No constituency '{seat}' has published anything. GET /api/constituencies lists those that have.");
        }

        if (since?.Sequence > until)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                $"since '{since}' is later than anything this site has recorded (its last cursor is {ChangesCursor.After(until)}); ask again without since to start afresh.");
        }

        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new JsonResult(new
        {
            seat,
            since = since?.ToString(),
            cursor = ChangesCursor.After(until).ToString(),
            changes = PageChanges.Between(records, since, until).Select(change => new
            {
                type = change.Type,
                slug = change.Slug,
                language = change.Language,
                url = change.Url,
                fragment = change.Fragment,
                at = PageChanges.Format(change.At),
            }),
        });
    }
}
