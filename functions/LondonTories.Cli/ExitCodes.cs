namespace LondonTories.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The content has errors (or a publish was refused); nothing was written.</summary>
    public const int ContentErrors = 1;

    public const int Usage = 2;

    public const int StorageFailure = 3;

    /// <summary>Stopped by Ctrl+C (SIGINT) before it finished: 128 + the signal's number, as shells report such a command.</summary>
    public const int Stopped = 130;

    /// <summary>Stopped by a request to stop (SIGTERM, as docker stop and systemd send) before it finished: 128 + 15.</summary>
    public const int Terminated = 143;
}
