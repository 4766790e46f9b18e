using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using LondonTories.Publishing.Storage;

namespace LondonTories.Cli;

/// <summary>
/// Says once, while a command still tries, that the storage account does not answer: the retries
/// otherwise pass in silence, a quarter of a minute for an account name with a typo in it.
/// </summary>
internal sealed class UnreachableStorageNotice(TextWriter stderr, StorageOptions options) : HttpPipelinePolicy
{
    private int _told;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception exception) when (Unanswered(message, exception))
        {
            Tell(message, exception);
            throw;
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception exception) when (Unanswered(message, exception))
        {
            Tell(message, exception);
            throw;
        }
    }

    // A refused connection, a name that does not resolve, or no answer in time; not the user's Ctrl+C.
    private static bool Unanswered(HttpMessage message, Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status == 0,
        OperationCanceledException => !message.CancellationToken.IsCancellationRequested,
        _ => exception is IOException or HttpRequestException,
    };

    private void Tell(HttpMessage message, Exception exception)
    {
        var attempt = message.ProcessingContext.RetryNumber;
        if (attempt >= options.MaxRetries || Interlocked.Exchange(ref _told, 1) == 1)
        {
            return;
        }

        // The reason names the host and port, never the query, where a SAS would be.
        var reason = Commands.StorageErrors.FirstLine(exception.Message);
        var seconds = Math.Max(1, (int)Math.Ceiling(options.RetryWindowAfter(attempt, timedOut: exception is OperationCanceledException).TotalSeconds));
        lock (stderr)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The storage account does not answer ({reason}); trying again for up to {seconds} s. Check the account in the connection string; Ctrl+C stops."));
        }
    }
}
