using System.Text.Json;
using LondonTories.Publishing;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Preview;

/// <summary>
/// Starts the preview on the fixture content, drives it once through Browser/scenario.mjs in headless
/// Chromium, and stops it; each test then checks one part of what the browser saw.
/// </summary>
public sealed class PreviewScenarioFixture : IAsyncLifetime
{
    /// <summary>Before the fixture's embargoed page (6 January 2030, 09:00).</summary>
    public const string Now = "2029-12-01T12:00";

    public JsonElement Steps { get; private set; }

    public SiteContent Content { get; private set; } = null!;

    public string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public double FirstResponseMs { get; private set; }

    public double FirstResponseAfterReadyMs { get; private set; }

    public int? ExitCode { get; private set; }

    public string Output { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(BrowserTools.EnsureChromiumAsync(), BrowserTools.EnsureNodeToolsAsync());

        await using var preview = await PreviewProcess.StartAsync(Now);
        FirstResponseMs = preview.FirstResponseMs;
        FirstResponseAfterReadyMs = preview.FirstResponseAfterReadyMs;
        Content = await new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider()
            .GetRequiredService<Publisher>().LoadAsync(new FolderContentSource(preview.ContentRoot), CancellationToken.None);

        var script = Path.Combine(BrowserTools.RepositoryRoot, "tests", "LondonTories.Integration.Tests", "Browser", "scenario.mjs");
        var (exitCode, output, error) = await BrowserTools.RunAsync("node", [script, preview.Url.ToString(), preview.ContentRoot, ScreenshotFolder],
            BrowserTools.RepositoryRoot, TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"The browser scenario failed (exit {exitCode}):\n{error}\nPreview said:\n{preview.Output}\n{preview.Errors}");
        }

        Steps = JsonDocument.Parse(output).RootElement.Clone();
        await preview.StopAsync();
        ExitCode = preview.ExitCode;
        Output = preview.Output;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One step's record; a step that threw fails the test with the browser's error.</summary>
    public JsonElement Step(string name)
    {
        Assert.True(Steps.TryGetProperty(name, out var step), $"The scenario recorded no step '{name}'.");
        if (step.TryGetProperty("error", out var error))
        {
            Assert.Fail($"The browser step '{name}' failed: {error.GetString()}");
        }

        return step;
    }
}
