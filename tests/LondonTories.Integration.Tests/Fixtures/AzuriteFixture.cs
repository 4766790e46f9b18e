namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>One Azurite for the whole test run, shared by every class in the collection.</summary>
public sealed class AzuriteFixture : IDisposable
{
    private readonly Lazy<AzuriteServer> _server = new(() => AzuriteServer.Start());

    public AzuriteServer Server => _server.Value;

    /// <summary>A connection string to a storage account of its own.</summary>
    public string NewAccount() => Server.NewAccount();

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
