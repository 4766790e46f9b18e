using System.Text.Json;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>
/// POST /api/approvals: the signed-in user (Entra ID, through App Service authentication) approves a
/// post or a page as it stands in the content container. JSON <c>{"post": "ID", "seat": "SLUG", "digest": "…"}</c>
/// (or <c>"page": "SLUG"</c> in place of <c>post</c>), or the same fields as a form with the token of a hosted preview's approve button.
/// </summary>
/// <remarks>
/// The app's own pages include previews, which show a layout's and a page's markup as written: a form
/// there would come from this app's origin with the approver's sign-in. So a form approves only with
/// the button's token, and anything else must be JSON, which an HTML form cannot send.
/// </remarks>
public sealed class Approvals(SiteStorage storage, Publisher publisher, ApprovalDesk desk, PreviewKeys keys, TimeProvider clock, ILogger<Approvals> logger, IConfiguration? configuration = null)
{
    private const string NotTheButton = "This approval form was not made by this app's preview: approve with the approve button of a preview link, or send JSON.";

    private static readonly SignInWording Wording = new("approve with 'londontories approve' instead.", "Approvals are given from this app's own pages, not from another site.", "approve");

    [Function(nameof(Approvals))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "approvals")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ClientPrincipal.TrySignIn(request, configuration, Wording, out var user, out var refusal))
        {
            return refusal;
        }

        if (!request.HasFormContentType && !RequestBodies.IsJson(request.ContentType))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "Send the approval as JSON (Content-Type: application/json), e.g. {\"post\": \"cost-of-living\"}, or with a preview link's approve button.");
        }

        // An approval names an item, a seat, a digest and a token: a few hundred bytes.
        if (await RequestBodies.BoundAsync(request, 64 * 1024, cancellationToken).ConfigureAwait(false) is { } tooLarge)
        {
            return tooLarge;
        }

        var (post, page, seat, digest, token, notText, notJson) = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (notJson is not null)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", notJson);
        }

        if (notText is not null)
        {
            // Taken as left out, a seat or a digest of another type would widen the approval to every seat, or to the words as they stand now.
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"{notText}: give it as a string, e.g. {{\"post\": \"cost-of-living\", \"seat\": \"battersea\"}}.");
        }

        // Blank is neither left out, which would widen the approval to every seat or to the words as they
        // stand now, nor a seat or digest that could ever match.
        if (seat is { } s && string.IsNullOrWhiteSpace(s))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                "seat: it is blank; name one, e.g. {\"post\": \"cost-of-living\", \"seat\": \"battersea\"}, or leave it out to approve for every seat you cover.");
        }

        if (digest is { } d && string.IsNullOrWhiteSpace(d))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                "digest: it is blank; give the digest the preview showed you, or leave it out to approve the words as they stand now.");
        }

        // Taking the post alone would answer 201 for an approval of the page that was never given.
        if (post is { Length: > 0 } && page is { Length: > 0 })
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                "post and page: approve one at a time, e.g. {\"post\": \"cost-of-living\"}, then {\"page\": \"housing\"}.");
        }

        var item = post is { Length: > 0 } ? (post.StartsWith("post:", StringComparison.Ordinal) ? post : ApprovalBook.PostItem(post))
            : page is { Length: > 0 } ? ApprovalBook.PageItem(page)
            : null;
        if (item is null)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "Say what to approve, e.g. {\"post\": \"cost-of-living\"} or {\"page\": \"housing\"}.");
        }

        if (request.HasFormContentType)
        {
            var (links, problem) = await keys.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (links is null)
            {
                return HttpAnswers.KeyUnavailable(request, logger, request.Path.Value ?? string.Empty, problem!, "Approve buttons are not available just now. Try again later, or approve with JSON or 'londontories approve'.");
            }

            if (!links.CheckApproval(token, item, seat, digest, clock.GetUtcNow()))
            {
                return HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden", NotTheButton);
            }
        }

        var content = await publisher.LoadAsync(storage.Content, cancellationToken).ConfigureAwait(false);
        var decision = await desk.ApproveAsync(content, user, new ApprovalRequest(item, seat, digest), "http", storage.Approvals, cancellationToken).ConfigureAwait(false);
        var status = decision.Outcome switch
        {
            ApprovalOutcome.Approved => StatusCodes.Status201Created,
            ApprovalOutcome.Refused => StatusCodes.Status403Forbidden,
            ApprovalOutcome.NotFound => StatusCodes.Status404NotFound,
            ApprovalOutcome.NotRequired => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        };
        if (decision.Record is not { } record)
        {
            return HttpAnswers.Problem(request, status, decision.Outcome.ToString(), decision.Message);
        }

        return new JsonResult(new
        {
            message = decision.Message,
            item = record.Item,
            seats = record.SeatSlugs(),
            digest = record.Digest,
            approver = record.ApproverName,
            approverId = record.ApproverId,
            approved = record.Approved,
        })
        { StatusCode = status };
    }

    /// <returns>
    /// The fields, the name of the first one given as something other than a string (null when none is),
    /// and where a body said to be JSON stops being JSON (null when it is JSON).
    /// </returns>
    private static async Task<(string? Post, string? Page, string? Seat, string? Digest, string? Token, string? NotText, string? NotJson)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            // A form the reader cannot parse (a multipart one without its boundary, one cut short) is the
            // sender's mistake: it names nothing to approve.
            try
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                return (form["post"].FirstOrDefault(), form["page"].FirstOrDefault(), form["seat"].FirstOrDefault(), form["digest"].FirstOrDefault(),
                    form[ApproveButton.TokenField].FirstOrDefault(), null, null);
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                return (null, null, null, null, null, null, null);
            }
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            string? Field(string name) => document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            string[] names = ["post", "page", "seat", "digest"];
            var notText = document.RootElement.ValueKind == JsonValueKind.Object
                ? names.FirstOrDefault(name => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                : null;
            return (Field("post"), Field("page"), Field("seat"), Field("digest"), null, notText, null);
        }
        catch (JsonException exception) when (request.Body is { CanSeek: true, Length: > 0 })
        {
            // A body written by hand (single quotes, a trailing comma) names what to approve: asked to say
            // what, its sender would look for the mistake in the wrong place.
            var where = exception.LineNumber is { } line && exception.BytePositionInLine is { } position ? $" at line {line + 1}, byte {position + 1}" : string.Empty;
            return (null, null, null, null, null, null,
                $"The body is not JSON{where}: write names and text in double quotes, with no comma after the last field, e.g. {{\"post\": \"cost-of-living\"}}.");
        }
        catch (JsonException)
        {
            return (null, null, null, null, null, null, null);
        }
    }
}
