using LondonTories.Publishing.Platforms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LondonTories.Publishing.Tests.Platforms;

public sealed class PlatformServicesTests
{
    [Fact]
    public void Each_open_platform_has_one_client_with_its_repeat_rule()
    {
        using var services = new ServiceCollection().AddLondonToriesPlatforms().BuildServiceProvider();

        var clients = services.GetServices<IPlatformClient>().ToDictionary(c => c.Platform, StringComparer.Ordinal);

        Assert.False(clients["x"].SafeToRepeat);
        Assert.True(clients["bluesky"].SafeToRepeat);
        Assert.True(clients["mastodon"].SafeToRepeat);
        Assert.False(clients["linkedin"].SafeToRepeat);
        Assert.False(clients["threads"].SafeToRepeat);
        Assert.Null(clients["threads"].RepeatWindow);
    }

    [Fact]
    public void Wiring_twice_registers_each_client_and_its_retries_once()
    {
        var collection = new ServiceCollection().AddLondonToriesPlatforms().AddLondonToriesPlatforms();
        using var services = collection.BuildServiceProvider();

        Assert.Equal(services.GetServices<IPlatformClient>().Select(c => c.Platform).Distinct(StringComparer.Ordinal).Count(), services.GetServices<IPlatformClient>().Count());
        using var once = new ServiceCollection().AddLondonToriesPlatforms().BuildServiceProvider();
        int Handlers(IServiceProvider provider) =>
            provider.GetRequiredService<IOptionsMonitor<Microsoft.Extensions.Http.HttpClientFactoryOptions>>().Get("x").HttpMessageHandlerBuilderActions.Count;
        Assert.Equal(Handlers(once), Handlers(services));
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("x");
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
