using Azure;
using Azure.Identity;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;

namespace LondonTories.Cli.Commands;

/// <summary>Storage problems as an editor can act on them: one line, exit code 3, no stack trace.</summary>
internal static class StorageErrors
{
    public static async Task<int> GuardAsync(CliConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (StorageConnectionException exception)
        {
            throw new UsageException($"--storage: {exception.Message}");
        }
        catch (SiteTargetBusyException exception)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (RequestFailedException exception)
        {
            var what = exception.Status switch
            {
                0 => "could not reach the storage account",
                401 or 403 => "the storage account refused access (check the key, or that your identity has the Storage Blob Data Contributor and Storage Table Data Contributor roles)",
                _ => $"the storage account answered {exception.Status} {exception.ErrorCode}",
            };
            await console.Error.WriteLineAsync($"error: {what}: {FirstLine(exception.Message)}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (AuthenticationFailedException exception)
        {
            await console.Error.WriteLineAsync($"error: could not sign in to the storage account ({FirstLine(exception.Message)}). Run 'az login', or give a connection string.").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is RequestFailedException or HttpRequestException))
        {
            await console.Error.WriteLineAsync($"error: could not reach the storage account: {FirstLine(exception.InnerExceptions[0].Message)}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
        catch (HttpRequestException exception)
        {
            await console.Error.WriteLineAsync($"error: could not reach the storage account: {FirstLine(exception.Message)}").ConfigureAwait(false);
            return ExitCodes.StorageFailure;
        }
    }

    /// <summary>A message's first line: an SDK's can go on to a troubleshooting guide.</summary>
    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
