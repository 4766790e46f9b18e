using LondonTories.Cli.Preview;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>The preview server in this process over the fixture content, as the preview's HTTP tests start it.</summary>
internal sealed class InProcessPreview : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
    private PreviewServer? _server;

    private InProcessPreview()
    {
    }

    public TestContent Content { get; } = new();

    public Uri Url => _server!.Url;

    /// <summary>Starts it once <paramref name="prepare"/> has written whatever the test needs into the content.</summary>
    public static async Task<InProcessPreview> StartAsync(Action<TestContent>? prepare = null)
    {
        var preview = new InProcessPreview();
        prepare?.Invoke(preview.Content);
        preview._server = await PreviewServer.StartAsync(preview._services, new PreviewOptions(preview.Content.Root, 0), TextWriter.Null, CancellationToken.None);
        return preview;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _services.DisposeAsync();
        Content.Dispose();
    }
}
