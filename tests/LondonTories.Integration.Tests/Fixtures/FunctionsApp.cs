using Azure.Core;
using LondonTories.Functions;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>An HTTP answer as a client would receive it.</summary>
public sealed record TestResponse(int Status, IHeaderDictionary Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string? ContentType => Headers.ContentType.FirstOrDefault();
}

/// <summary>
/// The Functions app's services, built from app settings exactly as Program.cs builds them, with the
/// ASP.NET Core services the worker's HTTP integration brings; function classes are created the way
/// the worker creates them.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    /// <param name="secrets">Stands in for the app's Key Vault, which cannot run here; default: as Program.cs chooses from the settings.</param>
    public FunctionsApp(string connectionString, TimeProvider clock, IDictionary<string, string?>? settings = null, ISecretStore? secrets = null)
    {
        var values = new Dictionary<string, string?>
        {
            [AppSettings.Storage] = connectionString,
            [AppSettings.PublishSchedule] = "0 */5 * * * *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddMvcCore();

        // As Program.cs, with a test's secrets where it gives them and every storage request logged.
        if (secrets is not null)
        {
            services.AddSingleton(secrets);
        }

        services.AddLondonToriesApp(new AppConfiguration(configuration), options => options.Policies.Add((Log, HttpPipelinePosition.PerRetry)));

        Services = services.BuildServiceProvider();
    }

    public RequestLog Log { get; } = new();

    public ServiceProvider Services { get; }

    public SiteStorage Storage => Services.GetRequiredService<SiteStorage>();

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public HttpRequest Request(string method, string pathAndQuery, string? body = null, IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("londontories.example.net");
        context.Request.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        context.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "text/markdown; charset=utf-8";
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Runs the function's result against its request's response, as the worker does, and reads what was sent.</summary>
    public static async Task<TestResponse> SendAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var body = (MemoryStream)context.Response.Body;
        return new TestResponse(context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
