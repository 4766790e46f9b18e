using System.Diagnostics;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>A tool is never started from a node_modules that another test process is still installing.</summary>
public sealed class NodeToolsTests
{
    [Fact]
    public async Task Azurite_starts_only_once_an_install_in_progress_has_finished()
    {
        // Another process's `npm ci`: it holds the install's lock while the files are still being written,
        // and azurite.js can be on disk before the modules it needs.
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        long released = 0;
        var installer = new Thread(() =>
        {
            using var gate = NodeTools.InstallLock();
            gate.WaitOne();
            holding.Set();
            release.Wait();
            Interlocked.Exchange(ref released, Stopwatch.GetTimestamp());
            gate.ReleaseMutex();
        });
        installer.Start();
        holding.Wait();

        var start = Task.Run(() =>
        {
            using var server = AzuriteServer.Start(accounts: 1, inMemory: true);
            return Stopwatch.GetTimestamp();
        });

        // Long enough for a start that does not wait to be done; one that waits is still waiting.
        await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(4)));
        release.Set();
        var started = await start;
        installer.Join();

        Assert.True(started > Interlocked.Read(ref released), "Azurite started while the install still held its lock.");
    }
}
