using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>
/// Golden files: the built-in layouts' output for a small site, byte for byte. After an intended
/// change, regenerate with LONDONTORIES_UPDATE_GOLDEN=1 dotnet test --filter GoldenLayoutTests and
/// review the diff of tests/LondonTories.Publishing.Tests/Golden/expected.
/// </summary>
public sealed class GoldenLayoutTests
{
    public static TheoryData<string> Files =>
    [
        "web/index.html",
        "web/battersea/index.html",
        "web/battersea/housing/index.html",
        "web/bromley-and-biggin-hill/housing/index.html",
        "web/tooting/ur/housing/index.html",
        "web/tooting/pages.json",
        "web/battersea/feed.atom",
        "web/tooting/ur/feed.json",
        "web/feed.atom",
        "web/battersea/housing/fragment.html",
        "web/sitemap.xml",
        "web/404.html",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_built_in_layouts_render_as_expected(string path)
    {
        using var site = new TestSite(withDefaults: false);
        var input = Path.Combine(AppContext.BaseDirectory, "Golden", "input");
        foreach (var file in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories))
        {
            site.Write(Path.GetRelativePath(input, file), File.ReadAllText(file));
        }

        var result = await site.PublishAsync();
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));

        var actual = site.Output(path);
        var expectedName = path.Replace('/', '_');
        if (Environment.GetEnvironmentVariable("LONDONTORIES_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceGoldenFolder(), "expected", expectedName), actual);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "expected", expectedName));
        Assert.Equal(expected, actual);
    }

    private static string SourceGoldenFolder([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "Golden");
}
