using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>Records every storage request that reaches the wire, to count what a run really did.</summary>
public sealed class RequestLog : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<(string Method, Uri Uri)> _requests = new();

    public IReadOnlyList<(string Method, Uri Uri)> Requests => [.. _requests];

    /// <summary>Requests that change stored data: uploads, deletes, creates and table writes (not leases, which only lock).</summary>
    public IReadOnlyList<(string Method, Uri Uri)> Writes =>
        [.. _requests.Where(r => r.Method is not ("GET" or "HEAD") && !r.Uri.Query.Contains("comp=lease", StringComparison.Ordinal))];

    /// <summary>Blob names written (PUT) in a container, as the site's paths below it.</summary>
    public IReadOnlyList<string> BlobPuts(string container) =>
        [.. Writes.Where(w => w.Method == "PUT" && BlobName(w.Uri, container) is not null).Select(w => BlobName(w.Uri, container)!)];

    /// <summary>Whether a request lists the site's container, <c>$web</c>: what a run that trusts the site's fingerprint or record never sends.</summary>
    public static bool ListsSite((string Method, Uri Uri) request) =>
        request.Uri.Query.Contains("comp=list", StringComparison.Ordinal)
        && Uri.UnescapeDataString(request.Uri.AbsolutePath).TrimEnd('/').EndsWith("/" + LondonTories.Publishing.Storage.SiteStorage.WebContainer, StringComparison.Ordinal);

    public void Clear() => _requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _requests.Enqueue((message.Request.Method.ToString(), message.Request.Uri.ToUri()));
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _requests.Enqueue((message.Request.Method.ToString(), message.Request.Uri.ToUri()));
        return ProcessNextAsync(message, pipeline);
    }

    private static string? BlobName(Uri uri, string container)
    {
        // Path-style Azurite URLs: /account/container/blob/name
        var segments = Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/').Split('/', 3);
        return segments.Length == 3 && segments[1] == container ? segments[2] : null;
    }
}
