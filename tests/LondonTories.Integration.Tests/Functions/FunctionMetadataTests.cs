using System.Text.Json;
using System.Text.Json.Nodes;
using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>The functions.metadata the build writes is what the Functions host indexes: triggers, routes, methods, keys, schedules.</summary>
public sealed class FunctionMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Functions = new(() =>
    {
        var path = FindBuildOutput("functions.metadata");
        var functions = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return functions.Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!);
    });

    [Fact]
    public void The_app_has_exactly_the_functions_of_the_design()
    {
        Assert.Equal(
            ["Approvals", "Changes", "Constituencies", "ConstituencyBundle", "ConstituencyPage", "ConstituencyPages", "ContentChanged", "DeliverWebhooks", "EditorPreviews", "Preview", "PreviewLink", "Previews", "Publish", "Rollback", "ScheduledPublish"],
            Functions.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScheduledPublish_runs_on_the_schedule_in_the_app_setting_with_the_monitor_on()
    {
        var trigger = Trigger("ScheduledPublish");
        Assert.Equal("timerTrigger", (string?)trigger["type"]);
        Assert.Equal($"%{AppSettings.PublishSchedule}%", (string?)trigger["schedule"]);
        Assert.True((bool?)trigger["useMonitor"]);
    }

    [Fact]
    public void ContentChanged_is_an_Event_Grid_blob_trigger_on_the_content_container()
    {
        var trigger = Trigger("ContentChanged");
        Assert.Equal("blobTrigger", (string?)trigger["type"]);
        Assert.Equal("content/{name}", (string?)trigger["path"]);
        Assert.Equal("EventGrid", (string?)trigger["source"]);
        Assert.Equal(AppSettings.Storage, (string?)trigger["connection"]);
    }

    [Theory]
    [InlineData("Publish", "Function", "post", "publish")]
    [InlineData("Preview", "Function", "post", "preview")]
    [InlineData("Approvals", "Anonymous", "post", "approvals")]
    [InlineData("Rollback", "Function", "post", "rollback")]
    [InlineData("Previews", "Function", "post", "previews")]
    [InlineData("EditorPreviews", "Anonymous", "post", "editor/previews")]
    [InlineData("PreviewLink", "Anonymous", "get", "previews/{token}/{*path}")]
    [InlineData("Constituencies", "Anonymous", "get head options", "constituencies")]
    [InlineData("ConstituencyPages", "Anonymous", "get head options", "constituencies/{seat}/pages")]
    [InlineData("ConstituencyPage", "Anonymous", "get head options", "constituencies/{seat}/pages/{page}")]
    [InlineData("ConstituencyBundle", "Anonymous", "get head options", "constituencies/{seat}/bundle.zip")]
    [InlineData("Changes", "Anonymous", "get head options", "constituencies/{seat}/changes")]
    public void Each_HTTP_function_has_its_route_methods_and_key(string name, string authLevel, string methods, string route)
    {
        var trigger = Trigger(name);
        Assert.Equal("httpTrigger", (string?)trigger["type"]);
        Assert.Equal(authLevel, (string?)trigger["authLevel"]);
        Assert.Equal(methods.Split(' '), trigger["methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(route, (string?)trigger["route"]);
    }

    [Fact]
    public void The_host_json_beside_the_app_sets_a_timeout_and_logging()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(FindBuildOutput("host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.True(TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromMinutes(30));
        Assert.True(host.RootElement.GetProperty("logging").TryGetProperty("logLevel", out _));
    }

    [Fact]
    public void The_app_runs_with_thread_pool_threads_that_sleep_rather_than_spin_when_idle()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(FindBuildOutput("LondonTories.Functions.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(0, options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    [Fact]
    public void The_sample_local_settings_name_only_settings_the_app_reads()
    {
        var sample = Path.Combine(AzuriteServer.RepositoryRoot(), "functions", "LondonTories.Functions", "local.settings.sample.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(sample));
        var known = typeof(AppSettings).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).Append("FUNCTIONS_WORKER_RUNTIME").ToHashSet();
        var named = settings.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name.Split("__")[0]).ToList();
        Assert.All(named, name => Assert.Contains(name, known));
        Assert.Contains(AppSettings.PublishSchedule, named);
    }

    private static JsonObject Trigger(string function) =>
        Functions.Value[function]["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => ((string?)b["type"])!.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary>The Functions project's build output, in the configuration and framework the tests were built with.</summary>
    private static string FindBuildOutput(string file)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, file);
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        // Built on its own, the app defaults to Release while the tests build Debug: the newest build is the one just made.
        var bin = Path.Combine(AzuriteServer.RepositoryRoot(), "functions", "LondonTories.Functions", "bin");
        var candidates = new[] { configuration, "Debug", "Release" }.Distinct()
            .Select(c => Path.Combine(bin, c, framework, file))
            .Append(beside)
            .ToArray();
        return candidates.Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException($"No {file} in {string.Join(" or ", candidates)}; build functions/LondonTories.Functions first.");
    }
}
