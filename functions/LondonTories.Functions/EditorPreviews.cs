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
/// POST /api/editor/previews: the same preview link as <see cref="Previews"/>, for an editor signed in
/// with Entra ID (App Service authentication) rather than holding a function key. The Functions host
/// checks keys before the app sees a request and a sign-in never stands in for one, so a signed-in
/// editor has a route of their own, open at the host and guarded here: only a verified identity
/// listed in site.yaml (<c>editors:</c> or <c>approvers:</c>) gets a link.
/// </summary>
public sealed class EditorPreviews(SiteStorage storage, Publisher publisher, PreviewKeys keys, TimeProvider clock, ILogger<EditorPreviews> logger, IConfiguration? configuration = null)
{
    private static readonly SignInWording Wording = new("ask for links at POST /api/previews with a function key.", "Preview links are asked for from this app's own pages, not from another site.", "ask for a preview link");

    [Function(nameof(EditorPreviews))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "editor/previews")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ClientPrincipal.TrySignIn(request, configuration, Wording, out var user, out var refusal))
        {
            return refusal;
        }

        if (!RequestBodies.IsJson(request.ContentType))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "Ask for a link with JSON (Content-Type: application/json), e.g. {\"seat\": \"battersea\"}.");
        }

        return await Previews.CreateAsync(request, storage, publisher, keys, clock, user, logger, cancellationToken).ConfigureAwait(false);
    }
}
