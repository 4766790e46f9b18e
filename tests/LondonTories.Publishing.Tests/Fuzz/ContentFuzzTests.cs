using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LondonTories.Cli;
using LondonTories.Publishing.Tests.Support;
using Xunit.Abstractions;

namespace LondonTories.Publishing.Tests.Fuzz;

/// <summary>
/// Every file of the repository's sample content, mutated and truncated in five of many ways with a
/// fixed seed, published through the CLI's entry point over the output of the last good publish: each run
/// ends with exit 0 or 1 and no stack trace, and a run that exits 1 leaves that output byte for byte
/// as it was.
/// </summary>
public sealed class ContentFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261130;

    /// <summary>Each file gets this many of the mutations, chosen at random; every mutation meets eight files or so.</summary>
    private const int MutationsPerFile = 5;

    private readonly string _root = Directory.CreateTempSubdirectory("londontories-fuzz-").FullName;

    private string ContentDir => Path.Combine(_root, "content");

    private string OutDir => Path.Combine(_root, "out");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Mutated_sample_content_never_crashes_and_a_refused_publish_changes_nothing()
    {
        CopyDirectory(SampleContent(), ContentDir);
        KeepFewSeats();
        var baseline = await PublishAsync();
        Assert.True(baseline.ExitCode == ExitCodes.Success, baseline.Stderr);

        var cases = Cases().ToList();
        var failures = new List<string>();
        var exits = new Dictionary<int, int>();
        var spent = new Dictionary<int, TimeSpan>();
        var before = Snapshot();
        var clock = Stopwatch.StartNew();
        foreach (var (file, name, bytes) in cases)
        {
            var path = Path.Combine(ContentDir, file);
            var original = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var run = await PublishAsync();
                spent[run.ExitCode] = spent.GetValueOrDefault(run.ExitCode) + Stopwatch.GetElapsedTime(started);
                exits[run.ExitCode] = exits.GetValueOrDefault(run.ExitCode) + 1;
                var text = run.Stdout + run.Stderr;
                if (run.ExitCode is not (ExitCodes.Success or ExitCodes.ContentErrors))
                {
                    failures.Add($"{file} ({name}): exit {run.ExitCode}: {FirstLines(text)}");
                }

                if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
                {
                    failures.Add($"{file} ({name}): a stack trace or exception in the output: {FirstLines(text)}");
                }

                if (run.ExitCode == ExitCodes.ContentErrors)
                {
                    var after = Snapshot();
                    if (!Same(before, after))
                    {
                        failures.Add($"{file} ({name}): exit 1 but the output changed");
                        before = after;
                    }
                }
                else
                {
                    before = Snapshot();
                }
            }
#pragma warning disable CA1031 // Any exception escaping the entry point is the failure this test looks for.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures.Add($"{file} ({name}): {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                File.WriteAllBytes(path, original);
            }
        }

        output.WriteLine($"{cases.Count} cases over {cases.Select(c => c.File).Distinct().Count()} files, {Regex.Count(File.ReadAllText(Path.Combine(ContentDir, "constituencies.yaml")), "(?m)^  - slug: ")} seats, in {clock.Elapsed.TotalSeconds:0.0} s; " +
            string.Join(", ", exits.OrderBy(e => e.Key).Select(e => $"exit {e.Key}: {e.Value} in {spent[e.Key].TotalSeconds:0.0} s")));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(exits.GetValueOrDefault(ExitCodes.ContentErrors) > cases.Count / 4, "most mutations should be refused; the mutations may not reach the content");
    }

    /// <summary>Every mutation of every sample file, the same on every run.</summary>
    private IEnumerable<(string File, string Name, byte[] Bytes)> Cases()
    {
        var random = new Random(Seed);
        var files = Directory.EnumerateFiles(ContentDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ContentDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(ContentDir, file));
            var chosen = Mutations.ToArray();
            random.Shuffle(chosen);
            foreach (var (name, mutate) in chosen.Take(MutationsPerFile))
            {
                yield return (file, name, mutate(bytes, random));
            }
        }
    }

    private static readonly (string Name, Func<byte[], Random, byte[]> Mutate)[] Mutations =
    [
        ("flip a byte", (b, r) => Flip(b, r, 1)),
        ("flip eight bytes", (b, r) => Flip(b, r, 8)),
        ("truncate", (b, r) => b[..r.Next(b.Length)]),
        ("truncate in the first line", (b, r) => b[..Math.Min(b.Length, r.Next(4))]),
        ("empty", (_, _) => []),
        ("duplicate a line", (b, r) => Lines(b, r, (lines, i) => lines.Insert(i, lines[i]))),
        ("remove a line", (b, r) => Lines(b, r, (lines, i) => lines.RemoveAt(i))),
        ("remove the front matter's end", (b, _) => Text(b).Contains("\n---\n", StringComparison.Ordinal) ? Bytes(ReplaceFirst(Text(b), "\n---\n", "\n")) : b),
        ("insert [", (b, r) => Insert(b, r, "[")),
        ("insert {", (b, r) => Insert(b, r, "{")),
        ("insert 5,000 [", (b, r) => Insert(b, r, new string('[', 5_000))),
        ("insert an anchor and its alias", (b, r) => Insert(Insert(b, r, " &a "), r, " *a ")),
        ("insert a recursive alias", (b, r) => InsertLine(b, r, "x: &a [*a]")),
        ("insert ':::'", (b, r) => InsertLine(b, r, ":::")),
        ("insert a misspelt block", (b, r) => InsertLine(b, r, "::: audiance tag:south")),
        ("insert 200 '>'", (b, r) => InsertLine(b, r, new string('>', 200) + " deep")),
        ("insert {{", (b, r) => Insert(b, r, "{{")),
        ("insert a NUL", (b, r) => Insert(b, r, "\0")),
        ("insert invalid UTF-8", (b, r) => InsertBytes(b, r, [0xC3, 0x28, 0xFF])),
        ("insert a tab and a CR", (b, r) => Insert(b, r, "\t\r")),
        ("add a UTF-8 BOM", (b, _) => [0xEF, 0xBB, 0xBF, .. b]),
        ("as UTF-16 with a BOM", (b, _) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Text(b))]),
        ("as UTF-16 without a BOM", (b, _) => Encoding.BigEndianUnicode.GetBytes(Text(b))),
        ("CRLF line ends", (b, _) => Bytes(Text(b).Replace("\n", "\r\n", StringComparison.Ordinal))),
    ];

    private static byte[] Flip(byte[] bytes, Random random, int count)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < count && copy.Length > 0; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Insert(byte[] bytes, Random random, string text) => InsertBytes(bytes, random, Encoding.UTF8.GetBytes(text));

    private static byte[] InsertBytes(byte[] bytes, Random random, byte[] inserted)
    {
        var at = random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. inserted, .. bytes[at..]];
    }

    private static byte[] InsertLine(byte[] bytes, Random random, string line) => Lines(bytes, random, (lines, i) => lines.Insert(i, line));

    private static byte[] Lines(byte[] bytes, Random random, Action<List<string>, int> change)
    {
        var lines = Text(bytes).Split('\n').ToList();
        change(lines, random.Next(lines.Count));
        return Bytes(string.Join('\n', lines));
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return text[..at] + with + text[(at + what.Length)..];
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<CliRun> PublishAsync()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["publish", "--content", ContentDir, "--out", OutDir, "--now", "2026-11-30T12:00:00Z"], stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.EnumerateFiles(OutDir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(OutDir, f), File.ReadAllBytes, StringComparer.Ordinal);

    private static bool Same(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var bytes) && bytes.AsSpan().SequenceEqual(kv.Value));

    private static string FirstLines(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3));

    /// <summary>
    /// Keeps the seats the content names, and enough others for every selector it uses and every
    /// language it is translated into, so that a publish renders every mechanism in a fraction of the time.
    /// </summary>
    private void KeepFewSeats()
    {
        var path = Path.Combine(ContentDir, "constituencies.yaml");
        var text = File.ReadAllText(path);
        var others = string.Join("\n", Directory.EnumerateFiles(ContentDir, "*.*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("constituencies.yaml" or "README.md")).Select(File.ReadAllText));
        var selectors = Regex.Matches(others, "(?:borough|tag):[a-z-]+").Select(m => m.Value).ToHashSet();
        var languages = Directory.EnumerateFiles(ContentDir, "*.md", SearchOption.AllDirectories)
            .Select(f => Regex.Match(Path.GetFileName(f), @"\.([a-z]{2})\.md$").Groups[1].Value).Where(l => l.Length > 0).Select(l => "language:" + l).ToHashSet();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var items = Regex.Split(text, "(?m)^(?=  - slug: )");
        var kept = new StringBuilder(items[0]);
        foreach (var item in items.Skip(1))
        {
            var slug = Regex.Match(item, "slug: (\\S+)").Groups[1].Value;
            var needs = List(item, "tags").Select(t => "tag:" + t)
                .Concat(List(item, "boroughs").Select(b => "borough:" + b.ToLowerInvariant().Replace(' ', '-')))
                .Where(selectors.Contains)
                .Concat(List(item, "languages").Select(l => "language:" + l).Where(languages.Contains))
                .ToList();
            if (Regex.IsMatch(others, $"\\b{slug}\\b") || needs.Any(n => !covered.Contains(n)))
            {
                kept.Append(item);
                covered.UnionWith(needs);
            }
        }

        File.WriteAllText(path, kept.ToString());
    }

    private static IEnumerable<string> List(string item, string key) =>
        Regex.Match(item, $"(?m)^    {key}: \\[(.*)\\]").Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string SampleContent()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LondonTories.sln")))
            {
                return Path.Combine(dir.FullName, "content");
            }
        }

        throw new InvalidOperationException("The repository root (LondonTories.sln) was not found above the test folder.");
    }
}
