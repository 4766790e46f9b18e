using System.Globalization;
using LondonTories.Publishing.Content;

namespace LondonTories.Cli.Commands;

internal static class ContentOption
{
    /// <summary>The --content folder, which must exist: a wrong path is a usage mistake, not a storage failure.</summary>
    public static LondonTories.Publishing.Storage.FolderContentSource Read(Arguments arguments)
    {
        var folder = arguments.Value("--content", "content");
        if (File.Exists(folder))
        {
            var parent = Path.GetDirectoryName(folder) is { Length: > 0 } p ? p : ".";
            throw new UsageException($"'{folder}' is a file; --content takes the folder holding site.yaml, e.g. --content {parent}.");
        }

        if (!Directory.Exists(folder))
        {
            // A terminal opened in the content folder itself, where the default 'content' is not.
            throw new UsageException(arguments.Value("--content") is null && File.Exists(ContentLoader.SiteFile)
                ? $"there is no folder '{folder}' here, but this folder holds {ContentLoader.SiteFile}: it is the content folder itself, so pass --content . to use it."
                : $"the content folder '{folder}' does not exist; pass --content DIR.");
        }

        // The folder above the content, read as content, would bury the one mistake under a warning for every file in it.
        if (!File.Exists(Path.Join(folder, ContentLoader.SiteFile))
            && Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).FirstOrDefault(d => File.Exists(Path.Join(d, ContentLoader.SiteFile))) is { } inner)
        {
            throw new UsageException($"'{folder}' has no site.yaml, but '{inner}' has: pass the folder holding site.yaml, --content {inner}.");
        }

        // Whatever folder it is (the root of the disk, the home folder), all it holds would be read and
        // each file told it is no content: the one mistake buried under thousands.
        if (!File.Exists(Path.Join(folder, ContentLoader.SiteFile)))
        {
            var nearest = LondonTories.Publishing.Diagnostics.DidYouMean.Suggest(ContentLoader.SiteFile,
                Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Where(name => name.Length <= 2 * ContentLoader.SiteFile.Length));
            throw new UsageException($"'{folder}' has no site.yaml, so it is no content folder, and nothing in it was read. " + (nearest is null
                ? "Pass the folder holding site.yaml, e.g. --content content, or to start a site here create site.yaml (title, base_url and imprint), constituencies.yaml and pages/, as the content guide shows."
                : $"{LondonTories.Publishing.Diagnostics.DidYouMean.Hint(nearest)} Rename it to {ContentLoader.SiteFile}."));
        }

        return new LondonTories.Publishing.Storage.FolderContentSource(folder);
    }
}

internal static class OutputOption
{
    /// <summary>
    /// The --out folder (default: out), which must name a folder outside <paramref name="contentFolder"/>
    /// (when the content is a folder), however links lead there: a publish there would write web/ and
    /// social/ among the editors' files, and every later run would read them back as content.
    /// </summary>
    public static string Read(Arguments arguments, string? contentFolder)
    {
        var folder = arguments.Value("--out", "out");
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new UsageException("--out needs a folder, e.g. --out out.");
        }

        if (FileInTheWay(Resolved(folder)) is { } file)
        {
            throw new UsageException($"--out '{folder}': '{file}' is a file, so no folder can be made there. Give --out a folder, new or empty{(contentFolder is null ? ", such as 'out'" : Beside(contentFolder))}.");
        }

        if (contentFolder is null || !IsWithin(folder, contentFolder))
        {
            return folder;
        }

        var where = SameFolder(folder, contentFolder) ? "is the content folder" : "is inside the content folder";
        throw new UsageException($"--out '{folder}'{LinkNote(folder)} {where} '{contentFolder}': publishing would write web/ and social/ among the editors' files. Give --out a folder outside it{Beside(contentFolder)}.");
    }

    /// <summary>
    /// The folder publish writes to, refused before anything in it is listed when it is no folder of
    /// a publish's own: the root of the file system, the home folder, a folder holding the content, or
    /// any folder with files that no publish made. A publish lists all it holds, and deletes under web/
    /// whatever it did not publish this time.
    /// </summary>
    public static string ReadForPublish(Arguments arguments, string? contentFolder)
    {
        var folder = Read(arguments, contentFolder);
        var resolved = Resolved(folder);
        if (new FileInfo(Canonical(folder)).LinkTarget is not null && !Directory.Exists(resolved))
        {
            // A link to a folder not there (a drive not mounted, a folder moved): making it could put the site anywhere.
            throw new UsageException($"--out '{folder}' is a link to '{resolved}', which is not there. Create that folder, or give --out a folder of its own.");
        }

        // A file where the site's folders go: the first page written under it failed with "Could not find a part of the path".
        if (new[] { "web", "social" }.Select(name => Path.Join(resolved, name)).FirstOrDefault(File.Exists) is { } inTheWay)
        {
            throw new UsageException($"--out '{folder}': '{inTheWay}' is a file, where publish keeps the site's {Path.GetFileName(inTheWay)}/ folder. " +
                                     $"Move or delete it, or give --out a new or empty folder{(contentFolder is null ? ", such as 'out'" : Beside(contentFolder))}.");
        }

        var why = resolved == Path.GetPathRoot(resolved) ? "is the root of the file system"
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home && SameFolder(resolved, home) ? "is your home folder"
            : contentFolder is not null && IsWithin(contentFolder, resolved) ? $"holds the content folder '{contentFolder}'"
            : !LondonTories.Publishing.Storage.LocalFolderTarget.IsEmptyOrPublished(resolved) ? "already holds files not made by publish"
            : null;
        return why is null
            ? folder
            : throw new UsageException($"--out '{folder}'{LinkNote(folder)} {why}: a publish there would read everything in it, and delete what it finds under web/ as no longer published. " +
                                       $"Give --out a new or empty folder of its own{(contentFolder is null ? ", such as 'out'" : Beside(contentFolder))}.");
    }

    private static string Beside(string contentFolder) =>
        Path.GetDirectoryName(Canonical(contentFolder)) is { } parent
            ? $", such as '{Path.GetRelativePath(Environment.CurrentDirectory, Path.Join(parent, "out"))}'"
            : string.Empty;

    private static string LinkNote(string folder) =>
        Resolved(folder) is var resolved && !SameFolder(resolved, Canonical(folder)) ? $" (through a link, '{resolved}')" : string.Empty;

    private static bool IsWithin(string folder, string container)
    {
        var outer = Resolved(container);
        return SameFolder(folder, container) ||
               Resolved(folder).StartsWith(Path.EndsInDirectorySeparator(outer) ? outer : outer + Path.DirectorySeparatorChar, Comparison);
    }

    private static bool SameFolder(string a, string b) => string.Equals(Resolved(a), Resolved(b), Comparison);

    /// <summary>The file at the path or at the nearest of its folders that exists, or null when that is a folder.</summary>
    private static string? FileInTheWay(string path)
    {
        for (var at = path; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (Directory.Exists(at))
            {
                return null;
            }

            if (File.Exists(at))
            {
                return at;
            }
        }

        return null;
    }

    private static string Canonical(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>The folder a path leads to once every link on the way is followed, whether or not the folder exists yet.</summary>
    private static string Resolved(string path, int depth = 0)
    {
        var full = Canonical(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Join(current, part);
            // Forty links deep is where the operating system gives up on a loop, too.
            if (depth < 40 && new FileInfo(current).LinkTarget is not null && new FileInfo(current).ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = Resolved(target.FullName, depth + 1);
            }
        }

        return current;
    }

    // Windows and macOS file names ignore case by default: 'Content/out' is inside 'content' there.
    private static StringComparison Comparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
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

internal static class GraceOption
{
    private const string Forms = "6h, 30m, 1d or 06:00 (hours and minutes)";

    public const int MaximumDays = LondonTories.Publishing.Social.PostDelivery.MaximumGraceDays;

    /// <summary>Reads --grace: how late a social post may still go out, e.g. 6h, 30m, 1d or 06:00.</summary>
    public static TimeSpan? Read(Arguments arguments)
    {
        if (arguments.Value("--grace") is not { } text)
        {
            return null;
        }

        text = text.Trim();

        // TimeSpan reads a bare number as days, so '--grace 6' would mean six days where six hours was meant.
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"--grace '{text}' has no unit: write {Forms}.");
        }

        // Digits and a point only: '1e3h' is more likely a slip than a thousand hours, and 'NaNh' is no duration.
        const System.Globalization.NumberStyles Amount = System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowTrailingWhite;
        if (text.Length > 1 && double.TryParse(text[..^1], Amount, System.Globalization.CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount))
        {
            // Measured in days before a TimeSpan is made, which overflows on a huge number.
            double? days = text[^1] switch
            {
                'h' => amount / 24,
                'm' => amount / (24 * 60),
                'd' => amount,
                _ => null,
            };
            if (days is { } d)
            {
                return d > MaximumDays ? throw TooLong(text) : TimeSpan.FromDays(d);
            }
        }

        if (LondonTories.Publishing.Social.PostDelivery.HoursPastADay(text) is { } meant)
        {
            var written = meant switch
            {
                { Seconds: not 0 } => meant.ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) + " (days.hours:minutes:seconds)",
                { Minutes: 0, Hours: 0 } => $"{(int)meant.TotalHours}h or {meant.Days}d",
                { Minutes: 0 } => string.Create(CultureInfo.InvariantCulture, $"{(int)meant.TotalHours}h or {meant.Days}.{meant.Hours:00}:00 (days.hours:minutes)"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{(int)meant.TotalMinutes}m or {meant.Days}.{meant.Hours:00}:{meant.Minutes:00} (days.hours:minutes)"),
            };
            throw new UsageException($"--grace '{text}' reads as hours and minutes, which stop at 23:59: write {written}.");
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span > TimeSpan.FromDays(MaximumDays) ? throw TooLong(text) : span
            : throw new UsageException($"--grace takes a duration such as {Forms}, not '{text}'.");
    }

    private static UsageException TooLong(string text) =>
        new($"--grace '{text}' is longer than {MaximumDays} days: a post later than that is out of date, and a longer window reaches back past the dates a clock can hold.");
}

/// <summary><c>--max-delete-share</c>: the deletion guard of publish and push alike.</summary>
internal static class DeleteShareOption
{
    public static double Read(Arguments arguments, double fallback)
    {
        var text = arguments.Value("--max-delete-share");
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1
            ? share
            : throw new UsageException("--max-delete-share takes a share between 0 and 1, such as 0.25.");
    }
}
