namespace LondonTories.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The content has errors (or a publish was refused); nothing was written.</summary>
    public const int ContentErrors = 1;

    public const int Usage = 2;

    public const int StorageFailure = 3;
}
