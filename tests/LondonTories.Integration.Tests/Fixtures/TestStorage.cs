using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>A fresh storage account on the shared Azurite, wired the way every host wires it, with its requests logged.</summary>
public sealed class TestStorage : IAsyncDisposable
{
    public TestStorage(AzuriteFixture azurite, Action<StorageOptions>? configure = null, TimeProvider? clock = null, string? connectionString = null)
    {
        ConnectionString = connectionString ?? azurite.NewAccount();
        var services = new ServiceCollection();
        Clock = clock ?? new TestClock(TestContent.Now);
        services.AddSingleton(Clock);
        services.AddLondonToriesPublishing(StorageConnection.Parse(ConnectionString), options =>
        {
            options.Policies.Add((Log, HttpPipelinePosition.PerRetry));
            configure?.Invoke(options);
        });
        Services = services.BuildServiceProvider();
        Storage = Services.GetRequiredService<SiteStorage>();
    }

    public string ConnectionString { get; }

    public TimeProvider Clock { get; }

    public RequestLog Log { get; } = new();

    public ServiceProvider Services { get; }

    public SiteStorage Storage { get; }

    public StoragePublisher Publisher => Services.GetRequiredService<StoragePublisher>();

    public BlobContainerClient Web => Storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);

    /// <summary>Publishes as of <paramref name="now"/>, moving a test clock there first: storage refuses a moment ahead of the clock.</summary>
    public Task<PublishRun> PublishAsync(TestContent content, bool force = false, DateTimeOffset? now = null)
    {
        if (now is { } moment && Clock is TestClock clock && moment > clock.GetUtcNow())
        {
            clock.Shift += moment - clock.GetUtcNow();
        }

        return Publisher.PublishAsync(Storage, new FolderContentSource(content.Root),
            new PublishOptions { Now = now ?? TestContent.Now, Force = force, MaxDeleteShare = Storage.Options.MaxDeleteShare }, "test", CancellationToken.None);
    }

    /// <summary>Every blob of the site as <c>web/…</c> paths with bytes and properties.</summary>
    public async Task<Dictionary<string, (byte[] Bytes, BlobProperties Properties, IDictionary<string, string> Metadata)>> ReadSiteAsync()
    {
        var site = new Dictionary<string, (byte[], BlobProperties, IDictionary<string, string>)>(StringComparer.Ordinal);
        await foreach (var item in Web.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            var download = await Web.GetBlobClient(item.Name).DownloadContentAsync();
            var properties = (await Web.GetBlobClient(item.Name).GetPropertiesAsync()).Value;
            site[$"web/{item.Name}"] = (download.Value.Content.ToArray(), properties, item.Metadata);
        }

        return site;
    }

    /// <summary>The same content published to a local folder: what the blob containers must hold.</summary>
    public static async Task<Dictionary<string, byte[]>> ExpectedSiteAsync(TestContent content, DateTimeOffset? now = null)
    {
        var services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
        var output = Directory.CreateTempSubdirectory("londontories-expected-").FullName;
        try
        {
            var result = await services.GetRequiredService<Publisher>().PublishAsync(new FolderContentSource(content.Root), new LocalFolderTarget(output),
                new PublishOptions { Now = now ?? TestContent.Now, Force = true }, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));
            return Directory.EnumerateFiles(Path.Combine(output, "web"), "*", SearchOption.AllDirectories)
                .ToDictionary(f => "web/" + Path.GetRelativePath(Path.Combine(output, "web"), f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
