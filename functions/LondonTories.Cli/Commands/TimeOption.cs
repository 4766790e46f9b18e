using LondonTories.Publishing.Content;
using LondonTories.Publishing.Scheduling;

namespace LondonTories.Cli.Commands;

internal static class ContentOption
{
    /// <summary>The --content folder, which must exist: a wrong path is a usage mistake, not a storage failure.</summary>
    public static LondonTories.Publishing.Storage.FolderContentSource Read(Arguments arguments)
    {
        var folder = arguments.Value("--content", "content");
        return Directory.Exists(folder)
            ? new LondonTories.Publishing.Storage.FolderContentSource(folder)
            : throw new UsageException($"the content folder '{folder}' does not exist; pass --content DIR.");
    }
}

internal static class TimeOption
{
    /// <summary>Reads --now in the site's time zone; a local time that is skipped or repeated is a usage error.</summary>
    public static DateTimeOffset? Read(Arguments arguments, SiteContent content)
    {
        if (arguments.Value("--now") is not { } text)
        {
            return null;
        }

        return SiteClock.Parse(text, content.Site.TimeZone, out var error) ?? throw new UsageException($"--now: {error}");
    }
}
