using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;
using LondonTories.Publishing.Platforms.Threads;
using LondonTories.Publishing.Platforms.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace LondonTories.Publishing.Tests.Platforms.Meta;

public sealed class MetaServicesTests
{
    private static int Handlers(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(name).HttpMessageHandlerBuilderActions.Count;

    [Fact]
    public void The_platform_wiring_registers_each_Meta_and_webhook_client_once_however_often_it_is_called()
    {
        var services = new ServiceCollection();
        services.AddLondonToriesPlatforms();
        services.AddLondonToriesPlatforms();
        services.AddMetaPlatforms();
        services.AddThreadsPlatform();
        using var provider = services.BuildServiceProvider();

        var clients = provider.GetServices<IPlatformClient>().ToList();

        Assert.Single(clients.OfType<FacebookPageClient>());
        Assert.Single(clients.OfType<InstagramClient>());
        Assert.Single(clients.OfType<WebhookClient>());
        Assert.Single(clients.OfType<ThreadsClient>());
        Assert.Equal(["facebook", "instagram", "webhook"], clients.Where(c => c is FacebookPageClient or InstagramClient or WebhookClient).Select(c => c.Platform).Order(StringComparer.Ordinal));
        Assert.False(clients.OfType<FacebookPageClient>().Single().SafeToRepeat);
        Assert.False(clients.OfType<InstagramClient>().Single().SafeToRepeat);
        Assert.True(clients.OfType<WebhookClient>().Single().SafeToRepeat);
        // The HttpClients carry the handlers of one call only: a second retry handler would multiply attempts.
        var once = new ServiceCollection();
        once.AddLondonToriesPlatforms();
        using var single = once.BuildServiceProvider();
        foreach (var name in new[] { FacebookPageClient.HttpClientName, InstagramClient.HttpClientName, ThreadsClient.HttpClientName, WebhookClient.HttpClientName })
        {
            Assert.Equal(Handlers(single, name), Handlers(provider, name));
            using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
            Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
        }
    }
}
