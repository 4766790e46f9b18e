using System.Diagnostics;
using System.Globalization;
using LondonTories.Benchmarks;
using LondonTories.Publishing;
using LondonTories.Publishing.Publishing;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

// Measures a full publish, a no-op publish and a one-page edit of the synthetic corpus to a local
// folder, with peak memory. Run: dotnet run -c Release --project tests/LondonTories.Benchmarks [-- --pages 200 --runs 3]
var pages = ReadInt("--pages", 200);
var runs = ReadInt("--runs", 3);
var root = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("londontories-bench-").FullName;
var contentDir = Path.Combine(work, "content");
CorpusGenerator.Write(contentDir,
    File.ReadAllText(Path.Combine(root, "content", "site.yaml")),
    File.ReadAllText(Path.Combine(root, "content", "constituencies.yaml")),
    pages);

using var services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
var publisher = services.GetRequiredService<Publisher>();
var source = new FolderContentSource(contentDir);
var options = new PublishOptions { Now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), Force = true };

// One untimed run so that the timings below measure steady work, not the JIT's first pass. It is
// also what a single `publish` does, so its peak memory is the figure that matters to a user.
var coldStart = Stopwatch.GetTimestamp();
await publisher.PublishAsync(source, new LocalFolderTarget(Path.Combine(work, "warm-up")), options, CancellationToken.None);
var cold = Stopwatch.GetElapsedTime(coldStart).TotalSeconds;
double coldPeak;
using (var process = Process.GetCurrentProcess())
{
    coldPeak = process.PeakWorkingSet64 / (1024.0 * 1024.0);
}

var cpu = new Dictionary<List<double>, double>();
var full = new List<double>();
var noOp = new List<double>();
var edit = new List<double>();
PublishResult? last = null;
for (var run = 0; run < runs; run++)
{
    var outDir = Path.Combine(work, $"out-{run}");
    CorpusGenerator.Write(contentDir, File.ReadAllText(Path.Combine(contentDir, "site.yaml")), File.ReadAllText(Path.Combine(contentDir, "constituencies.yaml")), pages);
    var target = new LocalFolderTarget(outDir);
    last = await Timed(full, () => publisher.PublishAsync(source, target, options, CancellationToken.None));
    var unchanged = await Timed(noOp, () => publisher.PublishAsync(source, new LocalFolderTarget(outDir), options, CancellationToken.None));
    File.WriteAllText(Path.Combine(contentDir, "pages", "topic-7", "page-007.md"), CorpusGenerator.Page(7, edit: run + 1));
    var edited = await Timed(edit, () => publisher.PublishAsync(source, new LocalFolderTarget(outDir), options, CancellationToken.None));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1}: full {full[^1]:0.000} s ({last.Written} files), no-op {noOp[^1]:0.000} s ({unchanged.Written} written), one-page edit {edit[^1]:0.000} s ({edited.Written} written)"));
}

Directory.Delete(work, recursive: true);
using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

    Corpus: {pages} pages x 75 constituencies = {last!.Pages:N0} localised pages, {Environment.ProcessorCount} cores
    full publish    median {Median(full):0.000} s wall, {cpu[full] / runs:0.000} s CPU on average
    no-op publish   median {Median(noOp):0.000} s wall ({100 * Median(noOp) / Median(full):0.0}% of full), {cpu[noOp] / runs:0.000} s CPU
    one-page edit   median {Median(edit):0.000} s wall, {cpu[edit] / runs:0.000} s CPU
    first full publish in a fresh process {cold:0.000} s wall, peak working set {coldPeak:0} MB
    peak memory     {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} MB over all runs in this process
    """));
return 0;

// Wall time suffers when other work shares the machine; CPU time does not, so both are reported.
async Task<PublishResult> Timed(List<double> times, Func<Task<PublishResult>> action)
{
    var started = Stopwatch.GetTimestamp();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var result = await action();
    times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
    cpu[times] = cpu.GetValueOrDefault(times, 0) + (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Take(10)) + result.Refusal);
    }

    return result;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

int ReadInt(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "LondonTories.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from inside the repository.");
}
