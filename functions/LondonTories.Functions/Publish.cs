using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LondonTories.Functions;

/// <summary>POST /api/publish: publishes now and answers with the run's summary. <c>?force=true</c> passes the deletion guard.</summary>
public sealed class Publish(SiteStorage storage, StoragePublisher publisher)
{
    [Function(nameof(Publish))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "publish")] HttpRequest request, CancellationToken cancellationToken)
    {
        var force = string.Equals(request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
        var run = await publisher.PublishAsync(storage, "http", force, cancellationToken, ClientPrincipal.RequestedBy(request)).ConfigureAwait(false);
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
                PublishRun.Refused => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            },
        };
    }
}
