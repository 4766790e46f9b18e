using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Storage;

namespace LondonTories.Cli.Preview;

/// <summary>
/// The previewed site: the content folder loaded and watched, and a render for each moment editors
/// look at. A change re-renders and tells every open page; content with errors keeps the last good
/// render on screen with the errors over it.
/// </summary>
public sealed class PreviewSite : IAsyncDisposable
{
    /// <summary>Editors save in bursts (a rename, a write, a touch); one reload answers them all.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The full publish keeps every core busy for a few seconds on a big site, so it waits until
    /// pages have not been asked for this long: the page an editor is waiting for comes first.
    /// </summary>
    public static readonly TimeSpan IdleBeforePublish = TimeSpan.FromSeconds(1);

    private const int MaxRenders = 4;

    private readonly Publisher _publisher;
    private readonly Planner _planner;
    private readonly SiteRenderer _renderer;
    private readonly TimeProvider _clock;
    private readonly FolderContentSource _source;
    private readonly string? _fixedNowText;
    private DateTimeOffset? _fixedNow;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _renderGate = new(1, 1);
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly Dictionary<DateTimeOffset, PreviewRender> _renders = [];
    private readonly CancellationTokenSource _stopping = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _debounceTimer;
    private (SiteContent Content, long Version)? _loaded;
    private PreviewRender? _latestGood;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _activeRequests;
    private volatile bool _listening;

    public PreviewSite(Publisher publisher, Planner planner, SiteRenderer renderer, TimeProvider clock, FolderContentSource source, string? fixedNow, TextWriter log)
    {
        _publisher = publisher;
        _planner = planner;
        _renderer = renderer;
        _clock = clock;
        _source = source;
        _fixedNowText = fixedNow;
        _log = log;
    }

    public PreviewEvents Events { get; } = new();

    /// <summary>Counts content versions; a page knows which one it shows and reloads when it is behind.</summary>
    public long Version => _loaded?.Version ?? 0;

    /// <summary>Every social post for every seat, as publish would send it.</summary>
    public (LondonTories.Publishing.Social.PostPlan Posts, System.Collections.Immutable.ImmutableArray<LondonTories.Publishing.Diagnostics.Diagnostic> Diagnostics) PlanPosts(SiteContent content) =>
        _publisher.PlanPosts(content);

    public SiteContent Content => _loaded?.Content ?? throw new InvalidOperationException("The preview has not loaded the content yet.");

    /// <summary>The moment pages are shown at unless an editor picks another: --now, or the clock's minute.</summary>
    public DateTimeOffset DefaultNow
    {
        get
        {
            if (_fixedNow is { } fixedNow)
            {
                return fixedNow;
            }

            var now = _clock.GetUtcNow();
            return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        }
    }

    /// <summary>Loads and plans the content, then watches the folder for changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        _debounceTimer = _clock.CreateTimer(_ => _ = ReloadAfterChangeAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(_source.Root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnChanged;
        _watcher.Created += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnChanged;
        _watcher.Error += (_, _) => _debounceTimer.Change(Debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Reads the content again and re-renders the default moment; open pages reload or show the errors.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            SiteContent content;
            try
            {
                content = await _publisher.LoadAsync(_source, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                // A file half-way through being saved; the watcher reports the rest of the save.
                await _log.WriteLineAsync($"Could not read the content yet: {exception.Message}").ConfigureAwait(false);
                return;
            }

            if (_fixedNowText is not null && _fixedNow is null)
            {
                // --now is a time in the site's zone, which only the content says.
                _fixedNow = SiteClock.Parse(_fixedNowText, content.Site.TimeZone, out var error) ?? throw new UsageException($"--now: {error}");
            }

            var version = Version + 1;
            _loaded = (content, version);
            var render = await GetRenderAsync(DefaultNow, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (render.IsGood)
            {
                Events.Send(new PreviewEvent("reload", JsonSerializer.Serialize(new { version })));
                if (version > 1)
                {
                    await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Content changed: re-rendered in {elapsed:0} ms.")).ConfigureAwait(false);
                }

                _ = ReportPublishErrorsAsync(render);
                if (render.LeavesOut)
                {
                    await ReportErrorsAsync(render).ConfigureAwait(false);
                }
            }
            else
            {
                await ReportErrorsAsync(render).ConfigureAwait(false);
            }
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>The site at <paramref name="now"/> for the content as last loaded; planned on first use.</summary>
    public async Task<PreviewRender> GetRenderAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (TryGetCurrent(now) is { } current)
        {
            return current;
        }

        await _renderGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryGetCurrent(now) is { } planned)
            {
                return planned;
            }

            var (content, version) = _loaded ?? throw new InvalidOperationException("The preview has not loaded the content yet.");
            PreviewRender? existing;
            lock (_renders)
            {
                existing = _renders.GetValueOrDefault(now);
            }

            var fallback = FirstGood(existing) ?? FirstGood(_latestGood);

            // Whoever asked for this render is about to ask for a page of it.
            Touch();
            var render = Plan(content, version, now, fallback, existing?.CopyTarget() ?? _latestGood?.CopyTarget() ?? new MemorySiteTarget());
            render.LastUsed = Stopwatch.GetTimestamp();
            lock (_renders)
            {
                _renders[now] = render;
                if (_renders.Count > MaxRenders)
                {
                    var oldest = _renders.Values.Where(r => r != render).MinBy(r => r.LastUsed)!;
                    _renders.Remove(oldest.Now);
                    oldest.Cancel();
                }
            }

            if (existing is not null && existing != fallback)
            {
                existing.Cancel();
            }

            if (render.IsGood)
            {
                _latestGood = render;
            }

            return render;
        }
        finally
        {
            _renderGate.Release();
        }
    }

    /// <summary>
    /// The file at an output path from the render, or from the last good render while it has errors,
    /// with every error to show over it.
    /// </summary>
    public async Task<(OutputFile? File, PreviewRender Source, ImmutableArray<Diagnostic> Errors)> GetFileAsync(PreviewRender render, string path, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var source = render;
        OutputFile? file = null;
        for (var candidate = render; candidate is not null; candidate = candidate.Fallback)
        {
            if (!candidate.IsGood)
            {
                continue;
            }

            source = candidate;
            file = await candidate.GetAsync(path, diagnostics, cancellationToken).ConfigureAwait(false);
            // A page left out of this render for its errors may still be in an earlier one.
            if (file is not null || (!diagnostics.HasErrors && !candidate.LeavesOut))
            {
                break;
            }
        }

        return (file, source, [.. render.Errors.Concat(diagnostics.ToImmutableSorted().Where(d => d.IsError)).Distinct()]);
    }

    /// <summary>Notes that an editor is waiting for a page, which holds back the background publish until it is served.</summary>
    public IDisposable Busy()
    {
        Interlocked.Increment(ref _activeRequests);
        Touch();
        return new Request(this);
    }

    /// <summary>Called once the server answers: until then the background publish does not start, so startup keeps every core.</summary>
    public void Listening()
    {
        Touch();
        _listening = true;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

    public static string ErrorsJson(long version, IEnumerable<Diagnostic> errors) => JsonSerializer.Serialize(new
    {
        version,
        errors = errors.Select(e => new { location = e.Location.ToString(), message = e.Message, hint = e.Hint, code = e.Code }),
    });

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _watcher?.Dispose();
        if (_debounceTimer is not null)
        {
            await _debounceTimer.DisposeAsync().ConfigureAwait(false);
        }

        Events.Complete();
        lock (_renders)
        {
            foreach (var render in _renders.Values)
            {
                render.Cancel();
            }
        }
    }

    /// <summary>The render itself when it is good, else the newest good render it falls back on.</summary>
    public static PreviewRender? FirstGood(PreviewRender? render)
    {
        for (var candidate = render; candidate is not null; candidate = candidate.Fallback)
        {
            if (candidate.IsGood)
            {
                return candidate;
            }
        }

        return null;
    }

    private PreviewRender? TryGetCurrent(DateTimeOffset now)
    {
        var version = Version;
        lock (_renders)
        {
            if (_renders.TryGetValue(now, out var render) && render.Version == version)
            {
                render.LastUsed = Stopwatch.GetTimestamp();
                return render;
            }
        }

        return null;
    }

    private PreviewRender Plan(SiteContent content, long version, DateTimeOffset now, PreviewRender? fallback, MemorySiteTarget target)
    {
        // Pages and posts in error are left out, their errors shown over the rest: one mistake hides no other page.
        var rest = content.HasErrors ? Publisher.WithoutFilesInError(content, content.Diagnostics) : content;
        if (rest is null)
        {
            return PreviewRender.Failed(version, now, content, content.Diagnostics, fallback);
        }

        var diagnostics = new DiagnosticBag();
        var plan = _planner.Plan(rest, now, diagnostics);
        var planned = content.Diagnostics.AddRange(diagnostics.ToImmutableSorted());
        if (diagnostics.HasErrors)
        {
            return PreviewRender.Failed(version, now, content, planned, fallback);
        }

        return PreviewRender.Start(version, now, rest, plan, _renderer.Begin(plan.Content, plan.Seats), planned, target, fallback, PublishAsync, leavesOut: rest != content);
    }

    private async Task<PublishResult> PublishAsync(SiteContent content, MemorySiteTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _publishGate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            // Nothing is really deleted from a preview, so the guard against mass deletion does not apply.
            await WaitUntilIdleAsync(linked.Token).ConfigureAwait(false);
            return await _publisher.PublishAsync(content, target, new PublishOptions { Now = now, Force = true, IncludeUnapprovedPages = true }, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    private async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        while (!_listening || Volatile.Read(ref _activeRequests) > 0 || Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity)) < IdleBeforePublish)
        {
            var quiet = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity));
            await Task.Delay(quiet < IdleBeforePublish ? IdleBeforePublish - quiet : IdleBeforePublish / 4, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportPublishErrorsAsync(PreviewRender render)
    {
        try
        {
            var result = await render.Publishing!.ConfigureAwait(false);
            if (!result.Succeeded && render.Version == Version)
            {
                await ReportErrorsAsync(render).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Superseded by a newer version or stopped.
        }
    }

    private async Task ReportErrorsAsync(PreviewRender render)
    {
        var errors = render.Errors;
        Events.Send(new PreviewEvent("errors", ErrorsJson(render.Version, errors)));
        await _log.WriteLineAsync($"{errors.Length} content error{(errors.Length == 1 ? "" : "s")}; " +
            (render.LeavesOut ? "the preview shows the rest of the site, and the last good render of what is in error:" : "the preview keeps the last good render:")).ConfigureAwait(false);
        foreach (var error in errors)
        {
            await _log.WriteLineAsync("  " + error).ConfigureAwait(false);
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => _debounceTimer?.Change(Debounce, Timeout.InfiniteTimeSpan);

    private async Task ReloadAfterChangeAsync()
    {
        try
        {
            await ReloadAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await _log.WriteLineAsync($"Could not read the content: {exception.Message}").ConfigureAwait(false);
        }
    }

    private sealed class Request(PreviewSite site) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                site.Touch();
                Interlocked.Decrement(ref site._activeRequests);
            }
        }
    }
}
