using System.Text.Json;
using System.Text.Json.Nodes;
using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;
using LondonTories.Publishing.Platforms.Webhook;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace LondonTories.Integration.Tests.Platforms;

/// <summary>
/// A WireMock.Net server that answers as the Graph API documents for Pages, the Marketing API,
/// Instagram content publishing and Threads publishing (graph.threads.net): it keeps what was created, so lookups see earlier writes, and it
/// can be told to fail a request in each documented way, before or after carrying it out.
/// </summary>
public sealed class MetaGraphStub : IDisposable
{
    public const string Token = "EAAGm0PX4ZCpsBAKsecretpagetoken0123456789";
    public const string PageId = "104729";
    public const string AdAccount = "act_5550001";
    public const string InstagramId = "17841400000000001";
    public const string ThreadsUserId = "7361250000000001";

    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly List<Script> _scripts = [];
    private readonly List<IRequestMessage> _received = [];
    private int _nextId = 900000;

    public MetaGraphStub()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v[0-9.]+/.*"))).AtPriority(100).RespondWith(Response.Create().WithCallback(Answer));

        // A first request warms the server, so a test's short timeout measures the stub's delay, not a cold start.
        using var warm = new HttpClient();
        warm.GetAsync(new Uri(BaseUrl, "warm")).GetAwaiter().GetResult().Dispose();
    }

    public WireMockServer Server { get; }

    public Uri BaseUrl => new(Server.Url! + "/");

    /// <summary>Every request the server received, in the order they arrived (before any answer, so a request still being answered counts).</summary>
    public IReadOnlyList<IRequestMessage> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public IReadOnlyList<IRequestMessage> Posts(string pathEnd) =>
        [.. Requests.Where(r => r.Method == "POST" && r.Path.EndsWith(pathEnd, StringComparison.Ordinal))];

    public IReadOnlyList<JsonObject> Objects(string edge)
    {
        lock (_gate)
        {
            return _edges.TryGetValue(edge, out var list) ? [.. list] : [];
        }
    }

    /// <summary>The next <paramref name="times"/> requests matching make the given failure; <paramref name="applied"/> carries the request out first.</summary>
    public void Fail(string method, string pathEnd, StubFault fault, bool applied = false, int times = 1)
    {
        lock (_gate)
        {
            _scripts.Add(new Script(method, pathEnd, fault, applied) { Remaining = times });
        }
    }

    /// <summary>The status a new Instagram or Threads container reports.</summary>
    public string ContainerStatus { get; set; } = "FINISHED";

    /// <summary>
    /// What the ad account's <c>minimum_budgets</c> edge lists, as Meta documents it: the least an ad set
    /// may be given a day, in the account currency's minor unit, by what it is optimised for.
    /// </summary>
    public JsonObject MinimumBudget { get; set; } = new()
    {
        ["currency"] = "GBP",
        ["min_daily_budget_imp"] = 100,
        ["min_daily_budget_high_freq"] = 500,
        ["min_daily_budget_low_freq"] = 4000,
        ["min_daily_budget_video_views"] = 100,
    };

    /// <summary>The one token the Graph takes: a test of a renewal sets the renewed one.</summary>
    public string AcceptedToken { get; set; } = Token;

    /// <summary>The platforms' wiring with short delays; a request may take <paramref name="attemptTimeout"/> (default: plenty) before it counts as lost.</summary>
    public static ServiceProvider Services(TimeSpan? attemptTimeout = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLondonToriesPlatforms();
        services.Configure<MetaOptions>(o =>
        {
            o.AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30);
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.RetryBudget = TimeSpan.FromSeconds(2);
            o.ContainerPollInterval = TimeSpan.FromMilliseconds(20);
            o.ContainerPolls = 3;
        });
        services.Configure<WebhookOptions>(o =>
        {
            o.AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30);
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.RetryBudget = TimeSpan.FromSeconds(2);
        });
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static T Client<T>(IServiceProvider services) where T : IPlatformClient =>
        services.GetServices<IPlatformClient>().OfType<T>().Single();

    public static Dictionary<string, string> Form(IRequestMessage request) =>
        QueryHelpers.ParseQuery(request.Body ?? string.Empty).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    public static Dictionary<string, string> Query(IRequestMessage request) =>
        (request.Query ?? new Dictionary<string, WireMockList<string>>()).ToDictionary(p => p.Key, p => p.Value.ToString()!, StringComparer.Ordinal);

    public void Dispose() => Server.Stop();

    private void Receive(IRequestMessage request)
    {
        lock (_gate)
        {
            _received.Add(request);
        }
    }

    private IResponseMessage Answer(IRequestMessage request)
    {
        Receive(request);
        Script? script;
        lock (_gate)
        {
            script = _scripts.FirstOrDefault(s => s.Remaining > 0 && s.Method == request.Method && request.Path.EndsWith(s.PathEnd, StringComparison.Ordinal));
            if (script is not null)
            {
                script.Remaining--;
            }
        }

        if (script is { Applied: false, Fault: var before })
        {
            return Faulted(before, null);
        }

        var answer = Handle(request);
        return script is null ? answer : Faulted(script.Fault, answer);
    }

    private static IResponseMessage Faulted(StubFault fault, IResponseMessage? answer)
    {
        if (fault.Delay is { } delay)
        {
            Thread.Sleep(delay);
        }

        if (fault.Status is { } status)
        {
            var response = Json(status, fault.Body ?? "{}");
            foreach (var (name, value) in fault.Headers ?? [])
            {
                response.AddHeader(name, value);
            }

            return response;
        }

        return answer ?? Json(200, "{}");
    }

    private IResponseMessage Handle(IRequestMessage request)
    {
        var parameters = request.Method == "POST" ? Form(request) : Query(request);
        if (!parameters.TryGetValue("access_token", out var token) || token != AcceptedToken)
        {
            return Json(400, """{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190,"fbtrace_id":"A1"}}""");
        }

        var segments = request.Path.Trim('/').Split('/');
        lock (_gate)
        {
            return (request.Method, segments) switch
            {
                ("POST", [_, var page, "feed"]) => Created($"{page}/posts", new JsonObject { ["id"] = $"{page}_{++_nextId}", ["message"] = parameters["message"], ["link"] = parameters.GetValueOrDefault("link"), ["permalink_url"] = $"https://www.facebook.com/{page}/posts/{_nextId}" }),
                ("GET", [_, var page, "published_posts"]) => List($"{page}/posts", null),
                ("POST", [_, var account, "media"]) => Created($"{account}/containers", new JsonObject { ["id"] = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), ["caption"] = parameters["caption"], ["image_url"] = parameters["image_url"], ["status_code"] = ContainerStatus }),
                ("POST", [_, var account, "media_publish"]) => Publish(account, parameters["creation_id"]),
                ("GET", [_, var account, "media"]) => List($"{account}/media", null),
                ("POST", [_, var user, "threads"]) => Created($"{user}/containers", Object(parameters, ("status", ContainerStatus))),
                ("POST", [_, var user, "threads_publish"]) => PublishThread(user, parameters["creation_id"]),
                ("GET", [_, var user, "threads"]) => List($"{user}/threads", null),
                ("POST", [_, _, "adcreatives"]) when parameters.TryGetValue("object_story_id", out var story) && !_nodes.ContainsKey(story) => Json(400,
                    """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_user_title":"Invalid story","error_user_msg":"The page-id and/or post-id didn't resolve to a valid story."}}"""),
                ("GET", [_, var account, "minimum_budgets"]) when account.StartsWith("act_", StringComparison.Ordinal) =>
                    Json(200, new JsonObject { ["data"] = new JsonArray(MinimumBudget.DeepClone()) }.ToJsonString()),
                ("POST", [_, var account, var edge]) when account.StartsWith("act_", StringComparison.Ordinal) => Created($"{account}/{edge}", Object(parameters)),
                ("GET", [_, var account, var edge]) when account.StartsWith("act_", StringComparison.Ordinal) => List($"{account}/{edge}", NameFilter(parameters)),
                ("GET", [_, var id]) => _nodes.TryGetValue(id, out var node) ? Json(200, node.ToJsonString()) : Missing(),
                ("DELETE", [_, var id]) => Delete(id),
                _ => Json(400, """{"error":{"message":"Unknown path components","type":"OAuthException","code":2500}}"""),
            };
        }
    }

    private IResponseMessage Publish(string account, string containerId)
    {
        if (!_nodes.TryGetValue(containerId, out var container) || (string?)container["status_code"] != "FINISHED")
        {
            return Json(400, """{"error":{"message":"Media ID is not available","type":"OAuthException","code":9007,"error_subcode":2207027}}""");
        }

        container["status_code"] = "PUBLISHED";
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Created($"{account}/media", new JsonObject { ["id"] = id, ["caption"] = (string?)container["caption"], ["permalink"] = $"https://www.instagram.com/p/{id}/" });
    }

    /// <summary>Publishes a Threads container as its reference documents: only a FINISHED one, once.</summary>
    private IResponseMessage PublishThread(string user, string containerId)
    {
        if (!_nodes.TryGetValue(containerId, out var container) || (string?)container["status"] != "FINISHED")
        {
            return Json(400, """{"error":{"message":"The requested resource does not exist","type":"OAuthException","code":24,"error_subcode":4279009,"error_user_msg":"Media not found"}}""");
        }

        container["status"] = "PUBLISHED";
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Created($"{user}/threads", new JsonObject
        {
            ["id"] = id,
            ["text"] = (string?)container["text"],
            ["permalink"] = $"https://www.threads.net/@londontories/post/C{id}",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss+0000", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static JsonObject Object(Dictionary<string, string> parameters, params (string Name, string Value)[] more)
    {
        var item = new JsonObject();
        foreach (var (name, value) in parameters.Where(p => p.Key != "access_token"))
        {
            item[name] = value;
        }

        foreach (var (name, value) in more)
        {
            item[name] = value;
        }

        return item;
    }

    private IResponseMessage Created(string edge, JsonObject item)
    {
        item["id"] ??= (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_edges.TryGetValue(edge, out var list))
        {
            _edges[edge] = list = [];
        }

        list.Insert(0, item);
        _nodes[(string)item["id"]!] = item;
        return Json(200, new JsonObject { ["id"] = (string)item["id"]! }.ToJsonString());
    }

    private IResponseMessage List(string edge, string? name)
    {
        var items = _edges.TryGetValue(edge, out var list) ? list : [];
        var data = new JsonArray([.. items.Where(i => name is null || (string?)i["name"] == name).Select(i => (JsonNode)i.DeepClone())]);
        return Json(200, new JsonObject { ["data"] = data }.ToJsonString());
    }

    private IResponseMessage Delete(string id)
    {
        if (!_nodes.Remove(id))
        {
            return Missing();
        }

        foreach (var list in _edges.Values)
        {
            list.RemoveAll(i => (string?)i["id"] == id);
        }

        return Json(200, """{"success":true}""");
    }

    private static string? NameFilter(Dictionary<string, string> query)
    {
        if (!query.TryGetValue("filtering", out var filtering))
        {
            return null;
        }

        var rule = JsonNode.Parse(filtering)!.AsArray().Single()!;
        return (string?)rule["field"] == "name" && (string?)rule["operator"] == "EQUAL" ? (string?)rule["value"] : throw new InvalidOperationException(filtering);
    }

    private static IResponseMessage Missing() =>
        Json(400, """{"error":{"message":"Unsupported get request. Object with ID does not exist","type":"GraphMethodException","code":100,"error_subcode":33}}""");

    private static ResponseMessage Json(int status, string body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", "application/json; charset=UTF-8");
        return response;
    }

    private sealed record Script(string Method, string PathEnd, StubFault Fault, bool Applied)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>One way a stubbed request fails: an error answer with headers, or a delay past the client's timeout.</summary>
public sealed record StubFault(int? Status = null, string? Body = null, Dictionary<string, string>? Headers = null, TimeSpan? Delay = null)
{
    public static StubFault Error(int status, string body, Dictionary<string, string>? headers = null) => new(status, body, headers);

    /// <summary>An answer later than <see cref="ShortTimeout"/>, so the client gives up after the request arrived.</summary>
    public static readonly StubFault Timeout = new(Delay: TimeSpan.FromSeconds(4));

    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);
}

/// <summary>HTTP read by hand, for servers that misbehave in ways no HTTP server library lets them.</summary>
internal static class RawHttp
{
    /// <summary>Reads one request, its headers and as much body as its Content-Length says.</summary>
    public static async Task ReadRequestAsync(System.Net.Sockets.NetworkStream stream)
    {
        var buffer = new byte[64 * 1024];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            var head = text.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = System.Text.RegularExpressions.Regex.Match(text.ToString(), "Content-Length: *([0-9]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (head >= 0 && text.Length >= head + 4 + (length.Success ? int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0))
            {
                return;
            }
        }
    }
}

/// <summary>A server that reads a whole request and closes the connection without a word: an answer lost on the way back.</summary>
public sealed class DroppingServer : IDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
    private readonly Task _loop;
    private int _received;

    public DroppingServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((System.Net.IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Received => Volatile.Read(ref _received);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                var stream = client.GetStream();
                await RawHttp.ReadRequestAsync(stream).ConfigureAwait(false);

                Interlocked.Increment(ref _received);
                client.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The listener was stopped.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// A server that answers every request with the headers of a 200 and a long body it never finishes,
/// as a broken or hostile receiver may: the answer is there, its end never comes.
/// </summary>
public sealed class StallingServer : IDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
    private readonly List<System.Net.Sockets.TcpClient> _clients = [];
    private readonly Task _loop;
    private int _received;

    public StallingServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((System.Net.IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Received => Volatile.Read(ref _received);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                var stream = client.GetStream();
                await RawHttp.ReadRequestAsync(stream).ConfigureAwait(false);

                Interlocked.Increment(ref _received);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{\"id\":\"")).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The listener was stopped.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
