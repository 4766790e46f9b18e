using System.Net;
using System.Net.Sockets;
using LondonTories.Cli;
using LondonTories.Cli.Preview;

namespace LondonTories.Publishing.Tests.Preview;

/// <summary>A port the preview cannot open is the editor's to change: told as a usage error, never a stack trace.</summary>
public sealed class PreviewPortTests
{
    [Fact]
    public async Task A_port_another_program_holds_is_a_usage_error()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var code = await CliApp.RunAsync(["preview", "--content", Support.TestSite.SampleContentDir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdout, stderr, stop.Token);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: port {port} is already in use", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Fact]
    public void A_port_only_an_administrator_may_open_is_told_as_such_not_thrown()
    {
        // What Kestrel throws when an account without the rights asks for port 80 on Linux.
        var refusal = PreviewServer.PortRefusal(new SocketException((int)SocketError.AccessDenied), 80);

        Assert.NotNull(refusal);
        Assert.StartsWith("port 80 may not be opened by this account", refusal, StringComparison.Ordinal);
        Assert.Contains("--port 0", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_failure_to_listen_is_not_passed_off_as_the_editors_to_fix()
    {
        Assert.Null(PreviewServer.PortRefusal(new SocketException((int)SocketError.NetworkDown), 5150));
        Assert.Null(PreviewServer.PortRefusal(new InvalidOperationException("something else"), 5150));
    }
}
