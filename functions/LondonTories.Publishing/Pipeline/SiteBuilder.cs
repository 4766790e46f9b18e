using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Templates;

namespace LondonTories.Publishing.Pipeline;

/// <summary>Every file of the site for one plan, and the manifest that names them.</summary>
/// <remarks>
/// Its dictionaries are made once per run and read a few times, so they are not frozen (the 30,307
/// paths of the benchmark took 36 ms to freeze and were looked up no faster), nor copied: the digests
/// are the ones the build gathered on many threads, read only once it is done.
/// </remarks>
public sealed record SiteBuild(
    ImmutableArray<OutputFile> Changed,
    OutputFile Manifest,
    bool ManifestChanged,
    IReadOnlyDictionary<string, string> AllFiles,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Every page's true dates, by output path.</summary>
    public IReadOnlyDictionary<string, PageDates> Dates { get; init; } = ImmutableDictionary<string, PageDates>.Empty;

    /// <summary>Files whose bytes the target holds already but which new inputs made (without their bytes): only their keys change.</summary>
    public ImmutableArray<OutputFile> Rekeyed { get; init; } = [];

    /// <summary>
    /// A page's article (its fragment's HTML) as the build has it: rendered by this run, or held by the
    /// target and read back, or rendered again where neither can give it; null when it cannot be had.
    /// </summary>
    public Func<PlannedPage, string?> Article { get; init; } = _ => null;
}

/// <summary>
/// The Outputs step: renders what changed and describes everything as path → bytes. A page whose
/// inputs (page file, seat, layouts, site, the part of the seat's page list its layout read) are
/// unchanged since the target last took it is not rendered again: its digest is the target's.
/// </summary>
public sealed class SiteBuilder(SiteRenderer renderer)
{
    /// <summary>Changes whenever the publishing code changes, so a new release re-renders every page.</summary>
    private static readonly string EngineVersion = typeof(SiteBuilder).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public const string ManifestPath = "web/manifest.json";

    /// <param name="history">When the target first and last published each page: the source of every date the site shows.</param>
    /// <param name="readHeld">The bytes the target holds at a path with a given digest, when it can read them cheaply: a feed takes an unchanged page's article from there.</param>
    /// <param name="stage">Takes each changed file's bytes out of memory as soon as it is rendered, where the target can (<see cref="ISiteTarget.Stage"/>).</param>
    /// <param name="cancellationToken">Stops the rendering between pages: a run stopped (Ctrl+C) does not render the rest of the site first.</param>
    public SiteBuild Build(SitePlan plan, IReadOnlyDictionary<string, TargetEntry> target, IProgress<PublishProgress>? progress = null,
        IReadOnlyDictionary<string, PageHistory>? history = null, Func<string, string, byte[]?>? readHeld = null, Func<OutputFile, OutputFile>? stage = null,
        CancellationToken cancellationToken = default)
    {
        history ??= new Dictionary<string, PageHistory>();
        var diagnostics = new DiagnosticBag();
        var session = renderer.Begin(plan.Content, plan.Seats);
        var changed = new ConcurrentBag<OutputFile>();
        var rekeyed = new ConcurrentBag<OutputFile>();
        var work = plan.Seats.SelectMany(seat => seat.Editions.SelectMany(edition => edition.Pages.Select(page => (seat, edition, page)))).ToList();
        // Sized for every page and fragment and a few files per seat, with a lock for each of several
        // threads: grown from empty, it was resized about ten times, under all its locks, while pages waited.
        var hashes = new ConcurrentDictionary<string, string>(4 * Environment.ProcessorCount, 2 * work.Count + 8 * plan.Seats.Length + 64, StringComparer.Ordinal);
        // The fragments this run rendered, by path, until the feeds have taken them: in memory where the
        // target keeps what it will write in memory anyway; a target that stages files holds them
        // instead, and hands them back through readHeld.
        var fragments = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

        // The file as the target will take it, or null when the target already holds it.
        OutputFile? Emit(OutputFile file)
        {
            hashes[file.Path] = file.Sha256;
            if (!target.TryGetValue(file.Path, out var held) || held.Sha256 != file.Sha256)
            {
                var taken = stage is null ? file : stage(file);
                changed.Add(taken);
                return taken;
            }

            // The same bytes from other inputs (a new engine, a layout change the page does not show):
            // writes are decided by bytes, so only the key is recorded, for the next run to skip it.
            if (held.InputKey != file.InputKey)
            {
                rekeyed.Add(file with { Bytes = [] });
            }

            return null;
        }

        var lists = new ConcurrentDictionary<(string Edition, ListRead Read), string>();
        string KeyOf(SeatEdition edition, PlannedPage page, ListRead read, DateTimeOffset published) =>
            InputKey(plan, edition, page, read, lists.GetOrAdd((edition.HomePath, read), k => session.ListFingerprint(edition, k.Read)), published);

        // Before the pages, so a run that stops at a page hidden by a stylesheet also names the rules that hide the imprint by name.
        ImprintHiddenByStyle(plan.Content, diagnostics);

        var links = new BodyLinks(plan);
        var counter = new ProgressCounter(progress, "render", work.Count);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.ForEach(work, parallel, item =>
        {
            var (seat, edition, page) = item;
            var published = history.TryGetValue(page.Path, out var past) ? past.FirstPublished : plan.Now;
            var fragmentKey = FragmentKey(plan, page);
            var fragmentPath = SiteFeeds.FragmentPath(page);

            // The page is rendered again only when something it read last time has changed: its
            // own inputs, or the part of its seat's page list that its layout looked at.
            if (target.TryGetValue(page.Path, out var held) && held.InputKey is { } heldKey && ReadOf(heldKey) is { } heldRead
                && KeyOf(edition, page, heldRead, published) == heldKey
                && target.TryGetValue(fragmentPath, out var heldFragment) && heldFragment.InputKey == fragmentKey)
            {
                hashes[page.Path] = held.Sha256;
                hashes[fragmentPath] = heldFragment.Sha256;
            }
            else if (session.RenderPageWithFragment(seat, edition, page, diagnostics, published, out var read) is { } rendered)
            {
                links.Collect(page, rendered.Fragment);
                Emit(OutputFile.From(page.Path, Encoding.UTF8.GetBytes(rendered.Html), KeyOf(edition, page, read, published)));
                var fragment = OutputFile.From(fragmentPath, rendered.Fragment, fragmentKey);
                if (Emit(fragment) is { StagedAt: null } || stage is null)
                {
                    fragments[fragmentPath] = fragment.Bytes;
                }
            }

            counter.Step();
        });

        Parallel.ForEach(plan.Seats, parallel, seat =>
        {
            foreach (var edition in seat.Editions)
            {
                // A seat's home lists all its pages, so it is rendered again only when that list or the rest of what it shows changed.
                var key = HomeKey(plan, seat, edition, lists.GetOrAdd((edition.HomePath, WholeList), k => session.ListFingerprint(edition, k.Read)));
                if (target.TryGetValue(edition.HomePath, out var held) && held.InputKey == key)
                {
                    hashes[edition.HomePath] = held.Sha256;
                }
                else if (session.RenderSeatHome(seat, edition, diagnostics) is { } html)
                {
                    Emit(OutputFile.From(edition.HomePath, Encoding.UTF8.GetBytes(html), key));
                }
            }
        });

        // Each seat's old addresses of its pages; loading has made sure none is another page's or a language's.
        foreach (var (page, path) in work.SelectMany(item => RedirectPage.PathsOf(item.page).Select(path => (item.page, path))))
        {
            Emit(OutputFile.From(path, RedirectPage.For(page, plan.Content.Site.Imprint)));
        }

        if (diagnostics.HasErrors)
        {
            return new SiteBuild([], OutputFile.From(ManifestPath, []), false, ImmutableDictionary<string, string>.Empty, diagnostics.ToImmutableSorted());
        }

        var dates = new Dictionary<string, PageDates>(work.Count, StringComparer.Ordinal);

        // A feed lists every page of its seat, most of them unchanged when one is edited: their
        // articles come from this run's rendering or from what the target holds, rendered only when neither has them.
        string? ArticleOf(SeatPlan seat, PlannedPage page)
        {
            var path = SiteFeeds.FragmentPath(page);
            var bytes = fragments.TryGetValue(path, out var kept) ? kept : Held(path, hashes[path]);
            return bytes is not null ? Encoding.UTF8.GetString(bytes) : session.RenderFragment(seat, page, diagnostics);
        }

        // The bytes the target holds at a path, only when they are the ones with the digest this run expects there.
        byte[]? Held(string path, string sha256) => readHeld?.Invoke(path, sha256);

        void WriteFeeds()
        {
            var feeds = new SiteFeeds(plan, ArticleOf, dates, hashes, EngineVersion);
            Parallel.ForEach(feeds.All(), feed =>
            {
                var atom = target.GetValueOrDefault(feed.Paths.AtomPath);
                var json = target.GetValueOrDefault(feed.Paths.JsonPath);
                if (atom?.InputKey == feed.Key && json?.InputKey == feed.Key)
                {
                    hashes[feed.Paths.AtomPath] = atom.Sha256;
                    hashes[feed.Paths.JsonPath] = json.Sha256;
                    return;
                }

                // The feed as published, both formats under one key, so its unchanged entries can be kept.
                var held = atom is { InputKey: { } key } && json?.InputKey == key
                    && Held(feed.Paths.AtomPath, atom.Sha256) is { } atomBytes && Held(feed.Paths.JsonPath, json.Sha256) is { } jsonBytes
                        ? new HeldFeed(atomBytes, jsonBytes, key)
                        : null;
                if (feeds.Write(feed, held) is { } written)
                {
                    Emit(OutputFile.From(feed.Paths.AtomPath, written.Atom, feed.Key));
                    Emit(OutputFile.From(feed.Paths.JsonPath, written.Json, feed.Key));
                }
            });
        }

        // The hub and the not-found page show no page's text, so an edit to a page leaves them as the
        // target holds them: rendered again only when what their layouts are given, or the layouts, change.
        void RenderHubAndNotFound()
        {
            RenderUnlessHeld("web/index.html", session.HubModelDigest(), session.RenderHub);
            RenderUnlessHeld("web/404.html", session.NotFoundModelDigest(), session.RenderNotFound);
        }

        void RenderUnlessHeld(string path, string? model, Func<DiagnosticBag, string?> render)
        {
            var key = model is null ? null : SitePageKey(plan, model);
            if (key is not null && target.TryGetValue(path, out var held) && held.InputKey == key)
            {
                hashes[path] = held.Sha256;
            }
            else if (render(diagnostics) is { } html)
            {
                Emit(OutputFile.From(path, Encoding.UTF8.GetBytes(html), key));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var manifestDraft = Task.Run(() => new ManifestDraft(plan, hashes));

        // The indexes each take the pages' dates and digests and nothing from one another, and the
        // sitemap and the hub are each written on one thread: side by side, each keeps a core busy
        // while another index waits for its last seat.
        Parallel.Invoke(
            () =>
            {
                foreach (var page in plan.Seats.SelectMany(s => s.AllPages))
                {
                    dates[page.Path] = PageDates.For(history.GetValueOrDefault(page.Path), hashes[SiteFeeds.FragmentPath(page)], plan.Now);
                }

                Parallel.Invoke(
                    () => Parallel.ForEach(plan.Seats, seat => Emit(OutputFile.From($"web/{seat.Seat.Slug}/pages.json", PagesJson(plan, seat, hashes, dates)))),
                    WriteFeeds,
                    () => Emit(OutputFile.From("web/sitemap.xml", Sitemap(plan, dates))));
            },
            RenderHubAndNotFound);

        // Static files last, so each can be checked against every path the site generates; every check
        // runs ('|', not '||'), so one run names every problem.
        if (StaticCollisions(plan.Content, hashes.Keys.Append(ManifestPath), diagnostics) | ActiveStaticFiles.Report(plan.Content, diagnostics))
        {
            return new SiteBuild([], OutputFile.From(ManifestPath, []), false, ImmutableDictionary<string, string>.Empty, diagnostics.ToImmutableSorted());
        }

        foreach (var (path, bytes) in StaticFiles(plan.Content))
        {
            Emit(OutputFile.From("web/" + path, bytes));
        }

        // Only the pages rendered again are read: a link in a page left as it was is checked when a
        // run renders that page, and by every validation, which renders them all.
        links.Report(hashes, diagnostics);
        var manifest = OutputFile.From(ManifestPath, manifestDraft.Result.Finish(hashes));
        var seats = plan.Seats.ToDictionary(s => s.Seat.Slug, StringComparer.Ordinal);
        hashes[manifest.Path] = manifest.Sha256;

        // Every path is there once, so an unstable sort gives the same order, in a fraction of the time
        // a stable one takes over a full publish's 30,000 files. The digests are complete now and only
        // read from here on: handed over as they are, not copied into a second dictionary first.
        return new SiteBuild(
            [.. ByPath(changed)],
            manifest,
            !target.TryGetValue(manifest.Path, out var heldManifest) || heldManifest.Sha256 != manifest.Sha256,
            hashes,
            diagnostics.ToImmutableSorted())
        {
            Dates = dates,
            Rekeyed = [.. ByPath(rekeyed)],
            Article = page => seats.TryGetValue(page.Seat.Slug, out var seat) && hashes.ContainsKey(SiteFeeds.FragmentPath(page)) ? ArticleOf(seat, page) : null,
        };
    }

    private static OutputFile[] ByPath(IEnumerable<OutputFile> files)
    {
        var sorted = files.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return sorted;
    }

    /// <summary>
    /// Everything a page's rendering reads, as one digest, prefixed with how much of the seat's page
    /// list it covers: a page whose layout shows only the first few entries does not change when a
    /// page is added further down. The stylesheets' hiding rules count as read: the page is checked
    /// against them, so a new one that hides its imprint stops the run.
    /// </summary>
    private static string InputKey(SitePlan plan, SeatEdition edition, PlannedPage page, ListRead read, string listFingerprint, DateTimeOffset published)
    {
        var text = new TextDigest();
        foreach (var part in (ReadOnlySpan<string>)[EngineVersion, plan.Content.Fingerprint, plan.Content.StringsFingerprint(page.Language), page.Seat.Fingerprint, page.File.Hash, page.Original.Hash,
                     page.Language, page.Url, edition.HomeUrl, listFingerprint, Rfc3339.Format(published)])
        {
            text.Append(part).Append('\n');
        }

        // Only where a stylesheet hides something: a site without such a rule keeps its pages' keys.
        if (ImprintStyles.For(plan.Content).Digest is { Length: > 0 } styles)
        {
            text.Append(styles).Append('\n');
        }

        foreach (var translation in page.Translations)
        {
            text.Append(translation.Language).Append('\0').Append(translation.Title).Append('\0').Append(translation.Url).Append('\n');
        }

        return text.ToHex(prefix: read.ToString());
    }

    private static readonly ListRead WholeList = new(0, false, true);

    /// <summary>What a seat's home shows: the site's settings and layouts, the words of its language, the seat, its editions and the whole of the edition's page list; and the stylesheets' hiding rules it is checked against.</summary>
    private static string HomeKey(SitePlan plan, SeatPlan seat, SeatEdition edition, string listFingerprint) => Hashing.Sha256Hex(string.Join('\n',
        EngineVersion, plan.Content.Fingerprint, plan.Content.StringsFingerprint(edition.Language), seat.Seat.Fingerprint, edition.Language, edition.HomeUrl, listFingerprint,
        string.Join('\0', seat.Editions.Select(e => $"{e.Language} {e.HomeUrl}"))) + ImprintStyles.For(plan.Content).Digest);

    /// <summary>What a page of the whole site (the hub, the not-found page) shows: the digest of what its layout is given, the site's settings and layouts, and the stylesheets' hiding rules it is checked against.</summary>
    private static string SitePageKey(SitePlan plan, string model) =>
        Hashing.Sha256Hex(string.Join('\n', EngineVersion, plan.Content.Fingerprint, model, ImprintStyles.For(plan.Content).Digest));

    /// <summary>What a page's article depends on: not the seat's list of pages, which only the page around it shows.</summary>
    private static string FragmentKey(SitePlan plan, PlannedPage page) => new TextDigest()
        .Append(EngineVersion).Append('\n').Append(plan.Content.Fingerprint).Append('\n').Append(page.Seat.Fingerprint).Append('\n')
        .Append(page.File.Hash).Append('\n').Append(page.Original.Hash).Append('\n').Append(page.Language).Append('\n').Append(page.Url).ToHex();

    private static ListRead? ReadOf(string inputKey)
    {
        var colon = inputKey.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && ListRead.TryParse(inputKey.AsSpan(0, colon), out var read) ? read : null;
    }

    /// <summary>
    /// Reports every file under static/ whose path is one the site generates, or a folder of one, or
    /// lies inside one: which of the two won would change from run to run, and a static copy of a page
    /// would skip the sanitiser and the imprint check. True when there is any.
    /// </summary>
    private static bool StaticCollisions(SiteContent content, IEnumerable<string> generated, DiagnosticBag diagnostics)
    {
        if (content.StaticFiles.IsEmpty)
        {
            // Most sites have no static files of their own, and the sets below name every file and folder of the site.
            return false;
        }

        // Without regard to case: copied to a Windows or macOS folder, a static file whose path differs
        // from the site's own only in case replaces it.
        var files = generated.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var folders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var folderLookup = folders.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var file in files)
        {
            // A folder already known brought its own folders with it.
            for (var slash = file.LastIndexOf('/'); slash > 0 && folderLookup.Add(file.AsSpan(0, slash)); slash = file.LastIndexOf('/', slash - 1))
            {
            }
        }

        // Every page's folder for every seat, due or not and for the seat or not: a static file there
        // would stand in for the page, imprint and all, until the page came, and then stop every seat's publish.
        var pageFolders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var seat in content.Constituencies)
        {
            foreach (var page in content.Pages)
            {
                pageFolders.TryAdd("web" + PageChoice.Root(seat, page.Slug, page.Language ?? content.Site.Language, content.Site).TrimEnd('/'), page.Slug);
            }
        }

        var displayRoot = content.DisplayRoot;
        var found = false;

        // Two of the editors' own files alike but for case or for how an accent is encoded: wherever one
        // is written over the other (a Windows or macOS folder), which one the site shows depends on the order of writing.
        var firstAlike = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in content.StaticFiles.Select(f => f.Path).Order(StringComparer.Ordinal))
        {
            var alike = StaticPaths.Composed(file);
            if (!firstAlike.TryAdd(alike, file))
            {
                var first = firstAlike[alike];
                found = true;
                var how = string.Equals(first, file, StringComparison.OrdinalIgnoreCase) ? "upper and lower case" : "how its accents are encoded";
                diagnostics.Error(SourceLocation.StartOf(displayRoot + file), "static-collision",
                    $"{file} and {first} differ only in {how}, so on a Windows or macOS folder one replaces the other.",
                    "Rename or delete one of them.");
            }
        }

        foreach (var file in content.StaticFiles)
        {
            var path = "web/" + file.Path["static/".Length..];
            var clashing = files.TryGetValue(path, out var same) ? same
                : folders.Contains(path) ? files.Where(f => f.StartsWith(path + "/", StringComparison.OrdinalIgnoreCase)).Min(StringComparer.Ordinal)
                : FoldersOf(path).Select(f => files.TryGetValue(f, out var made) ? made : null).FirstOrDefault(made => made is not null);
            var clash = clashing is not null ? $"/{clashing["web/".Length..]}"
                : FoldersOf(path).Prepend(path).FirstOrDefault(pageFolders.ContainsKey) is { } pageFolder ? $"page '{pageFolders[pageFolder]}'"
                : null;
            if (clash is not null)
            {
                found = true;
                var inCase = clashing is not null && !path.StartsWith(clashing, StringComparison.Ordinal) && !clashing.StartsWith(path + "/", StringComparison.Ordinal)
                    ? ", a path that differs only in upper and lower case"
                    : string.Empty;
                diagnostics.Error(SourceLocation.StartOf(displayRoot + file.Path), "static-collision",
                    $"{file.Path} would be published at /{path["web/".Length..]}, where the site publishes its own {clash}{inCase}.",
                    "Move or rename the file: static/ is for assets such as static/assets/logo.svg, never for pages or indexes.");
            }
        }

        // A static file under a folder named as another static file, the built-in assets included: no folder holds both, so every write failed.
        var staticFiles = BuiltInStaticPaths.Concat(content.StaticFiles.Select(f => f.Path["static/".Length..])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var file in content.StaticFiles)
        {
            var path = file.Path["static/".Length..];
            if (FoldersOf(path).FirstOrDefault(staticFiles.Contains) is { } folder)
            {
                found = true;
                staticFiles.TryGetValue(folder, out var asset);
                diagnostics.Error(SourceLocation.StartOf(displayRoot + file.Path), "static-collision",
                    $"{file.Path} would be published under /{folder}/, where the site publishes its own file /{asset}.",
                    $"Move the file to a folder of its own, e.g. static/images/{Path.GetFileName(path)}.");
            }
        }

        return found;
    }

    /// <summary>
    /// Reports every rule of the content's stylesheets and of its layouts' style elements that hides the
    /// imprint by its class or id, wherever it is used: each page would pass its own check while no reader
    /// saw the imprint. Rules that reach it otherwise are tried on each page as it is rendered; a hiding
    /// rule whose selector cannot be read for that is a warning.
    /// </summary>
    private static void ImprintHiddenByStyle(SiteContent content, DiagnosticBag diagnostics)
    {
        var displayRoot = content.DisplayRoot;
        // Each stylesheet within its file: a whole .css file, or a style element at its place in a layout.
        var sheets = content.StaticFiles.Where(f => f.Path.EndsWith(".css", StringComparison.OrdinalIgnoreCase))
            .Select(f =>
            {
                var css = Encoding.UTF8.GetString(f.Bytes);
                return (File: css, Css: css, Offset: 0, At: SourceLocation.StartOf(displayRoot + f.Path));
            })
            .Concat(content.Layouts.Names.Select(n => content.Layouts[n]).Where(l => !l.Origin.Path.StartsWith(LayoutSet.BuiltInPrefix, StringComparison.Ordinal))
                .SelectMany(l => StyleSheets.StyleElements(l.Source).Select(e => (File: l.Source, e.Css, e.Offset, At: l.Origin))));
        foreach (var (file, css, offset, at) in sheets)
        {
            foreach (var (ruleOffset, selector) in StyleSheets.ImprintHidden(css))
            {
                var line = at.Line + StyleSheets.LineOf(file, offset + ruleOffset) - 1;
                diagnostics.Error(new SourceLocation(at.Path, line, 1), "imprint-hidden-by-style",
                    $"the rule for '{selector}' hides the imprint on every page that uses it (removed, faded, shrunk, clipped, moved out of view or reordered).",
                    "Style the imprint so it can be read: the law asks for it on every page, not merely in its markup.");
            }
        }

        foreach (var (at, selector) in ImprintStyles.For(content).Unread)
        {
            diagnostics.Warning(at, "imprint-style-unchecked",
                $"the rule for '{selector}' hides what it selects, but its selector cannot be read here, so whether it hides the imprint or an element around it was not checked.",
                "Write the selector with plain type, class, id and attribute selectors and the usual pseudo-classes, or check by hand that it never reaches the imprint.");
        }
    }

    private static IEnumerable<string> FoldersOf(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            yield return path[..slash];
        }
    }

    /// <summary>The built-in assets' paths below static/, such as assets/site.css.</summary>
    private static readonly string[] BuiltInStaticPaths = [.. typeof(SiteBuilder).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("static/", StringComparison.Ordinal)).Select(n => n["static/".Length..])];

    /// <summary>The static files the site publishes under web/: the built-in ones, overridden by the content's own static/.</summary>
    public static IEnumerable<(string Path, byte[] Bytes)> StaticFiles(SiteContent content)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var assembly = typeof(SiteBuilder).Assembly;
        foreach (var path in BuiltInStaticPaths)
        {
            using var stream = assembly.GetManifestResourceStream("static/" + path)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            files[path] = memory.ToArray();
        }

        foreach (var file in content.StaticFiles)
        {
            files[file.Path["static/".Length..]] = file.Bytes;
        }

        return files.Select(f => (f.Key, f.Value));
    }

    // Written field by field, in the order and with the names associations have always read: a run
    // writes a pages.json per seat and the manifest, which name every page, and a serialiser over
    // records built for the purpose cost several times as much.
    private static byte[] PagesJson(SitePlan plan, SeatPlan seat, ConcurrentDictionary<string, string> hashes, IReadOnlyDictionary<string, PageDates> dates) => Index(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject(Names.Constituency);
        writer.WriteString(Names.Slug, seat.Seat.Slug);
        writer.WriteString(Names.Name, seat.Seat.Name);
        writer.WriteString(Names.GssCode, seat.Seat.GssCode);
        writer.WriteString(Names.Url, seat.Main.HomeUrl);
        writer.WriteStartArray(Names.Languages);
        foreach (var edition in seat.Editions)
        {
            writer.WriteStringValue(edition.Language);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(Names.Feeds);
        foreach (var edition in seat.Editions)
        {
            var paths = FeedPaths.For(edition);
            writer.WriteStartObject();
            writer.WriteString(Names.Language, edition.Language);
            writer.WriteString(Names.Atom, paths.AtomUrl);
            writer.WriteString(Names.Json, paths.JsonUrl);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray(Names.Pages);
        foreach (var page in seat.AllPages)
        {
            if (!hashes.TryGetValue(page.Path, out var sha256))
            {
                continue;
            }

            var pageDates = dates[page.Path];
            writer.WriteStartObject();
            writer.WriteString(Names.Slug, page.Slug);
            writer.WriteStartArray(Names.Aliases);
            foreach (var alias in page.Original.Aliases)
            {
                writer.WriteStringValue(alias.Slug);
            }

            writer.WriteEndArray();
            writer.WriteString(Names.Language, page.Language);
            writer.WriteString(Names.Title, page.Title);
            writer.WriteString(Names.Summary, page.Summary);
            writer.WriteString(Names.Url, page.Url);
            writer.WriteString(Names.Path, page.Path.AsSpan("web/".Length));
            writer.WriteString(Names.Sha256, sha256);
            writer.WriteString(Names.Published, Rfc3339.Format(pageDates.Published));
            writer.WriteString(Names.Updated, Rfc3339.Format(pageDates.Updated));
            writer.WriteString(Names.Expires, page.File.ExpireAt is { } expires ? Rfc3339.Format(expires) : null);
            writer.WriteNumber(Names.Weight, page.File.Weight);
            var (image, alt) = PageImage.CardFor(page.File, plan.Content.Site);
            writer.WriteString(Names.Image, image);
            writer.WriteString(Names.ImageAlt, alt);
            writer.WriteString(Names.Fragment, SiteFeeds.FragmentUrl(page));
            writer.WriteString(Names.Etag, $"\"{sha256}\"");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>
    /// The manifest, begun once every page's digest is known and finished once every file's is: its
    /// pages, and the order of the files there by then, need nothing the indexes make, so they are
    /// written on a core the indexes leave idle. Finished, it is exactly what one pass would write.
    /// </summary>
    private sealed class ManifestDraft
    {
        private readonly ArrayBufferWriter<byte> _buffer;
        private readonly Utf8JsonWriter _writer;
        private readonly HashSet<string> _pagePaths = new(StringComparer.Ordinal);
        private readonly HashSet<string> _known = new(StringComparer.Ordinal);
        private readonly string[] _knownInOrder;

        private static ArrayBufferWriter<byte>? _spareBuffer;

        public ManifestDraft(SitePlan plan, IReadOnlyDictionary<string, string> hashes)
        {
            // About 170 bytes a file: sized once, not grown through copies of megabytes, and kept for the next build.
            _buffer = Interlocked.Exchange(ref _spareBuffer, null) ?? new ArrayBufferWriter<byte>(Math.Max(64 * 1024, 180 * hashes.Count));
            _writer = new Utf8JsonWriter(_buffer, IndexWriting);
            var site = plan.Content.Site;
            _writer.WriteStartObject();
            _writer.WriteStartObject(Names.Site);
            _writer.WriteString(Names.Title, site.Title);
            _writer.WriteString(Names.BaseUrl, site.BaseUrl);
            _writer.WriteString(Names.Language, site.Language);
            _writer.WriteEndObject();
            _writer.WriteStartArray(Names.Constituencies);
            foreach (var seat in plan.Seats)
            {
                _writer.WriteStartObject();
                _writer.WriteString(Names.Slug, seat.Seat.Slug);
                _writer.WriteString(Names.Name, seat.Seat.Name);
                _writer.WriteString(Names.Url, seat.Main.HomeUrl);
                _writer.WriteString(Names.PagesJson, $"{seat.Seat.Slug}/pages.json");
                _writer.WriteStartArray(Names.Pages);
                foreach (var page in seat.AllPages)
                {
                    _pagePaths.Add(page.Path);
                    if (hashes.TryGetValue(page.Path, out var sha256))
                    {
                        _writer.WriteStartObject();
                        _writer.WriteString(Names.Slug, page.Slug);
                        _writer.WriteString(Names.Language, page.Language);
                        _writer.WriteString(Names.Path, page.Path.AsSpan("web/".Length));
                        _writer.WriteString(Names.Sha256, sha256);
                        _writer.WriteEndObject();
                    }
                }

                _writer.WriteEndArray();
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
            foreach (var path in hashes.Keys)
            {
                if (path != ManifestPath && !_pagePaths.Contains(path))
                {
                    _known.Add(path);
                }
            }

            _knownInOrder = [.. _known];
            Array.Sort(_knownInOrder, StringComparer.Ordinal);
        }

        /// <summary>The whole manifest, its other files the ones known when it was begun and those made since, in one order.</summary>
        public byte[] Finish(IReadOnlyDictionary<string, string> hashes)
        {
            var later = hashes.Keys.Where(path => path != ManifestPath && !_pagePaths.Contains(path) && !_known.Contains(path)).ToArray();
            Array.Sort(later, StringComparer.Ordinal);
            _writer.WriteStartObject(Names.OtherFiles);
            int k = 0, l = 0;
            while (k < _knownInOrder.Length || l < later.Length)
            {
                var path = l == later.Length || (k < _knownInOrder.Length && string.CompareOrdinal(_knownInOrder[k], later[l]) < 0) ? _knownInOrder[k++] : later[l++];
                _writer.WriteString(path.AsSpan("web/".Length), hashes[path]);
            }

            _writer.WriteEndObject();
            _writer.WriteEndObject();
            _writer.Dispose();
            var manifest = _buffer.WrittenSpan.ToArray();
            _buffer.ResetWrittenCount();
            _spareBuffer = _buffer;
            return manifest;
        }
    }

    /// <summary>The indexes' field names, escaped once rather than for every page of every seat.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Atom = JsonEncodedText.Encode("atom");

        public static readonly JsonEncodedText BaseUrl = JsonEncodedText.Encode("base_url");

        public static readonly JsonEncodedText Constituencies = JsonEncodedText.Encode("constituencies");

        public static readonly JsonEncodedText Constituency = JsonEncodedText.Encode("constituency");

        public static readonly JsonEncodedText Etag = JsonEncodedText.Encode("etag");

        public static readonly JsonEncodedText Expires = JsonEncodedText.Encode("expires");

        public static readonly JsonEncodedText Feeds = JsonEncodedText.Encode("feeds");

        public static readonly JsonEncodedText Fragment = JsonEncodedText.Encode("fragment");

        public static readonly JsonEncodedText GssCode = JsonEncodedText.Encode("gss_code");

        public static readonly JsonEncodedText Image = JsonEncodedText.Encode("image");
        public static readonly JsonEncodedText ImageAlt = JsonEncodedText.Encode("image_alt");
        public static readonly JsonEncodedText Aliases = JsonEncodedText.Encode("aliases");

        public static readonly JsonEncodedText Json = JsonEncodedText.Encode("json");

        public static readonly JsonEncodedText Language = JsonEncodedText.Encode("language");

        public static readonly JsonEncodedText Languages = JsonEncodedText.Encode("languages");

        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");

        public static readonly JsonEncodedText OtherFiles = JsonEncodedText.Encode("other_files");

        public static readonly JsonEncodedText Pages = JsonEncodedText.Encode("pages");

        public static readonly JsonEncodedText PagesJson = JsonEncodedText.Encode("pages_json");

        public static readonly JsonEncodedText Path = JsonEncodedText.Encode("path");

        public static readonly JsonEncodedText Published = JsonEncodedText.Encode("published");

        public static readonly JsonEncodedText Sha256 = JsonEncodedText.Encode("sha256");

        public static readonly JsonEncodedText Site = JsonEncodedText.Encode("site");

        public static readonly JsonEncodedText Slug = JsonEncodedText.Encode("slug");

        public static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");

        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");

        public static readonly JsonEncodedText Updated = JsonEncodedText.Encode("updated");

        public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");

        public static readonly JsonEncodedText Weight = JsonEncodedText.Encode("weight");
    }

    // With the encoder the indexes have always had: every script as written, not as \u escapes.
    private static readonly JsonWriterOptions IndexWriting = new() { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // A buffer per thread, kept between indexes: grown afresh for each, a seat's pages.json passed
    // through three discarded large-object buffers on its way to its size, and the manifest through seven.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _indexBuffer;

    [ThreadStatic]
    private static MemoryStream? _sitemapBuffer;

    private static byte[] Index(Action<Utf8JsonWriter> write)
    {
        var buffer = _indexBuffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, IndexWriting))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Sitemap(SitePlan plan, IReadOnlyDictionary<string, PageDates> dates)
    {
        // The latest update of the pages, the first of equal instants; a loop, not a query per page:
        // the sitemap names every page of every seat, and a query each was half of its time.
        string? LastModified(ReadOnlySpan<PlannedPage> pages)
        {
            var latest = default(DateTimeOffset);
            foreach (var page in pages)
            {
                if (dates[page.Path].Updated is var updated && updated > latest)
                {
                    latest = updated;
                }
            }

            return latest != default ? Rfc3339.Format(latest) : null;
        }

        const string SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
        const string XhtmlNs = "http://www.w3.org/1999/xhtml";
        var memory = _sitemapBuffer ??= new MemoryStream();
        memory.SetLength(0);
        using (var writer = XmlWriter.Create(memory, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("urlset", SitemapNs);
            writer.WriteAttributeString("xmlns", "xhtml", null, XhtmlNs);
            writer.WriteStartElement("url", SitemapNs);
            writer.WriteElementString("loc", SitemapNs, plan.Content.Site.UrlFor("/"));
            WriteLastModified(LastModified([.. plan.Seats.SelectMany(s => s.AllPages)]));
            writer.WriteEndElement();
            foreach (var seat in plan.Seats)
            {
                foreach (var edition in seat.Editions)
                {
                    writer.WriteStartElement("url", SitemapNs);
                    writer.WriteElementString("loc", SitemapNs, edition.HomeUrl);
                    WriteLastModified(LastModified(edition.Pages.AsSpan()));
                    writer.WriteEndElement();
                    foreach (var page in edition.Pages)
                    {
                        writer.WriteStartElement("url", SitemapNs);
                        writer.WriteElementString("loc", SitemapNs, page.Url);
                        WriteLastModified(LastModified(new ReadOnlySpan<PlannedPage>(in page)));
                        if (page.Translations.Length > 1)
                        {
                            foreach (var translation in page.Translations)
                            {
                                writer.WriteStartElement("xhtml", "link", XhtmlNs);
                                writer.WriteAttributeString("rel", "alternate");
                                writer.WriteAttributeString("hreflang", translation.Language);
                                writer.WriteAttributeString("href", translation.Url);
                                writer.WriteEndElement();
                            }
                        }

                        writer.WriteEndElement();
                    }
                }
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();

            void WriteLastModified(string? at)
            {
                if (at is not null)
                {
                    writer.WriteElementString("lastmod", SitemapNs, at);
                }
            }
        }

        return memory.ToArray();
    }
}
