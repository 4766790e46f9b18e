using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LondonTories.Benchmarks;
using LondonTories.Publishing;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

// Measures a full publish of the synthetic corpus to a fresh folder, a no-op publish, a one-page
// edit, adding and removing one London-wide page, and peak memory; with Hugo on PATH, it builds the
// same corpus as a Hugo site in the same runs, alternating with LondonTories, and prints the ratios;
// last, the preview's first answers and saved edits, beside Hugo's server.
// Run: dotnet run -c Release --project tests/LondonTories.Benchmarks [-- --pages 200 --runs 3 --dir /dev/shm --keep <folder> --first-only --cli tools/londontories/londontories]
var pages = ReadInt("--pages", 200);
var runs = ReadInt("--runs", 3);
var withHugo = !args.Contains("--no-hugo") && HugoSite.IsInstalled;
var keep = ReadString("--keep");
var root = FindRepositoryRoot();
// A RAM disk takes the file system's noise out of the comparison; creating files shortly after
// deleting many is slow and erratic on a disk for any generator.
var parent = ReadString("--dir") ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
var work = Directory.CreateDirectory(Path.Combine(parent, $"londontories-bench-{Guid.NewGuid():N}")).FullName;
var contentDir = Path.Combine(work, "content");
var siteYaml = File.ReadAllText(Path.Combine(root, "content", "site.yaml"));
var constituenciesYaml = File.ReadAllText(Path.Combine(root, "content", "constituencies.yaml"));
CorpusGenerator.Write(contentDir, siteYaml, constituenciesYaml, pages);

using var services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
var publisher = services.GetRequiredService<Publisher>();
var folders = services.GetRequiredService<FolderPublisher>();
var source = new FolderContentSource(contentDir);
var options = new PublishOptions { Now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), Force = true };
var hugoDir = Path.Combine(work, "hugo");
var hugoContent = withHugo ? await publisher.LoadAsync(source, CancellationToken.None) : null;
if (hugoContent is not null)
{
    HugoSite.Write(hugoDir, hugoContent, pages);
}

// The first publish in a fresh process is what a single `publish` does: its time includes the JIT,
// and its peak memory is the figure that matters to a user.
var coldStart = Stopwatch.GetTimestamp();
var coldCpuBefore = CpuSeconds();
var steps = new StepClock(coldStart, coldCpuBefore);
var first = await folders.PublishAsync(source, new LocalFolderTarget(Path.Combine(work, "first")), options with { Progress = steps }, CancellationToken.None);
var cold = Stopwatch.GetElapsedTime(coldStart).TotalSeconds;
var coldCpu = CpuSeconds() - coldCpuBefore;
steps.Mark("end");
double coldPeak;
using (var process = Process.GetCurrentProcess())
{
    coldPeak = process.PeakWorkingSet64 / (1024.0 * 1024.0);
}

var digest = OutputDigest(Path.Combine(work, "first"));
var outputMb = Directory.EnumerateFiles(Path.Combine(work, "first", "web"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / (1024.0 * 1024.0);
if (keep is not null)
{
    CopyFolder(contentDir, Path.Combine(keep, "content"));
    CopyFolder(Path.Combine(work, "first", "web"), Path.Combine(keep, "web"));
}

Directory.Delete(Path.Combine(work, "first"), recursive: true);
if (args.Contains("--first-only"))
{
    Directory.Delete(work, recursive: true);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Output digest {digest}\nfirst full publish in a fresh process {cold:0.000} s wall, {coldCpu:0.000} s CPU, peak working set {coldPeak:0} MB, {first.Written:N0} files, {outputMb:0} MB\n{steps}"));
    return 0;
}

var measures = new Dictionary<string, List<(double Wall, double Cpu, int Written, double AllocatedMb)>>();
var hugo = new List<(double Wall, double Cpu, double PeakMb)>();
var addExpected = 0;
StepClock? editSteps = null;
StepClock? fullSteps = null;
for (var run = 0; run < runs; run++)
{
    var outDir = Path.Combine(work, $"out-{run}");
    CorpusGenerator.Write(contentDir, siteYaml, constituenciesYaml, pages);
    fullSteps = new StepClock(Stopwatch.GetTimestamp(), CpuSeconds());
    var full = await Measure("full publish", () => folders.PublishAsync(source, new LocalFolderTarget(outDir), options with { Progress = fullSteps }, CancellationToken.None));
    fullSteps.Mark("end");
    if (withHugo)
    {
        hugo.Add(HugoSite.Build(hugoDir, Path.Combine(work, $"hugo-out-{run}")));
        Directory.Delete(Path.Combine(work, $"hugo-out-{run}"), recursive: true);
    }

    var noOp = await Measure("no-op publish", () => folders.PublishAsync(source, new LocalFolderTarget(outDir), options, CancellationToken.None));
    File.WriteAllText(Path.Combine(contentDir, "pages", "topic-7", "page-007.md"), CorpusGenerator.Page(7, edit: run + 1));
    editSteps = new StepClock(Stopwatch.GetTimestamp(), CpuSeconds());
    var edit = await Measure("one-page edit", () => folders.PublishAsync(source, new LocalFolderTarget(outDir), options with { Progress = editSteps }, CancellationToken.None));
    editSteps.Mark("end");

    // A London-wide page placed last on every seat's list: its own page per seat and the indexes that list it change, nothing else.
    var added = Path.Combine(contentDir, "pages", "london-wide.md");
    File.WriteAllText(added, $"---\ntitle: London-wide notice {run}\nweight: {pages + 1}\n---\nFor every seat in London.\n");
    var add = await Measure("add a London-wide page", () => folders.PublishAsync(source, new LocalFolderTarget(outDir), options, CancellationToken.None));
    // Per seat: the page, its fragment, the home, pages.json and the seat's Atom and JSON feeds;
    // then the London feeds, the sitemap and the manifest.
    addExpected = (full.Seats * 6) + 4;
    File.Delete(added);
    var remove = await Measure("remove that page", () => folders.PublishAsync(source, new LocalFolderTarget(outDir), options, CancellationToken.None));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1}: full {Last("full publish")} ({full.Written} files){(withHugo ? $", hugo {hugo[^1].Wall:0.000} s" : string.Empty)}, " +
        $"no-op {Last("no-op publish")} ({noOp.Written} written), edit {Last("one-page edit")} ({edit.Written} written), " +
        $"add {Last("add a London-wide page")} ({add.Written} written), remove {Last("remove that page")} ({remove.Written} written, {remove.Deleted} deleted)"));
    Directory.Delete(outDir, recursive: true);
}

// With --cli, the CLI as a user runs it, a fresh process each time (the precompiled program that
// `dotnet publish functions/LondonTories.Cli -o tools/londontories` makes): a full publish to a new
// folder, then publishes with nothing to do and one-page edits, each timed from start to exit.
var cliReport = string.Empty;
if (ReadString("--cli") is { } cli)
{
    CorpusGenerator.Write(contentDir, siteYaml, constituenciesYaml, pages);
    var cliOut = Path.Combine(work, "cli-out");
    var cliFull = RunCli(cli, contentDir, cliOut);
    var cliNoOps = new List<double>();
    var cliEdits = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        cliNoOps.Add(RunCli(cli, contentDir, cliOut));
        File.WriteAllText(Path.Combine(contentDir, "pages", "topic-7", "page-007.md"), CorpusGenerator.Page(7, edit: 100 + run));
        cliEdits.Add(RunCli(cli, contentDir, cliOut));
    }

    // Hugo is a fresh process each time too: beside the CLI's full publish, its median is the like-for-like peer.
    var cliOfHugo = withHugo ? string.Create(CultureInfo.InvariantCulture, $" ({cliFull / Median(hugo.Select(h => h.Wall)):0.00} of Hugo's median)") : string.Empty;
    cliReport = string.Create(CultureInfo.InvariantCulture,
        $"the CLI, a fresh process each time, start to exit: full publish {cliFull:0.00} s{cliOfHugo}, no-op {Median(cliNoOps):0.00} s ({100 * Median(cliNoOps) / cliFull:0.0}% of it), one-page edit {Median(cliEdits):0.00} s ({100 * Median(cliEdits) / cliFull:0.0}%); no-ops {string.Join(", ", cliNoOps.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s, edits {string.Join(", ", cliEdits.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s");
}

// The preview as an editor starts it, a process of its own (the precompiled CLI with --cli), and
// Hugo's own server on its copy of the corpus: the first answers, then saves of one seat's page.
const int PreviewEdits = 5;
var page7 = Path.Combine(contentDir, "pages", "topic-7", "page-007.md");
string[] previewArguments = ["preview", "--content", contentDir, "--port", "{port}", "--now", "2026-11-30T12:00:00Z"];
var previewCli = ReadString("--cli");
var preview = await PreviewTiming.MeasureAsync(
    previewCli ?? "dotnet",
    previewCli is null ? [Path.Combine(AppContext.BaseDirectory, "londontories.dll"), .. previewArguments] : previewArguments,
    "/battersea/page-007/",
    edit => File.WriteAllText(page7, CorpusGenerator.Page(7, edit: 1000 + edit)),
    edit => $"Revision {1000 + edit}.",
    PreviewEdits);
var hugoServer = hugoContent is null ? null : await PreviewTiming.MeasureAsync(
    HugoSite.ExecutablePath,
    ["server", "--source", hugoDir, "--port", "{port}", "--bind", "127.0.0.1"],
    "/battersea/page-007/",
    edit => HugoSite.WritePage(hugoDir, hugoContent, "battersea", 7, 1000 + edit),
    edit => $"Revision {1000 + edit}.",
    PreviewEdits);
var previewReport = string.Create(CultureInfo.InvariantCulture,
    $"the preview ({(previewCli is null ? "dotnet londontories.dll preview" : "the CLI's preview")}), a process of its own: first answer {preview.FirstResponse:0.00} s after starting it, a seat's page {preview.FirstPage:0.00} s; a saved page served with its new text after {preview.MedianEdit:0} ms (median; {string.Join(", ", preview.Edits.Select(e => e.ToString("0", CultureInfo.InvariantCulture)))} ms)")
    + (hugoServer is null ? string.Empty : string.Create(CultureInfo.InvariantCulture,
        $"\nhugo server on the same corpus: first answer {hugoServer.FirstResponse:0.00} s, the same page {hugoServer.FirstPage:0.00} s; a saved page after {hugoServer.MedianEdit:0} ms (median; {string.Join(", ", hugoServer.Edits.Select(e => e.ToString("0", CultureInfo.InvariantCulture)))} ms); the preview's first answer in {preview.FirstResponse / hugoServer.FirstResponse:0.00} of Hugo's time, its edit in {preview.MedianEdit / hugoServer.MedianEdit:0.00}"));

Directory.Delete(work, recursive: true);
using var self = Process.GetCurrentProcess();
var fullWall = Median(measures["full publish"].Select(m => m.Wall));
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"""

    Corpus: {pages} pages x 75 constituencies = {first.Pages:N0} localised pages, {Environment.ProcessorCount} cores, output under {parent}
    Output digest of the first full publish: {digest}

    | run | wall (median) | CPU (mean) | allocated | files written | of full publish | of Hugo |
    |---|---|---|---|---|---|---|
    """);
var hugoWall = withHugo ? Median(hugo.Select(h => h.Wall)) : double.NaN;
foreach (var (name, values) in measures)
{
    var wall = Median(values.Select(v => v.Wall));
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {name} | {wall:0.000} s | {values.Average(v => v.Cpu):0.000} s | {values.Average(v => v.AllocatedMb):0} MB | {values[^1].Written} | {100 * wall / fullWall:0.0}% | {(withHugo ? $"{wall / hugoWall:0.00}" : "-")} |");
}

if (withHugo)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| Hugo full build | {hugoWall:0.000} s | {hugo.Average(h => h.Cpu):0.000} s | - | all | {100 * hugoWall / fullWall:0.0}% | 1.00 |");
}

report.AppendLine(CultureInfo.InvariantCulture, $"""

    adding one London-wide page should write {addExpected} files: the page, its fragment, the home, pages.json and both feeds of each seat, the London feeds, the sitemap and the manifest
    first full publish in a fresh process {cold:0.000} s wall, {coldCpu:0.000} s CPU, peak working set {coldPeak:0} MB
    {steps}
    full publish, last run, {fullSteps}
    one-page edit, last run, {editSteps}
    peak memory over all runs in this process {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB{(withHugo ? $"; Hugo's peak resident memory {hugo.Max(h => h.PeakMb):0} MB" : string.Empty)}
    {cliReport}
    {previewReport}
    """);
if (withHugo)
{
    var paired = measures["full publish"].Zip(hugo, (lt, h) => lt.Wall / h.Wall).ToList();
    report.AppendLine(CultureInfo.InvariantCulture,
        $"full publish / Hugo, run by run: {string.Join(", ", paired.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} (CPU: {measures["full publish"].Average(m => m.Cpu) / hugo.Average(h => h.Cpu):0.00})");
}

Console.WriteLine(report);
return 0;

// Wall time suffers when other work shares the machine; CPU time does not, so both are reported.
async Task<PublishResult> Measure(string name, Func<Task<PublishResult>> action)
{
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var started = Stopwatch.GetTimestamp();
    var cpuBefore = CpuSeconds();
    var result = await action();
    var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var cpu = CpuSeconds() - cpuBefore;
    var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (1024.0 * 1024.0);
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Take(10)) + result.Refusal);
    }

    if (!measures.TryGetValue(name, out var list))
    {
        measures[name] = list = [];
    }

    list.Add((wall, cpu, result.Written, allocatedMb));
    return result;
}

string Last(string name) => measures[name][^1].Wall.ToString("0.000 s", CultureInfo.InvariantCulture);

static double CpuSeconds()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime.TotalSeconds;
}

// The CLI at the clock's time, as the README's command runs it: no --now, which would parse the content before anything else.
static double RunCli(string cli, string content, string output)
{
    var started = Stopwatch.GetTimestamp();
    using var process = Process.Start(new ProcessStartInfo(cli, ["publish", "--content", content, "--out", output])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{cli} publish exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }

    return seconds;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

// One digest of every published file's path and bytes: equal digests mean byte-identical output.
static string OutputDigest(string folder)
{
    var web = Path.Combine(folder, "web");
    var lines = new StringBuilder();
    foreach (var file in Directory.EnumerateFiles(web, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(web, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
    {
        lines.Append(file).Append('\0').Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(web, file))))).Append('\n');
    }

    return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
}

static void CopyFolder(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var destination = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(file, destination, overwrite: true);
    }
}

int ReadInt(string name, int fallback) => ReadString(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? ReadString(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LondonTories.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

/// <summary>
/// Where a publish's time goes, from its progress reports: loading, reading the target and planning
/// until the first pages are rendered; rendering the pages; the indexes, feeds, sitemap and static
/// files until the first writes are reported; writing; then the history and the state.
/// </summary>
internal sealed class StepClock(long start, double cpuStart) : IProgress<PublishProgress>
{
    // The collector's pauses and the bytes allocated are counted from the clock's start, step by step:
    // a step's wall time includes the pauses that its own allocations and those of the steps before it cause.
    private readonly TimeSpan _pauseStart = GC.GetTotalPauseDuration();
    private readonly long _allocatedStart = GC.GetTotalAllocatedBytes(precise: false);
    private readonly List<(string Name, double Wall, double Cpu, double PauseMs, double AllocatedMb)> _marks = [];
    private readonly HashSet<string> _seen = [];

    public void Report(PublishProgress value)
    {
        if (_seen.Add($"{value.Step} started"))
        {
            Mark($"{value.Step} started");
        }

        if (value.Done == value.Total && _seen.Add($"{value.Step} done"))
        {
            Mark($"{value.Step} done");
        }
    }

    public void Mark(string name)
    {
        using var process = Process.GetCurrentProcess();
        lock (_marks)
        {
            _marks.Add((name, Stopwatch.GetElapsedTime(start).TotalSeconds, process.TotalProcessorTime.TotalSeconds - cpuStart,
                (GC.GetTotalPauseDuration() - _pauseStart).TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: false) - _allocatedStart) / (1024.0 * 1024.0)));
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder("by step (wall / CPU, collector pauses, allocated, from one progress report to the next):");
        var (wall, cpu, pause, allocated) = (0.0, 0.0, 0.0, 0.0);
        foreach (var mark in _marks)
        {
            text.Append(CultureInfo.InvariantCulture,
                $" until {mark.Name} {mark.Wall - wall:0.00} s / {mark.Cpu - cpu:0.00} s, {mark.PauseMs - pause:0} ms, {mark.AllocatedMb - allocated:0} MB;");
            (wall, cpu, pause, allocated) = (mark.Wall, mark.Cpu, mark.PauseMs, mark.AllocatedMb);
        }

        return text.ToString();
    }
}
