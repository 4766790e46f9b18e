using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Functions;

/// <summary>
/// POST /api/editor/previews: the same preview link as <see cref="Previews"/>, for an editor signed in
/// with Entra ID (App Service authentication) rather than holding a function key. The Functions host
/// checks keys before the app sees a request and a sign-in never stands in for one, so a signed-in
/// editor has a route of their own, open at the host and guarded here: only a verified identity
/// listed in site.yaml (<c>editors:</c> or <c>approvers:</c>) gets a link.
/// </summary>
public sealed class EditorPreviews(SiteStorage storage, Publisher publisher, PreviewKeys keys, TimeProvider clock, IConfiguration? configuration = null)
{
    [Function(nameof(EditorPreviews))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "editor/previews")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!ClientPrincipal.IsVerified(configuration))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "Sign-in (App Service authentication) is not on for this app, so nobody's identity can be verified here; ask for links at POST /api/previews with a function key.");
        }

        // A form on another site must not obtain links through a signed-in editor's browser.
        if (request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin &&
            (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || !string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden", "Preview links are asked for from this app's own pages, not from another site.");
        }

        if (ClientPrincipal.From(request) is not { } user)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in with your organisation's Microsoft account to ask for a preview link.");
        }

        return await Previews.CreateAsync(request, storage, publisher, keys, clock, user, cancellationToken).ConfigureAwait(false);
    }
}
