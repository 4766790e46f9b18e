using LondonTories.Publishing.Content;
using LondonTories.Publishing.Scheduling;

namespace LondonTories.Cli.Commands;

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
