using LondonTories.Cli;
using LondonTories.Publishing;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Support;

/// <summary>
/// A small content tree in a temporary folder (five real London seats, two community languages),
/// with helpers to run the CLI or the library over it exactly as editors would.
/// </summary>
public sealed class TestSite : IDisposable
{
    public const string SiteYaml = """
        title: London Conservatives
        base_url: https://www.example.org.uk
        language: en
        timezone: Europe/London
        imprint:
          promoter: Sam Okafor
          on_behalf_of: London Conservatives
          address: 4 Matthew Parker Street, London SW1H 9HQ
        """;

    public const string ConstituenciesYaml = """
        constituencies:
          - slug: battersea
            name: Battersea
            gss_code: E14001081
            boroughs: [Wandsworth]
            tags: [inner-london, south]
            languages: []
            electorate: 72827
            association:
              name: Battersea Conservatives
              email: office@battersea.example.org.uk
              website: https://battersea.example.org.uk
              address: 1 Lavender Hill, London SW11
            data:
              council: Wandsworth Council
          - slug: tooting
            name: Tooting
            gss_code: E14001550
            boroughs: [Wandsworth]
            tags: [inner-london, south, diverse]
            languages: [ur]
            electorate: 75000
            association:
              name: Tooting Conservatives
              email: office@tooting.example.org.uk
              website: https://tooting.example.org.uk
              address: 2 Mitcham Road, London SW17
            data:
              council: Wandsworth Council
          - slug: bromley-and-biggin-hill
            name: Bromley and Biggin Hill
            gss_code: E14001137
            boroughs: [Bromley]
            tags: [outer-london, south]
            languages: []
            electorate: 73000
            association:
              name: Bromley Conservatives
              email: office@bromley.example.org.uk
              website: https://bromley.example.org.uk
              address: 3 High Street, Bromley BR1
            data:
              council: London Borough of Bromley
          - slug: beckenham-and-penge
            name: Beckenham and Penge
            gss_code: E14001083
            boroughs: [Bromley, Lewisham]
            tags: [outer-london, south, cross-borough]
            languages: []
            electorate: 76000
            association:
              name: Beckenham Conservatives
              email: office@beckenham.example.org.uk
              website: https://beckenham.example.org.uk
              address: 4 High Street, Beckenham BR3
            data:
              council: London Borough of Bromley
          - slug: bethnal-green-and-stepney
            name: Bethnal Green and Stepney
            gss_code: E14001086
            boroughs: [Tower Hamlets]
            tags: [inner-london, east, diverse]
            languages: [bn]
            electorate: 80000
            association:
              name: Bethnal Green Conservatives
              email: office@bethnalgreen.example.org.uk
              website: https://bethnalgreen.example.org.uk
              address: 5 Roman Road, London E2
            data:
              council: Tower Hamlets Council
        """;

    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public TestSite(bool withDefaults = true)
    {
        Root = Directory.CreateTempSubdirectory("londontories-test-").FullName;
        if (withDefaults)
        {
            Write("site.yaml", SiteYaml);
            Write("constituencies.yaml", ConstituenciesYaml);
            // The seats publish in Bengali and Urdu, whose layout words come from the sample content's files.
            foreach (var language in (string[])["bn", "ur"])
            {
                Write($"strings/{language}.yaml", File.ReadAllText(Path.Combine(SampleContentDir, "strings", $"{language}.yaml")));
            }
        }
    }

    /// <summary>The repository's own content/ folder.</summary>
    public static string SampleContentDir { get; } = FindSampleContent();

    private static string FindSampleContent()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LondonTories.sln")))
            {
                return Path.Combine(dir.FullName, "content");
            }
        }

        throw new DirectoryNotFoundException("content/ not found above the test binaries.");
    }

    public string Root { get; }

    public string ContentDir => Path.Combine(Root, "content");

    public string OutDir => Path.Combine(Root, "out");

    public static ServiceProvider Services { get; } = new ServiceCollection().AddSingleton<TimeProvider>(new FixedClock(FixedClock.Default)).AddLondonToriesPublishing().BuildServiceProvider();

    public TestSite Write(string path, string text)
    {
        var full = Path.Combine(ContentDir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n"));
        return this;
    }

    public TestSite Delete(string path)
    {
        File.Delete(Path.Combine(ContentDir, path));
        return this;
    }

    /// <summary>Publishes the site under https://www.example.org.uk/london rather than at the domain's root.</summary>
    public TestSite PublishUnderAPath() =>
        Write("site.yaml", SiteYaml.Replace("base_url: https://www.example.org.uk", "base_url: https://www.example.org.uk/london", StringComparison.Ordinal));

    /// <summary>Writes a page with the given front matter lines and body.</summary>
    public TestSite Page(string path, string frontMatter, string body = "Some text.\n") =>
        Write(path, $"---\n{frontMatter.ReplaceLineEndings("\n").TrimEnd('\n')}\n---\n{body}");

    public SiteContent Load() =>
        Services.GetRequiredService<ContentLoader>().LoadAsync(new FolderContentSource(ContentDir), CancellationToken.None).GetAwaiter().GetResult();

    public Task<PublishResult> PublishAsync(DateTimeOffset? now = null, bool force = false) =>
        Services.GetRequiredService<Publisher>().PublishAsync(
            new FolderContentSource(ContentDir), new LocalFolderTarget(OutDir), new PublishOptions { Now = now ?? Now, Force = force }, CancellationToken.None);

    public Task<CliRun> RunCliAsync(params string[] args) => RunCliAsync(null, args);

    /// <summary>Runs the CLI with <paramref name="environment"/> for the variables it reads of its own, rather than the process's.</summary>
    public static async Task<CliRun> RunCliAsync(Func<string, string?>? environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, environment: environment);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public string Output(string path) => File.ReadAllText(Path.Combine(OutDir, path));

    public bool Exists(string path) => File.Exists(Path.Combine(OutDir, path));

    /// <summary>Every published file with its bytes, for comparing whole outputs.</summary>
    public SortedDictionary<string, byte[]> Snapshot() => Snapshot(OutDir);

    /// <summary>
    /// The site's files (<c>web/…</c>) as a publish as of <paramref name="now"/> writes them into a fresh
    /// folder that holds only this site's publication history: what an incremental publish must equal.
    /// </summary>
    public async Task<SortedDictionary<string, byte[]>> PublishAfreshAsync(DateTimeOffset now)
    {
        var fresh = Path.Combine(Root, $"fresh-{Guid.NewGuid():N}");
        Directory.CreateDirectory(fresh);
        File.Copy(Path.Combine(OutDir, ".publications.json"), Path.Combine(fresh, ".publications.json"));
        var result = await Services.GetRequiredService<Publisher>().PublishAsync(
            new FolderContentSource(ContentDir), new LocalFolderTarget(fresh), new PublishOptions { Now = now }, CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        }

        var files = new SortedDictionary<string, byte[]>(Snapshot(fresh).Where(f => f.Key.StartsWith("web/", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
        Directory.Delete(fresh, recursive: true);
        return files;
    }

    private static SortedDictionary<string, byte[]> Snapshot(string folder) => new(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes),
        StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}

public sealed record CliRun(int ExitCode, string Stdout, string Stderr);
