using System.Globalization;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>
/// What a publish writes does not depend on the culture of the machine that runs it: a volunteer's
/// laptop set to Thai and the Functions app must file the same post at the same path, or the one
/// would not find what the other filed.
/// </summary>
public sealed class CultureTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("londontories-culture-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("th-TH")] // the Buddhist calendar: 2026 is 2569
    [InlineData("fa-IR")] // the Persian calendar
    [InlineData("de-DE")] // a comma before decimals
    public async Task A_publish_writes_the_same_files_whatever_the_culture_of_the_machine(string culture)
    {
        var invariant = await PublishInAsync(CultureInfo.InvariantCulture);
        var local = await PublishInAsync(CultureInfo.GetCultureInfo(culture));

        Assert.Contains(invariant.Keys, path => path.StartsWith("social/2026/", StringComparison.Ordinal));
        Assert.Equal(invariant.Keys, local.Keys);
        Assert.All(invariant, file => Assert.True(file.Value.AsSpan().SequenceEqual(local[file.Key]), $"{file.Key} differs in {culture}"));
    }

    /// <summary>The sample content published as of <see cref="Now"/> under <paramref name="culture"/>: the site, the posts filed and the pages' publication history.</summary>
    private async Task<SortedDictionary<string, byte[]>> PublishInAsync(CultureInfo culture)
    {
        var output = Path.Combine(_root, culture.Name.Length == 0 ? "invariant" : culture.Name);
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
        try
        {
            var result = await TestSite.Services.GetRequiredService<Publisher>().PublishAsync(
                new FolderContentSource(TestSite.SampleContentDir), new LocalFolderTarget(output), new PublishOptions { Now = Now }, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }

        // The folder's own bookkeeping records file times, which differ from run to run.
        return new SortedDictionary<string, byte[]>(
            Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/'))
                .Where(path => path.StartsWith("web/", StringComparison.Ordinal) || path.StartsWith("social/", StringComparison.Ordinal) || path == FolderPublicationHistory.FileName)
                .ToDictionary(path => path, path => File.ReadAllBytes(Path.Combine(output, path))),
            StringComparer.Ordinal);
    }
}
