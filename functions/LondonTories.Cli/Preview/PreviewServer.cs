using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Cli.Preview;

/// <summary>How to run the preview: the content folder, the loopback port (0 for any free one) and an optional fixed moment.</summary>
public sealed record PreviewOptions(string ContentRoot, int Port = PreviewOptions.DefaultPort, string? Now = null)
{
    public const int DefaultPort = 5150;
}

/// <summary>
/// The editors' preview on Kestrel, bound to loopback: the site as <c>publish</c> renders it, with a
/// toolbar to pick seat, language and moment, live reload over server-sent events, and a coverage view.
/// </summary>
public sealed class PreviewServer : IAsyncDisposable
{
    public const string NowCookie = "lt-preview-now";

    private readonly WebApplication _app;

    private PreviewServer(WebApplication app, PreviewSite site, Uri url)
    {
        _app = app;
        Site = site;
        Url = url;
    }

    public PreviewSite Site { get; }

    /// <summary>Where the preview answers, e.g. <c>http://127.0.0.1:5150/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Cancelled when the process is asked to stop (SIGTERM, Ctrl+C).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Loads the content, then starts serving; fails with a <see cref="UsageException"/> for a bad --now or a port in use.</summary>
    public static async Task<PreviewServer> StartAsync(IServiceProvider services, PreviewOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var source = new FolderContentSource(options.ContentRoot);
        var site = new PreviewSite(
            services.GetRequiredService<Publisher>(),
            services.GetRequiredService<Planner>(),
            services.GetRequiredService<SiteRenderer>(),
            services.GetRequiredService<TimeProvider>(),
            source,
            options.Now,
            log);
        try
        {
            await site.StartAsync(cancellationToken).ConfigureAwait(false);
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "londontories-preview" });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
            builder.Services.AddRoutingCore();
            var app = builder.Build();
            app.Use(async (context, next) =>
            {
                if (!IsLoopbackHost(context.Request.Host, context.Connection.LocalPort))
                {
                    // DNS rebinding: a web page on another name resolved to 127.0.0.1 must not read drafts.
                    context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync($"The preview answers only as 127.0.0.1, localhost or [::1] on port {context.Connection.LocalPort}.", context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                // Drafts are for the editor's eyes: no other site may frame them, and no file is read as another type.
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
                await next(context).ConfigureAwait(false);
            });
            var endpoints = new PreviewEndpoints(site);
            app.MapGet("/_preview/events", endpoints.EventsAsync);
            app.MapGet("/_preview/go", endpoints.GoAsync);
            app.MapGet("/_preview/coverage", endpoints.CoverageAsync);
            app.MapGet("/_preview/posts", endpoints.PostsAsync);
            app.MapGet("/_preview/{asset}", endpoints.AssetAsync);
            app.MapGet("/{**path}", endpoints.PageAsync);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (PortRefusal(exception, options.Port) is { } refusal)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new UsageException(refusal);
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var url = new Uri(address.TrimEnd('/') + "/");
            await WarmUpAsync(url, cancellationToken).ConfigureAwait(false);
            site.Listening();
            return new PreviewServer(app, site, url);
        }
        catch
        {
            await site.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What to tell the editor when the port cannot be opened for a reason of theirs to fix; null for any other failure.</summary>
    public static string? PortRefusal(Exception exception, int port)
    {
        var code = (exception as SocketException ?? exception.InnerException as SocketException)?.SocketErrorCode;
        return code == SocketError.AddressAlreadyInUse || exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"port {port} is already in use; choose another with --port, or --port 0 for any free port."
            // On Linux only an administrator may listen below 1024 (Windows refuses ports it keeps for itself): the preview needs neither.
            : code == SocketError.AccessDenied
                ? $"port {port} may not be opened by this account (on Linux, ports below 1024 need an administrator); choose one from 1024 up with --port, or --port 0 for any free port."
                : null;
    }

    /// <summary>Whether a request's Host names this machine's loopback on the port it came in on, as only a local browser's does.</summary>
    public static bool IsLoopbackHost(HostString host, int port) =>
        host.HasValue
        && (host.Port ?? 80) == port
        && host.Host.ToLowerInvariant() is "127.0.0.1" or "localhost" or "[::1]";

    /// <summary>
    /// Serves the hub once before announcing the address, so the editor's first page does not pay
    /// for compiling the server's request path.
    /// </summary>
    private static async Task WarmUpAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Open pages hold event streams; ending them first lets Kestrel stop at once.
        await Site.DisposeAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class PreviewEndpoints(PreviewSite site)
    {
        public async Task PageAsync(HttpContext context)
        {
            var urlPath = context.Request.Path.Value is { Length: > 0 } p ? p : "/";

            // Busy holds back the background publish, which an index, feed or fragment waits for: counted busy, it would wait forever.
            using var busy = PreviewRender.WaitsForPublish(PreviewPaths.OutputPath(urlPath)) ? null : site.Busy();
            var (now, pinned) = NowOf(context);
            var render = await site.GetRenderAsync(now, context.RequestAborted).ConfigureAwait(false);
            var (file, source, errors) = await site.GetFileAsync(render, PreviewPaths.OutputPath(urlPath), context.RequestAborted).ConfigureAwait(false);
            var status = StatusCodes.Status200OK;
            if (file is null)
            {
                if (PreviewPaths.FolderOf(urlPath) is { } folder &&
                    (await site.GetFileAsync(render, PreviewPaths.OutputPath(folder), context.RequestAborted).ConfigureAwait(false)).File is not null)
                {
                    context.Response.Redirect(folder + context.Request.QueryString);
                    return;
                }

                status = StatusCodes.Status404NotFound;
                var notFound = await site.GetFileAsync(render, PreviewPaths.NotFound, context.RequestAborted).ConfigureAwait(false);
                (file, source, errors) = (notFound.File, notFound.Source, [.. errors.Concat(notFound.Errors).Distinct()]);
            }

            context.Response.StatusCode = status;
            context.Response.Headers.CacheControl = "no-store";
            if (file is null)
            {
                var body = "<h1>Nothing to show yet</h1><p>The content has errors and there is no earlier render to show. Fix the errors listed and the page reloads.</p>";
                await WriteHtmlAsync(context, source, PreviewHtml.Page("Preview", source.Content.Site.Language, body), urlPath, now, pinned, errors).ConfigureAwait(false);
                return;
            }

            if (file.Path.EndsWith(".html", StringComparison.Ordinal))
            {
                await WriteHtmlAsync(context, source, Encoding.UTF8.GetString(file.Bytes), urlPath, now, pinned, errors).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = file.ContentType;
            await context.Response.Body.WriteAsync(file.Bytes, context.RequestAborted).ConfigureAwait(false);
        }

        public async Task CoverageAsync(HttpContext context)
        {
            using var busy = site.Busy();
            var (now, pinned) = NowOf(context);
            var render = await site.GetRenderAsync(now, context.RequestAborted).ConfigureAwait(false);
            var source = PreviewSite.FirstGood(render) ?? render;
            var coverage = source.Coverage;
            var body = coverage is null
                ? "<h1>Coverage</h1><p>The content has errors and there is no earlier render to measure. Fix the errors listed and the page reloads.</p>"
                : CoverageHtml.Body(coverage);
            var title = $"Coverage · {source.Content.Site.Title}";
            context.Response.Headers.CacheControl = "no-store";
            await WriteHtmlAsync(context, source, PreviewHtml.Page(title, source.Content.Site.Language, body), "/_preview/coverage", now, pinned,
                [.. render.Errors.Concat(coverage?.Diagnostics.Where(d => d.IsError) ?? []).Distinct()]).ConfigureAwait(false);
        }

        public async Task PostsAsync(HttpContext context)
        {
            using var busy = site.Busy();
            var (now, pinned) = NowOf(context);
            var render = await site.GetRenderAsync(now, context.RequestAborted).ConfigureAwait(false);
            var source = PreviewSite.FirstGood(render) ?? render;
            var (posts, diagnostics) = site.PlanPosts(source.Content);
            var seat = context.Request.Query["seat"].ToString() is { Length: > 0 } slug ? slug : null;
            var title = $"Social posts · {source.Content.Site.Title}";
            context.Response.Headers.CacheControl = "no-store";
            await WriteHtmlAsync(context, source, PreviewHtml.Page(title, source.Content.Site.Language, PostsHtml.Body(posts, source.Content, now, seat)),
                "/_preview/posts", now, pinned, [.. render.Errors.Concat(diagnostics.Where(d => d.IsError)).Distinct()]).ConfigureAwait(false);
        }

        /// <summary>Where the toolbar's form lands: remembers the moment, then goes to the same page for the chosen seat and language.</summary>
        public async Task GoAsync(HttpContext context)
        {
            using var busy = site.Busy();
            var query = context.Request.Query;
            var zone = site.Content.Site.TimeZone;
            DateTimeOffset now;
            if (query["reset"] == "1")
            {
                context.Response.Cookies.Delete(NowCookie);
                now = site.DefaultNow;
            }
            else if (query["now"].ToString() is { Length: > 0 } text && text != query["shown"])
            {
                var chosen = SiteClock.Parse(text, zone, out var error);
                if (chosen is null && SiteClock.MomentsOf(text, zone) is [var first, var second])
                {
                    // The field takes no offset, so a time the clocks skip or repeat is offered as the moments it can mean.
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(PreviewHtml.Page("Preview: which time?", "en", ChooseMoment(error!, query, zone, first, second))).ConfigureAwait(false);
                    return;
                }

                if (chosen is null)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(PreviewHtml.Page("Preview: not a valid time", "en",
                        $"<h1>Not a valid time</h1><p>{PreviewHtml.Encode(error)}</p><p><a href=\"javascript:history.back()\">Back</a></p>")).ConfigureAwait(false);
                    return;
                }

                now = chosen.Value;
                // With its offset, so that the second of two equal wall-clock times stays the second.
                context.Response.Cookies.Append(NowCookie, SiteClock.Exact(chosen.Value, zone),
                    new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, HttpOnly = true });
            }
            else
            {
                now = NowOf(context).Now;
            }

            var render = await site.GetRenderAsync(now, context.RequestAborted).ConfigureAwait(false);
            var source = PreviewSite.FirstGood(render) ?? render;
            var path = query["path"].ToString() is { Length: > 0 } p && p.StartsWith('/') && !p.StartsWith("//", StringComparison.Ordinal) && !p.StartsWith("/\\", StringComparison.Ordinal) ? p : "/";
            context.Response.Redirect(Resolve(source, path, query["seat"], query["language"], query["slug"]));
        }

        /// <summary>The page that offers each moment a skipped or repeated wall-clock time can mean, each a link back here that keeps the seat, language and page.</summary>
        private static string ChooseMoment(string error, IQueryCollection query, TimeZoneInfo zone, params string[] moments)
        {
            var keep = string.Concat(new[] { "path", "seat", "language", "slug" }
                .Where(name => query[name].ToString().Length > 0)
                .Select(name => $"&{name}={Uri.EscapeDataString(query[name].ToString())}"));
            var links = string.Concat(moments.Select(moment =>
            {
                var instant = SiteClock.Parse(moment, zone, out _)!.Value;
                var reads = SiteClock.ToLocal(instant, zone);
                var label = SiteClock.WhichOfTwice(instant, zone) ?? SiteClock.OffsetName(reads);
                return $"<li><a href=\"/_preview/go?now={Uri.EscapeDataString(moment)}{keep}\">{PreviewHtml.Encode(string.Create(CultureInfo.InvariantCulture, $"{reads:yyyy-MM-dd HH:mm} ({label})"))}</a></li>";
            }));
            return $"<h1>Which time?</h1><p>{PreviewHtml.Encode(error)}</p><ul>{links}</ul><p><a href=\"javascript:history.back()\">Back</a></p>";
        }

        public async Task EventsAsync(HttpContext context)
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var reader = site.Events.Subscribe();
            try
            {
                await WriteEventAsync(context, new PreviewEvent("hello", $"{{\"version\":{site.Version}}}")).ConfigureAwait(false);
                await foreach (var message in reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
                {
                    await WriteEventAsync(context, message).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
            finally
            {
                site.Events.Unsubscribe(reader);
            }
        }

        public async Task AssetAsync(HttpContext context)
        {
            var name = context.Request.RouteValues["asset"] as string ?? string.Empty;
            await using var stream = typeof(PreviewServer).Assembly.GetManifestResourceStream("preview/" + name);
            if (stream is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = MediaTypes.For(name);
            context.Response.Headers.CacheControl = "no-cache";
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }

        private static async Task WriteEventAsync(HttpContext context, PreviewEvent message)
        {
            await context.Response.WriteAsync($"event: {message.Name}\ndata: {message.Data}\n\n", context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        private async Task WriteHtmlAsync(HttpContext context, PreviewRender source, string html, string urlPath, DateTimeOffset now, bool pinned,
            IReadOnlyCollection<LondonTories.Publishing.Diagnostics.Diagnostic> errors)
        {
            var content = source.Content;
            var state = StateOf(content, urlPath, source.RouteOf(urlPath), now, pinned);
            var seat = content.Constituencies.FirstOrDefault(s => s.Slug == state.Seat);
            var languages = new[] { content.Site.Language }.Concat(seat?.Languages.Where(l => l != content.Site.Language) ?? [])
                .Select(l => (l, Languages.NativeName(l)))
                .ToList();
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(PreviewHtml.Decorate(html, content.Site, PreviewHtml.Injected(content, languages, state, errors)), context.RequestAborted).ConfigureAwait(false);
        }

        /// <summary>Reads seat, language and page from a path laid out as the planner lays them: /seat/, /seat/lang/, /seat/slug/, /seat/lang/slug/.</summary>
        private ToolbarState StateOf(SiteContent content, string urlPath, PreviewRoute? route, DateTimeOffset now, bool pinned)
        {
            var segments = urlPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var seat = segments.Length > 0 ? content.Constituencies.FirstOrDefault(s => s.Slug == segments[0]) : null;
            var language = content.Site.Language;
            var rest = 1;
            if (seat is not null && segments.Length > 1 && seat.Languages.Contains(segments[1]) && segments[1] != language)
            {
                language = segments[1];
                rest = 2;
            }

            var slug = route?.Page?.Slug ?? (seat is not null && segments.Length > rest ? segments[rest] : null);
            return new ToolbarState(urlPath, seat?.Slug, language, slug, now, pinned, site.Version);
        }

        private string Resolve(PreviewRender source, string path, string? seatSlug, string? language, string? slug)
        {
            if (string.IsNullOrEmpty(seatSlug))
            {
                return "/";
            }

            var current = StateOf(source.Content, path, source.RouteOf(path), source.Now, false);
            if (current.Seat == seatSlug && current.Language == language)
            {
                return path;
            }

            var seat = source.Plan?.Seats.FirstOrDefault(s => s.Seat.Slug == seatSlug);
            if (seat is null)
            {
                return "/";
            }

            var edition = seat.Editions.FirstOrDefault(e => e.Language == language) ?? seat.Main;
            var page = string.IsNullOrEmpty(slug) ? null : edition.Pages.FirstOrDefault(p => p.Slug == slug);
            return PreviewHtml.RootRelative(page?.Url ?? edition.HomeUrl, source.Content.Site);
        }

        private (DateTimeOffset Now, bool Pinned) NowOf(HttpContext context) =>
            context.Request.Cookies[NowCookie] is { } text && SiteClock.Parse(text, site.Content.Site.TimeZone, out _) is { } chosen
                ? (chosen, true)
                : (site.DefaultNow, false);
    }
}
