namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Infra => Path.Combine(Root, "infra");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LondonTories.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No LondonTories.sln above {AppContext.BaseDirectory}.");
    }
}
