using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Platforms;

/// <summary>Outbound requests whose address comes from content connect only to public addresses.</summary>
public sealed class PublicConnectionsTests
{
    [Theory]
    [InlineData("https://10.255.255.1/hooks")]
    [InlineData("https://[fd12::7]/hooks")]
    [InlineData("https://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[::127.0.0.1]/hooks")]
    [InlineData("https://[::ffff:0:10.0.0.1]/hooks")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks")]
    [InlineData("https://[64:ff9b:1::a00:1]/hooks")]
    public async Task A_private_address_is_refused_before_any_connection_is_made(string url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PublicConnections.ConnectAsync, UseProxy = false });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));

        Assert.Contains("on a private or internal network", refused.Message + refused.InnerException?.Message);
    }

    [Fact]
    public void An_association_webhook_connects_to_its_receiver_itself_never_through_a_proxy()
    {
        // Through a proxy the guard sees only the proxy's address, and the proxy goes wherever the receiver's name leads, private or not.
        using var services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();

        var primary = PrimaryHandler(services, AssociationWebhooks.HttpClientName);
        Assert.False(primary.UseProxy);
        Assert.False(primary.AllowAutoRedirect);
        Assert.NotNull(primary.ConnectCallback);
    }

    [Fact]
    public void A_webhook_channel_connects_to_its_receiver_itself_never_through_a_proxy()
    {
        // Its url comes from channels.yaml, as an association's from constituencies.yaml: the same guard, and so no proxy.
        using var services = new ServiceCollection().AddLondonToriesPublishing().AddLondonToriesPlatforms().BuildServiceProvider();

        var primary = PrimaryHandler(services, LondonTories.Publishing.Platforms.Webhook.WebhookClient.HttpClientName);
        Assert.False(primary.UseProxy);
        Assert.False(primary.AllowAutoRedirect);
        Assert.NotNull(primary.ConnectCallback);
    }

    /// <summary>The handler that makes the named client's connections, below its resilience and logging handlers.</summary>
    private static SocketsHttpHandler PrimaryHandler(ServiceProvider services, string clientName)
    {
        var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName);
        while (handler is DelegatingHandler { InnerHandler: { } inner })
        {
            handler = inner;
        }

        return Assert.IsType<SocketsHttpHandler>(handler);
    }

    [Fact]
    public async Task A_server_named_as_this_machine_is_connected_as_named()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PublicConnections.ConnectAsync, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

        var request = client.GetAsync($"http://localhost:{port}/");
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(connection.Connected);
        listener.Stop();
        connection.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => request);
    }

    [Theory]
    [InlineData("http://localhost:{0}/")]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    public async Task Where_the_app_runs_on_azure_a_server_named_as_this_machine_is_refused(string url)
    {
        // There this machine is the platform's: its managed identity endpoint and the Functions host answer on loopback.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = (context, ct) => PublicConnections.ConnectAsync(context, hosted: true, ct), UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, port)));

        Assert.Contains("this machine", refused.Message + refused.InnerException?.Message);
        Assert.False(accepted.IsCompleted);
        listener.Stop();
    }
}
