using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Functions;

/// <summary>POST /api/rollback?to=RUN-ID: puts <c>$web</c> back exactly as that run left it, as a run of its own.</summary>
public sealed class Rollback(SiteStorage storage, SiteRollback rollback, IConfiguration? configuration = null)
{
    [Function(nameof(Rollback))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "rollback")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpAnswers.Repeated(request, "to") is { } repeated)
        {
            return repeated;
        }

        if (request.Query["to"].FirstOrDefault() is not { Length: > 0 } to)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "Say which run to roll back to, e.g. ?to=20261130T120000Z-1a2b3c4d.");
        }

        var run = await rollback.RollbackAsync(storage, to, null, ClientPrincipal.RequestedBy(request, configuration), cancellationToken).ConfigureAwait(false);
        return HttpAnswers.Run(request, run);
    }
}
