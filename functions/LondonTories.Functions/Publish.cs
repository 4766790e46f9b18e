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
        var force = string.Equals(request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
        var run = await publisher.PublishAsync(storage, "http", force, cancellationToken, ClientPrincipal.RequestedBy(request, configuration)).ConfigureAwait(false);
        return HttpAnswers.Run(request, run);
    }
}
