using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Benchmarks;

/// <summary>
/// The benchmark corpus as a Hugo site: the same page text for every seat, with the seat's values
/// already substituted (Hugo has no per-seat templating of content), a section per seat, and layouts
/// shaped like the built-in ones (head, header, breadcrumbs, article, up to seven more pages, footer).
/// </summary>
public static class HugoSite
{
    public static bool IsInstalled => Executable() is not null;

    public static void Write(string siteDir, SiteContent content, int pageCount)
    {
        Directory.CreateDirectory(siteDir);
        File.WriteAllText(Path.Combine(siteDir, "hugo.toml"), $"""
            baseURL = "{content.Site.BaseUrl}/"
            title = "{content.Site.Title}"
            disableKinds = ["taxonomy", "term", "RSS"]
            [markup.goldmark.renderer]
              unsafe = true
            [params]
              imprint = "{content.Site.Imprint.Text.Replace("\"", "\\\"", StringComparison.Ordinal)}"
            """);
        var layouts = Path.Combine(siteDir, "layouts", "_default");
        Directory.CreateDirectory(layouts);
        File.WriteAllText(Path.Combine(layouts, "baseof.html"), """
            <!DOCTYPE html>
            <html lang="en" dir="ltr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{ .Title }}</title>
            {{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
            <link rel="canonical" href="{{ .Permalink }}">
            <meta property="og:title" content="{{ .Title }}">
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body>
            <header class="site-header"><p class="brand"><a href="{{ site.BaseURL }}">{{ site.Title }}</a></p></header>
            {{ block "main" . }}{{ end }}
            <footer class="site-footer"><p class="imprint">{{ site.Params.imprint }}</p></footer>
            </body>
            </html>
            """);
        File.WriteAllText(Path.Combine(layouts, "single.html"), """
            {{ define "main" }}
            <nav class="breadcrumbs"><ol><li><a href="{{ site.BaseURL }}">London</a></li><li><a href="{{ .CurrentSection.Permalink }}">{{ .CurrentSection.Title }}</a></li></ol></nav>
            <main id="main"><article><h1>{{ .Title }}</h1>{{ with .Description }}<p class="summary">{{ . }}</p>{{ end }}
            {{ .Content }}
            </article>
            <nav class="more-pages"><ul>{{ range first 7 .CurrentSection.RegularPages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
            </main>
            {{ end }}
            """);
        File.WriteAllText(Path.Combine(layouts, "list.html"), """
            {{ define "main" }}
            <main id="main"><h1>{{ .Title }}</h1><ul class="page-list">
            {{ range .RegularPages.ByWeight }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>{{ end }}
            </ul></main>
            {{ end }}
            """);
        File.WriteAllText(Path.Combine(siteDir, "layouts", "index.html"), """
            {{ define "main" }}
            <main id="main"><h1>{{ site.Title }}</h1><ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>
            {{ end }}
            """);

        var texts = Enumerable.Range(0, pageCount).Select(i => CorpusGenerator.Page(i, edit: 0)).ToList();
        Parallel.ForEach(content.Constituencies, seat =>
        {
            var section = Path.Combine(siteDir, "content", seat.Slug);
            Directory.CreateDirectory(section);
            File.WriteAllText(Path.Combine(section, "_index.md"), $"---\ntitle: \"{seat.Name}\"\n---\n");
            for (var i = 0; i < texts.Count; i++)
            {
                File.WriteAllText(Path.Combine(section, $"page-{i:D3}.md"), ForSeat(texts[i], seat));
            }
        });
    }

    /// <summary>Writes page <paramref name="i"/> of one seat's section again, as <see cref="CorpusGenerator.Page"/> gives it with <paramref name="edit"/>.</summary>
    public static void WritePage(string siteDir, SiteContent content, string seat, int i, int edit) =>
        File.WriteAllText(Path.Combine(siteDir, "content", seat, $"page-{i:D3}.md"), ForSeat(CorpusGenerator.Page(i, edit), content.Constituencies.Single(s => s.Slug == seat)));

    /// <summary>Hugo's program on PATH.</summary>
    public static string ExecutablePath => Executable() ?? throw new InvalidOperationException("Hugo is not installed.");

    /// <summary>Builds the site into <paramref name="destination"/>; the wall and CPU seconds and the peak resident memory of the build.</summary>
    public static (double Wall, double Cpu, double PeakMb) Build(string siteDir, string destination)
    {
        var before = ChildUsage();
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo(Executable()!, ["--quiet", "--source", siteDir, "--destination", destination])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hugo failed: {errors.Result}");
        }

        var after = ChildUsage();
        return (wall, after.Cpu - before.Cpu, after.PeakKb / 1024.0);
    }

    private static string ForSeat(string text, Constituency seat)
    {
        var council = seat.Data.TryGetValue("council", out var value) ? value?.ToString() ?? string.Empty : string.Empty;
        return new StringBuilder(text)
            .Replace("{{ constituency.name }}", seat.Name)
            .Replace("{{ constituency.data.council }}", council)
            .Replace("{{ constituency.association.name }}", seat.Association.Name)
            .Replace("{{ constituency.association.email }}", seat.Association.Email)
            .Replace("::: ", "<!-- ").Replace(":::", "-->")
            .ToString();
    }

    private static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "hugo"))
        .FirstOrDefault(File.Exists);

    // Hugo runs as a child process, so its CPU time and peak memory come from the children's usage.
    private static (double Cpu, long PeakKb) ChildUsage()
    {
        if (!OperatingSystem.IsLinux() || GetRusage(-1, out var usage) != 0)
        {
            return (0, 0);
        }

        return (usage.UserSeconds + (usage.UserMicros / 1e6) + usage.SystemSeconds + (usage.SystemMicros / 1e6), usage.MaxResidentKb);
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out ResourceUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxResidentKb;
        public long Unused1;
        public long Unused2;
        public long Unused3;
        public long Unused4;
        public long Unused5;
        public long Unused6;
        public long Unused7;
        public long Unused8;
        public long Unused9;
        public long Unused10;
        public long Unused11;
        public long Unused12;
        public long Unused13;
    }
}
