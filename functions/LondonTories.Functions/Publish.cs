using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Functions;

/// <summary>POST /api/publish: publishes now and answers with the run's summary. <c>?force=true</c> passes the deletion guard.</summary>
public sealed class Publish(SiteStorage storage, StoragePublisher publisher, IConfiguration? configuration = null)
{
    [Function(nameof(Publish))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "publish")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpAnswers.Repeated(request, "force") is { } repeated)
        {
            return repeated;
        }

        // A force read as false unless it says true would refuse again, after the caller meant to pass the guard.
        var forceText = request.Query["force"].FirstOrDefault();
        if (forceText is not null && !bool.TryParse(forceText, out _))
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"force '{forceText}' is neither true nor false; pass ?force=true to pass the deletion guard.");
        }

        var force = string.Equals(forceText, "true", StringComparison.OrdinalIgnoreCase);
        var run = await publisher.PublishAsync(storage, "http", force, cancellationToken, ClientPrincipal.RequestedBy(request, configuration)).ConfigureAwait(false);
        return HttpAnswers.Run(request, run);
    }
}
