using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Templates;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Reads an editors' content tree into immutable records, each file parsed once, and checks it:
/// every problem is reported with its file and line, and loading never stops at the first.
/// </summary>
public sealed partial class ContentLoader(IBodyCheck bodies, IEnumerable<IContentPart> parts, ApprovalPolicy policy)
{
    private readonly ImmutableArray<IContentPart> _parts = [.. parts];

    public const string SiteFile = "site.yaml";
    public const string ConstituenciesFile = "constituencies.yaml";

    // spend_limits is read with the posts it limits, by their content part (IContentPart), from the same parsed file.
    private static readonly string[] SiteKeys = ["title", "base_url", "language", "timezone", "imprint", "spend_limits", "approvers", "approval", "editors", "feed_entries"];
    private static readonly string[] ImprintKeys = ["promoter", "address", "on_behalf_of", "on_behalf_of_address"];
    private static readonly string[] SeatKeys = ["slug", "name", "gss_code", "boroughs", "tags", "languages", "electorate", "association", "data"];
    private static readonly string[] AssociationKeys = ["name", "email", "website", "address", "webhook"];
    private static readonly string[] WebhookKeys = ["url", "secret"];

    internal static readonly string[] PageKeys =
        ["title", "slug", "summary", "weight", "draft", "publish_at", "publishDate", "expire_at", "expiryDate", "audience", "params", "image", "image_alt", "aliases"];

    /// <summary>Hugo's names, accepted so pages move over unchanged; suggestions name ours.</summary>
    private static readonly Dictionary<string, string> HugoAliases = new() { ["publishDate"] = "publish_at", ["expiryDate"] = "expire_at" };

    public async Task<SiteContent> LoadAsync(IContentSource source, CancellationToken cancellationToken)
    {
        var files = await source.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return Load(files, source.DisplayRoot);
    }

    public SiteContent Load(IReadOnlyList<ContentFile> files, string displayRoot) => Load(files, displayRoot, DigestOf(files));

    /// <param name="digest">The files' <see cref="DigestOf"/>, taken already by a caller that needed it before loading.</param>
    internal SiteContent Load(IReadOnlyList<ContentFile> files, string displayRoot, string digest)
    {
        var diagnostics = new DiagnosticBag();
        string Display(string path) => displayRoot.Length == 0 ? path : $"{displayRoot.TrimEnd('/')}/{path}";

        // Refused here for every source (a folder, the content container): such a path, turned into an
        // output path, would not name one place in the site, and could name one outside it.
        // A control character in a name comes first, whatever else is wrong with the file: every other
        // message would print the name as it is, and its line breaks as lines of their own.
        files = [.. files.Select(f => ControlCharacterRefusal(f.Path) is { } named ? f with { Refusal = named }
            : f.Refusal is null && UnsafePathRefusal(f.Path) is { } why ? f with { Refusal = why }
            : f)];

        // Past what a site may hold, the sources left pages, posts and media unread: one error for the
        // whole, not one a file, and the site's own files still read so that their mistakes are told too.
        var overTotal = TooMuchContent(files, Display, diagnostics);

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var ignored = new List<ContentFile>();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (file.Refusal is { } refusal)
            {
                diagnostics.Error(SourceLocation.StartOf(Display(Shown(file.Path))), "unsafe-file", refusal);
                continue;
            }

            if (overTotal && (ContentFile.IsBulk(file.Path) || file.Bytes.Length < ContentFile.ReadOf(file.Size)))
            {
                continue;
            }

            if (file.Bytes.Length > ContentFile.MaxBytes)
            {
                diagnostics.Error(SourceLocation.StartOf(Display(file.Path)), "file-too-large",
                    string.Create(CultureInfo.InvariantCulture, $"the file is {Math.Max(file.Size, file.Bytes.Length) / 1024:N0} KiB; content files may be at most {ContentFile.MaxBytes / 1024:N0} KiB."),
                    file.Path.StartsWith("static/", StringComparison.Ordinal)
                        ? string.Create(CultureInfo.InvariantCulture, $"Export it smaller: a picture 1080 pixels wide, saved as a JPEG, is usually well under {ContentFile.MaxBytes / 1024:N0} KiB. Publish larger media from somewhere other than content/.")
                        : "Split the page, or put large media somewhere other than content/.");
                continue;
            }

            if (file.Path.StartsWith("static/", StringComparison.Ordinal))
            {
                continue;
            }

            // A file nothing reads is not checked as text: a picture dropped into pages/ is not a page
            // with encoding mistakes, and errors about its bytes would hide the one thing to do with it.
            if (IsReadAsText(file.Path))
            {
                texts[file.Path] = ContentText.Decode(file.Bytes, Display(file.Path), diagnostics);
            }
            else
            {
                ignored.Add(file);
            }
        }

        var paths = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var seats = LoadConstituencies(texts, Display, paths, diagnostics);

        // Without seats every audience would name an unknown one: the file's own error is the one to fix.
        var selectors = seats.IsEmpty ? SelectorParser.Unchecked : new SelectorParser(seats);
        var (site, siteFields) = LoadSite(texts, Display, paths, selectors, policy, diagnostics);

        // Told once site.yaml is read: a picture's address in a page is the one a browser needs, below the site's path.
        foreach (var file in ignored)
        {
            if (Ignored(file.Path, file.Bytes, paths.Contains, site.BasePath) is var (code, message, hint))
            {
                diagnostics.Warning(SourceLocation.StartOf(Display(file.Path)), code, message, hint);
            }
        }

        var layouts = LayoutSet.Load(
            texts.Where(t => t.Key.StartsWith("layouts/", StringComparison.Ordinal))
                .Select(t => (t.Key["layouts/".Length..], Display(t.Key), t.Value)),
            diagnostics);

        var statics = new StaticPaths(files.Where(f => f.Refusal is null && f.Bytes.Length <= ContentFile.MaxBytes).Select(f => f.Path), site.BasePath);
        // A '#' heading in a page is a second top-level heading only where the page layout shows the title as one, as the built-in one does.
        var titleHeading = layouts[LayoutSet.Page].Source.Contains("<h1", StringComparison.OrdinalIgnoreCase);
        var pages = LoadPages(texts, Display, site, seats, selectors, statics, titleHeading, diagnostics);
        var reading = new ContentReading
        {
            Texts = texts,
            Paths = paths,
            Display = Display,
            Site = site,
            Selectors = selectors,
            Diagnostics = diagnostics,
            SiteFields = siteFields,
        };
        var loadedParts = _parts.Select(p => p.Load(reading)).ToImmutableArray();
        var strings = LoadStrings(texts, Display, site, seats, diagnostics);
        var staticFiles = files.Where(f => f.Path.StartsWith("static/", StringComparison.Ordinal) && f.Bytes.Length <= ContentFile.MaxBytes && f.Refusal is null && !overTotal)
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToImmutableArray();

        var siteText = texts.GetValueOrDefault(SiteFile, string.Empty);
        return new SiteContent(site, seats, pages, layouts, staticFiles, diagnostics.ToImmutableSorted())
        {
            Fingerprint = Hashing.Sha256Hex($"{siteText}\0{layouts.Fingerprint}"),
            Digest = digest,
            Parts = loadedParts,
            Strings = strings,
        };
    }

    /// <summary>The <see cref="SiteContent.Digest"/> of content made from <paramref name="files"/>, known before they are parsed.</summary>
    public static string DigestOf(IReadOnlyList<ContentFile> files) =>
        Hashing.Sha256Hex(string.Join('\n', files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => $"{f.Path}\0{Hashing.Sha256Hex(f.Bytes)}")));

    private bool IsReadAsText(string path) =>
        path is SiteFile or ConstituenciesFile
        || path.StartsWith("layouts/", StringComparison.Ordinal)
        || (path.StartsWith("pages/", StringComparison.Ordinal) && path.EndsWith(".md", StringComparison.Ordinal))
        || (path.StartsWith(SiteStrings.Folder, StringComparison.Ordinal) && path.EndsWith(".yaml", StringComparison.Ordinal))
        || _parts.Any(p => p.Reads(path));

    private static readonly string[] MediaExtensions =
        [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff", ".heic", ".ico", ".pdf", ".mp4", ".mov", ".webm", ".mp3", ".docx", ".xlsx", ".pptx"];

    /// <summary>
    /// The warning for a file that is not read, or null for one elsewhere that is plainly not meant for
    /// the site (a README beside site.yaml); a picture anywhere but static/ is told where pictures go.
    /// </summary>
    /// <param name="basePath">The site's path below its domain (<c>/london</c>), empty at the root: the hint's address is below it.</param>
    private (string Code, string Message, string Hint)? Ignored(string path, byte[] bytes, Func<string, bool> exists, string basePath)
    {
        var name = Path.GetFileName(path);
        if (Misplaced(path, bytes) is { } belongs)
        {
            return ("not-content", $"{path} is not read: pages go under pages/, posts under social/, layouts under layouts/, each folder named in lower case.",
                $"To use it, move it to {belongs}.");
        }

        // Constituencies.yaml or channels.yml: read under its own name only, so posts would quietly go nowhere.
        var ownName = name.ToLowerInvariant() is var lower && lower.EndsWith(".yml", StringComparison.Ordinal) ? lower[..^4] + ".yaml" : name.ToLowerInvariant();
        if (path == name && ownName != name && IsReadAsText(ownName) && !exists(ownName))
        {
            return ("not-content", $"{path} is not read: the file is named {ownName}.", $"Rename it to {ownName}.");
        }

        var isMedia = MediaExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
        var folder = path.Contains('/', StringComparison.Ordinal) ? path[..(path.IndexOf('/', StringComparison.Ordinal) + 1)] : string.Empty;
        var staticHint = $"Pictures and other files to publish belong under static/: move it to static/images/{name}, and show it in a page with ![what it shows]({basePath}/images/{name})";
        if (_parts.Select(p => p.Unread(path, isMedia ? staticHint : null)).FirstOrDefault(w => w is not null) is { } unread)
        {
            return unread;
        }

        staticHint += ".";

        // 'trains.md.txt' (a text editor's own extension after the one typed) means trains.md, not trains.md.md.
        var meant = Path.GetFileNameWithoutExtension(name) is var stem && stem.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? stem[..^3] + ".md" : stem + ".md";
        var meantPath = path[..(path.LastIndexOf('/') + 1)] + meant;
        return folder switch
        {
            "pages/" => ("not-a-page", "files under pages/ should be Markdown (.md); this one is ignored.",
                isMedia ? staticHint
                : IsBackup(name) ? "It looks like an editor's backup copy: delete it, or keep it outside the content folder."
                : exists(meantPath) ? $"{meantPath} is already a page: delete this copy, or give it a name of its own ending in .md."
                : $"Rename it to {meant} to make it a page, or move it out of pages/."),
            SiteStrings.Folder => ("unknown-strings-file", $"{path} is not read: files in strings/ are named after a language, e.g. strings/bn.yaml.",
                isMedia ? staticHint : StringsRenameHint(name)),
            _ when isMedia => ("not-content", $"{path} is not read: pictures and other files are published only from static/.", staticHint),
            _ => null,
        };
    }

    private static readonly string[] ContentFolders = ["pages", "social", "layouts", SiteStrings.Folder.TrimEnd('/'), "static"];

    /// <summary>
    /// Where a page, post or layout that nothing reads was meant to go: in a folder named like one of
    /// the content's own but not quite (Pages/, page/, layout/), or a page with front matter beside
    /// site.yaml. Other folders (drafts/, notes/) are the editors' own and stay quiet.
    /// </summary>
    private static string? Misplaced(string path, byte[] bytes)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            var text = bytes.AsSpan();
            text = text.StartsWith("\uFEFF"u8) ? text[3..] : text;
            var isPage = path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && text.StartsWith("---"u8);
            return isPage ? $"pages/{path}" : null;
        }

        var folder = path[..slash];
        var stem = folder.ToLowerInvariant().TrimEnd('s');
        var meant = ContentFolders.FirstOrDefault(known => known != folder && known.TrimEnd('s') == stem);
        return meant is null ? null : $"{meant}{path[slash..]}";
    }

    /// <summary>An editor's or a tool's copy of a file (housing.md~, housing.md.bak, .housing.md.swp).</summary>
    private static bool IsBackup(string name) =>
        name.EndsWith('~') || name.StartsWith(".#", StringComparison.Ordinal) || name.StartsWith("~$", StringComparison.Ordinal)
        || Path.GetExtension(name).ToLowerInvariant() is ".bak" or ".orig" or ".swp" or ".swo" or ".tmp" or ".old" or ".backup";

    /// <summary>
    /// Reports content larger in all than <see cref="ContentFile.MaxTotalBytes"/>, at the folder that
    /// holds most of it; true when it is, and its pages, posts and media are then neither read nor published.
    /// </summary>
    private static bool TooMuchContent(IReadOnlyList<ContentFile> files, Func<string, string> display, DiagnosticBag diagnostics)
    {
        var counted = files.Where(f => f.Refusal is null).ToList();
        if (counted.Sum(f => ContentFile.ReadOf(f.Size)) <= ContentFile.MaxTotalBytes)
        {
            return false;
        }

        const double MiB = 1024 * 1024;
        // Where most of it lies: a folder, or a file beside site.yaml.
        var (where, size) = counted
            .GroupBy(f => f.Path.Contains('/', StringComparison.Ordinal) ? f.Path[..f.Path.LastIndexOf('/')] + "/" : f.Path, StringComparer.Ordinal)
            .Select(g => (Where: g.Key, Size: g.Sum(f => f.Size)))
            .OrderByDescending(g => g.Size).ThenBy(g => g.Where, StringComparer.Ordinal)
            .First();
        var media = where.StartsWith("static/", StringComparison.Ordinal);
        diagnostics.Error(SourceLocation.StartOf(display(where.TrimEnd('/'))), "content-too-large",
            string.Create(CultureInfo.InvariantCulture,
                $"the content holds {counted.Sum(f => f.Size) / MiB:N0} MiB in {counted.Count:N0} files, more than the {ContentFile.MaxTotalBytes / MiB:N0} MiB a site's content may hold, " +
                $"{size / MiB:N0} MiB of it in {where}; its pages, posts and media were not read, and nothing can be published until it is smaller."),
            media
                ? "Keep photographs and video out of content/: publish them from the site's storage or a media host and link to them, " +
                  "or export them smaller (a picture 1080 pixels wide, saved as a JPEG, is usually a few hundred KiB)."
                : "Remove what does not belong to the site (exports, copies, archives); keep large media out of content/ and link to it.");
        return true;
    }

    private static string? ControlCharacterRefusal(string path)
    {
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return $"'{Shown(path)}' has {ContentText.Describe(c)} in its name, which no site address or terminal shows as written, so it is never published. " +
                       "Rename it with letters, digits, hyphens and dots only.";
            }
        }

        return null;
    }

    /// <summary>A path as a message may print it: each control character in it written as its code, e.g. \u000A for a line break.</summary>
    private static string Shown(string path) =>
        path.Any(char.IsControl)
            ? string.Concat(path.Select(c => char.IsControl(c) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString()))
            : path;

    private static string? UnsafePathRefusal(string path) =>
        RelativePaths.HasBackslash(path)
            ? $"'{path}' has a backslash in its name, which Windows and many tools read as a folder separator, so it is never published. Rename it without the backslash."
            : RelativePaths.HasUnsafeSegment(path)
                ? $"'{path}' has an empty, '.' or '..' part, so it does not name one place in the site and is never published. Rename it so each part of its path is a plain name."
                : null;

    private static void CheckContact(YamlFields association, DiagnosticBag diagnostics)
    {
        if (association.String("email") is { Length: > 0 } email && !AssociationContact.IsEmail(email))
        {
            diagnostics.Error(association.TextLocationOf(association.Find("email")!), "invalid-email",
                $"the association's email '{email}' is not one email address, so the mailto: link on every page of the seat would not reach it.",
                $"Give one address and nothing else, e.g. {AssociationContact.EmailExample}.");
        }

        if (association.String("website") is { Length: > 0 } website && !AssociationContact.IsWebsite(website))
        {
            diagnostics.Error(association.TextLocationOf(association.Find("website")!), "invalid-website",
                $"the association's website '{website}' is not an http:// or https:// address with a site's name, so a link to it would be broken, or run as a script.",
                $"Give the site's full address, e.g. {AssociationContact.WebsiteExample}.");
        }
    }

    private static AssociationWebhook? ReadWebhook(YamlFields association, DiagnosticBag diagnostics)
    {
        if (association.Mapping("webhook") is not { } fields)
        {
            return null;
        }

        fields.RejectUnknownKeys(WebhookKeys, "webhook");
        var url = fields.String("url", required: true, "webhook");
        var secret = ReadSecretName(fields, diagnostics, "webhook", "webhook-battersea");
        if (url is null || secret is null)
        {
            return null;
        }

        // Plain http only to this machine, for trying a receiver out; anything else must be https.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            diagnostics.Error(fields.KeyLocation("url"), "invalid-webhook", uri is null ? "the webhook address is not an https:// URL." : $"the webhook address '{ShownUrl.Of(uri)}' is not an https:// URL.", "Give the full address, e.g. https://battersea.example.org/wp-json/londontories/v1/changes.");
            return null;
        }

        if (OnPrivateNetwork(uri, fields.KeyLocation("url"), "the webhook address", "private-webhook",
            "Give the receiver's public https:// address, the one the association's site answers on from the internet.", diagnostics))
        {
            return null;
        }

        if (HoldsCredentials(uri, fields.KeyLocation("url"), "the webhook address", "Deliveries are signed with the secret named in 'secret:', which the receiver checks.", diagnostics))
        {
            return null;
        }

        return new AssociationWebhook(url, secret) { Location = fields.LocationOf(fields.Find("secret")!) };
    }

    private static (Site Site, YamlFields? Fields) LoadSite(Dictionary<string, string> texts, Func<string, string> display, IReadOnlySet<string> paths, SelectorParser selectors, ApprovalPolicy policy, DiagnosticBag diagnostics)
    {
        var path = display(SiteFile);
        var fallback = new Site("London", "https://example.invalid", "en", SiteClock.FindZone("Europe/London"),
            new Imprint("(promoter)", "(address)"), SourceLocation.StartOf(path));
        if (!texts.TryGetValue(SiteFile, out var text))
        {
            diagnostics.Error(SourceLocation.StartOf(path), "missing-file", "site.yaml is missing.",
                RenameHint(SiteFile, paths) ?? "Create it with title, base_url and imprint (promoter and address); see the content guide.");
            return (fallback, null);
        }

        var yamlText = new YamlText(text, path, 1, diagnostics);
        if (YamlFields.ParseMapping(yamlText, "site.yaml") is not { } node)
        {
            return (fallback, null);
        }

        var fields = new YamlFields(node, yamlText);
        fields.RejectUnknownKeys(SiteKeys, "site.yaml");
        var title = fields.String("title", required: true, "site.yaml") ?? fallback.Title;
        var baseUrl = fields.String("base_url", required: true, "site.yaml") ?? fallback.BaseUrl;
        if (fields.Has("base_url") && !IsPlainHttpsUrl(baseUrl))
        {
            diagnostics.Error(fields.LocationOf(fields.Find("base_url")!), "invalid-url",
                "base_url must be an absolute https URL: the site's address, with no user, query, fragment, spaces or quotes.",
                "Write it as https://www.example.org.uk (optionally with a path, e.g. https://www.example.org.uk/london).");
            baseUrl = fallback.BaseUrl;
        }

        var language = fields.String("language") ?? "en";
        if (!Languages.IsLanguageTag(language))
        {
            diagnostics.Error(fields.LocationOf(fields.Find("language")!), "invalid-language",
                "language must be a BCP 47 language tag: a language code, then optionally a script, region or variant.",
                "Write e.g. en or en-GB (cy for Welsh).");
            language = fallback.Language;
        }

        var zoneId = fields.String("timezone") ?? "Europe/London";
        TimeZoneInfo zone;
        try
        {
            zone = SiteClock.FindZone(zoneId);
        }
        catch (TimeZoneNotFoundException)
        {
            diagnostics.Error(fields.LocationOf(fields.Find("timezone")!), "unknown-timezone",
                $"unknown time zone '{zoneId}'.", "Use an IANA zone such as Europe/London.");
            zone = fallback.TimeZone;
        }

        if (!SiteClock.KeepsLondonClocks(zone))
        {
            diagnostics.Warning(fields.LocationOf(fields.Find("timezone")!), "timezone-not-london",
                zone.SupportsDaylightSavingTime
                    ? $"'{zoneId}' keeps other clocks than London's, so every publish_at, expire_at and post time is read by them, not by London's."
                    : $"'{zoneId}' keeps no summer time, so from the last Sunday of March to the last Sunday of October every publish_at, expire_at and post time is read an hour later than London clocks show it.",
                "For London time, GMT in winter and BST in summer, write 'timezone: Europe/London' (or leave timezone out).");
        }

        var imprint = fields.Mapping("imprint", required: true) is { } imprintFields
            ? ReadImprint(imprintFields, "imprint") ?? fallback.Imprint
            : fallback.Imprint;
        var feedEntries = fields.Int("feed_entries") ?? Site.DefaultFeedEntries;
        if (feedEntries < 1)
        {
            diagnostics.Error(fields.LocationOf(fields.Find("feed_entries")!), "invalid-feed-entries",
                $"feed_entries is how many pages a feed carries, so it must be at least 1, not {feedEntries}.",
                $"Write e.g. feed_entries: {Site.DefaultFeedEntries}, or leave it out for {Site.DefaultFeedEntries}; pages.json lists every page whatever it says.");
            feedEntries = Site.DefaultFeedEntries;
        }

        var site = new Site(title, baseUrl.TrimEnd('/'), language, zone, imprint, SourceLocation.StartOf(path))
        {
            Approval = ReadApprovalRules(fields, selectors, policy, diagnostics),
            FeedEntries = feedEntries,
        };
        return (site, fields);
    }

    /// <summary>
    /// An https URL with a host and nothing that could step outside an attribute or a URL's path:
    /// no user, query or fragment, and only the characters a URL needs no escaping for.
    /// </summary>
    private static bool IsPlainHttpsUrl(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && uri.Host.Length > 0
        && uri.UserInfo.Length == 0
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && url.All(c => char.IsAsciiLetterOrDigit(c) || "-._~:/%".Contains(c, StringComparison.Ordinal));

    /// <summary>An imprint mapping (site.yaml's, or a post's override); null when the promoter or the address is missing.</summary>
    internal static Imprint? ReadImprint(YamlFields fields, string what)
    {
        fields.RejectUnknownKeys(ImprintKeys, what);
        var promoter = fields.String("promoter", required: true, what);
        var address = fields.String("address", required: true, what);
        var onBehalfOf = fields.String("on_behalf_of");
        var onBehalfOfAddress = fields.String("on_behalf_of_address");
        var hidden = false;
        foreach (var (key, value) in new[] { ("promoter", promoter), ("address", address), ("on_behalf_of", onBehalfOf), ("on_behalf_of_address", onBehalfOfAddress) })
        {
            if (value is not null && ImprintCharacters.FindRefused(value) is var (index, name))
            {
                ReportImprintCharacter(fields, key, value[index], name);
                hidden = true;
            }
        }

        foreach (var (key, value) in new[] { ("address", address), ("on_behalf_of_address", onBehalfOfAddress) })
        {
            // The law asks for an address at which the promoter can be reached: a town or a street alone is not one.
            if (value is not null && !hidden && !Postcode().IsMatch(value))
            {
                fields.Text.Diagnostics.Warning(fields.LocationOf(fields.Find(key)!), "imprint-address",
                    $"the imprint's {key} '{value}' has no full postcode (such as SW1H 9HQ), but the imprint must give a postal address at which the promoter can be reached.",
                    "Write the whole address with its postcode, e.g. '4 Matthew Parker Street, London SW1H 9HQ'.");
            }
        }

        return promoter is null || address is null || hidden ? null : new Imprint(promoter, address, onBehalfOf, onBehalfOfAddress);
    }

    /// <summary>A full UK postcode, its outward and inward codes, with or without the space between them.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}(?![A-Za-z0-9])")]
    private static partial System.Text.RegularExpressions.Regex Postcode();

    /// <summary>Reports an invisible character at itself when the file holds it as it is, else at the value that writes it as an escape.</summary>
    private static void ReportImprintCharacter(YamlFields fields, string key, char character, string name)
    {
        var node = fields.Find(key)!;
        var location = fields.LocationOf(node);
        var source = fields.Text.TextOf(node);
        var offset = source.IndexOf(character, StringComparison.Ordinal);
        if (offset >= 0 && !source.AsSpan(0, offset).Contains('\n'))
        {
            location = location with { Column = location.Column + offset };
        }

        fields.Text.Diagnostics.Error(location, "imprint-character",
            $"the imprint's '{key}' holds {name}, an invisible character that changes how the text around it reads or compares.",
            "Delete it (if you cannot see it, retype the value): the imprint must read exactly as written.");
    }

    /// <summary>The seats of constituencies.yaml; none only where the file is in error (or missing), as its diagnostics say.</summary>
    private static ImmutableArray<Constituency> LoadConstituencies(Dictionary<string, string> texts, Func<string, string> display, IReadOnlySet<string> paths, DiagnosticBag diagnostics)
    {
        var path = display(ConstituenciesFile);
        if (!texts.TryGetValue(ConstituenciesFile, out var text))
        {
            diagnostics.Error(SourceLocation.StartOf(path), "missing-file", "constituencies.yaml is missing.",
                RenameHint(ConstituenciesFile, paths) ?? "Create it with a 'constituencies:' list; see the content guide.");
            return [];
        }

        var yamlText = new YamlText(text, path, 1, diagnostics);
        if (YamlFields.ParseMapping(yamlText, "constituencies.yaml") is not { } root)
        {
            return [];
        }

        var rootFields = new YamlFields(root, yamlText);
        rootFields.RejectUnknownKeys(["constituencies"], "constituencies.yaml");
        if (rootFields.Find("constituencies") is not YamlSequenceNode list)
        {
            diagnostics.Error(rootFields.Location, "missing-key", "constituencies.yaml must hold a 'constituencies:' list.");
            return [];
        }

        var seats = new List<Constituency>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var codes = new Dictionary<string, (string Slug, SourceLocation At)>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                diagnostics.Error(yamlText.LocationOf(item), "wrong-type", "each constituency must be a mapping of fields.");
                continue;
            }

            var fields = new YamlFields(mapping, yamlText);
            fields.RejectUnknownKeys(SeatKeys, "a constituency");
            var name = fields.String("name", required: true, "a constituency") ?? "(unnamed)";
            var slug = fields.String("slug") ?? Slug.From(name);
            var slugLocation = fields.Has("slug") ? fields.LocationOf(fields.Find("slug")!) : fields.Location;
            if (!Slug.IsValid(slug))
            {
                diagnostics.Error(slugLocation, "invalid-slug", $"'{slug}' is not a valid slug.",
                    Slug.Rule(slug));
                continue;
            }

            if (seen.TryGetValue(slug, out var first))
            {
                diagnostics.Error(slugLocation, "duplicate-seat", $"the constituency '{slug}' is listed twice (first at line {first.Line}).");
                continue;
            }

            seen[slug] = slugLocation;
            var boroughList = fields.StringList("boroughs");
            foreach (var (borough, location) in boroughList.Where(b => !LondonSeats.Boroughs.Contains(b.Value)))
            {
                // A warning, as for the seat's code: a site may publish for places of its own.
                var meant = LondonSeats.BoroughMeant(borough);
                diagnostics.Warning(location, "unknown-borough",
                    $"'{borough}' is not one of London's 32 boroughs or the City of London, so borough: selectors meant for its seats pass over {name}, and the hub lists it under a borough of its own.",
                    meant is not null ? DidYouMean.Hint(meant) : "Write the borough as the ONS names it, e.g. Wandsworth, Barking and Dagenham or City of London.");
            }

            var boroughs = boroughList.Select(b => b.Value).ToImmutableArray();
            if (boroughs.IsEmpty)
            {
                diagnostics.Error(fields.Location, "missing-key", $"the constituency '{slug}' needs 'boroughs'.");
            }

            var tags = fields.StringList("tags");
            foreach (var (tag, location) in tags.Where(t => !Slug.IsValid(t.Value)))
            {
                diagnostics.Error(location, "invalid-tag", $"tag '{tag}' is not a valid slug.", $"Write it as '{Slug.Suggestion(tag)}'.");
            }

            var languages = fields.StringList("languages");
            foreach (var (language, location) in languages.Where(l => !Languages.IsLanguageCode(l.Value)))
            {
                diagnostics.Error(location, "invalid-language", $"'{language}' is not a language code.",
                    Languages.CodeMeant(language) is { } meant ? DidYouMean.Hint(meant) : "Use an ISO 639-1 code such as bn or ur.");
            }

            // Only the codes: a name left in would also be reported as a language with no strings/ file to create.
            languages = [.. languages.Where(l => Languages.IsLanguageCode(l.Value))];

            var association = new Association(string.Empty, string.Empty, string.Empty, string.Empty);
            if (fields.Mapping("association") is { } associationFields)
            {
                associationFields.RejectUnknownKeys(AssociationKeys, "association");
                CheckContact(associationFields, diagnostics);
                association = new Association(
                    associationFields.String("name") ?? string.Empty,
                    associationFields.String("email") ?? string.Empty,
                    associationFields.String("website") ?? string.Empty,
                    associationFields.String("address") ?? string.Empty)
                {
                    Webhook = ReadWebhook(associationFields, diagnostics),
                };
            }

            var electorate = fields.Int("electorate") ?? 0;
            if (electorate < 0)
            {
                // Spending limits grow with the electorate: one below zero lowers a seat's limit, to below nothing.
                diagnostics.Error(fields.LocationOf(fields.Find("electorate")!), "invalid-electorate",
                    string.Create(CultureInfo.InvariantCulture, $"electorate '{electorate}' is below zero: it is the number of electors on {name}'s register."),
                    "Give the number of electors, e.g. 'electorate: 72827'.");
                electorate = 0;
            }

            var gssCode = fields.String("gss_code") ?? string.Empty;
            CheckAgainstReference(fields, slug, name, gssCode, boroughs, electorate, codes, diagnostics);

            var seat = new Constituency(
                slug,
                name,
                gssCode,
                boroughs,
                [.. boroughs.Select(Slug.From)],
                [.. tags.Select(t => t.Value)],
                [.. languages.Select(l => l.Value).Distinct()],
                electorate,
                association,
                fields.FreeForm("data"),
                fields.Location);
            seats.Add(seat with { Fingerprint = Hashing.Sha256Hex(yamlText.TextOf(mapping)) });
        }

        if (list.Children.Count == 0)
        {
            diagnostics.Error(rootFields.KeyLocation("constituencies"), "missing-key", "constituencies.yaml lists no constituencies.",
                "List each seat under 'constituencies:' as '- name: Battersea', with its code, borough and electorate.");
        }

        return [.. seats];
    }

    /// <summary>
    /// Checks a seat's code, and where it is the seat's, its name, boroughs and electorate, against
    /// London's seats of 2024: the hub's map and the targeting of sponsored posts find a seat by its
    /// code, <c>borough:</c> selectors by its boroughs, and spending limits grow with its electorate.
    /// <paramref name="codes"/> holds the codes of the seats listed before it.
    /// </summary>
    private static void CheckAgainstReference(YamlFields fields, string slug, string name, string gssCode, ImmutableArray<string> boroughs, int electorate,
        Dictionary<string, (string Slug, SourceLocation At)> codes, DiagnosticBag diagnostics)
    {
        if (gssCode.Length == 0)
        {
            return;
        }

        var codeAt = fields.TextLocationOf(fields.Find("gss_code")!);
        var seat = LondonSeats.Find(gssCode);
        var codeOfName = LondonSeats.CodeOf(name);
        // The London seat whose code this is, where the name is another London seat's.
        var another = codeOfName is not null && codeOfName != gssCode ? seat : null;
        if (another is not null)
        {
            diagnostics.Error(codeAt, "wrong-gss-code",
                $"gss_code '{gssCode}' is {another.Name}'s, not {name}'s: the hub's map would show {name} as {another.Name}, and its sponsored posts would be targeted around {another.Name}.",
                $"{name}'s code is {codeOfName}.");
        }
        else if (codes.TryGetValue(gssCode, out var earlier))
        {
            diagnostics.Error(codeAt, "duplicate-gss-code",
                string.Create(CultureInfo.InvariantCulture, $"gss_code '{gssCode}' is already {earlier.Slug}'s (line {earlier.At.Line}): the hub's map has one place for a code, and the sponsored posts of both would be targeted around the same point."),
                codeOfName is not null ? $"{name}'s code is {codeOfName}." : "Give each seat its own ONS code, E14 and six digits.");
        }
        else if (seat is null)
        {
            // A warning, not an error: a site may publish for seats of its own, which no map or targeting covers.
            var former = FormerSeats.ByCode(gssCode);
            diagnostics.Warning(codeAt, "unknown-gss-code",
                former is { } old
                    ? $"gss_code '{gssCode}' is {old.Name}'s code on the 2010 boundaries, not one of London's 75 constituencies of 2024, so {name} is left off the hub's map and its sponsored posts cannot be targeted."
                    : $"gss_code '{gssCode}' is not the code of one of London's 75 constituencies of 2024, so {name} is left off the hub's map and its sponsored posts cannot be targeted.",
                codeOfName is { } code ? $"{name}'s code is {code}."
                : former is { } gone && LondonSeats.CodeOf(gone.SuccessorName) is { } successorCode
                    ? $"Since 2024 most of {gone.Name} ({gone.SharePercent}%) is in {gone.SuccessorName}, whose code is {successorCode}."
                    : "Give the seat's ONS code, E14 and six digits, e.g. E14001081 for Battersea.");
        }

        codes.TryAdd(gssCode, (slug, codeAt));
        if (seat is null || another is not null)
        {
            return;
        }

        // Listed under none of the boroughs it lies in, a seat is reached by the wrong borough: selectors.
        // A borough London does not have is told of where it is read, once.
        if (boroughs.Length > 0 && boroughs.All(LondonSeats.Boroughs.Contains) && seat.Boroughs.Count > 0 && !boroughs.Any(seat.Boroughs.Contains))
        {
            diagnostics.Warning(fields.LocationOf(fields.Find("boroughs")!), "seat-boroughs",
                $"{seat.Name} (gss_code {gssCode}) lies in {string.Join(" and ", seat.Boroughs)}, not in {string.Join(" or ", boroughs)}: borough: selectors for those reach {name}, and those for its own pass it over.",
                $"Write boroughs: [{string.Join(", ", seat.Boroughs)}].");
        }

        // A name of the site's own is its choice; an abolished seat's, or one a letter or two from the
        // official name, is a slip that every page of the seat shows.
        if (codeOfName is null && fields.Find("name") is { } nameNode
            && Slug.From(name.Replace("&", " and ", StringComparison.Ordinal)) != Slug.From(seat.Name))
        {
            if (FormerSeats.Successor(name) is not null)
            {
                diagnostics.Warning(fields.TextLocationOf(nameNode), "seat-name",
                    $"name '{name}' is a seat of the 2010 boundaries, which no longer exists; the seat with gss_code {gssCode} is {seat.Name}, and every page of the seat shows the name.",
                    DidYouMean.Hint(seat.Name));
            }
            else if (DidYouMean.Suggest(name, [seat.Name]) is not null)
            {
                diagnostics.Warning(fields.TextLocationOf(nameNode), "seat-name",
                    $"name '{name}' is nearly, but not, {seat.Name}, the name of the seat with gss_code {gssCode}, and every page of the seat shows it.",
                    DidYouMean.Hint(seat.Name));
            }
        }

        // Registers move by a few per cent a year; a figure half or twice the seat's is a slip of a
        // digit, and the seat's spending limits grow with it.
        if (electorate > 0 && seat.Electorate2024 is { } registered
            && ((long)electorate * 3 < (long)registered * 2 || (long)electorate * 2 > (long)registered * 3))
        {
            diagnostics.Warning(fields.LocationOf(fields.Find("electorate")!), "unlikely-electorate",
                string.Create(CultureInfo.InvariantCulture,
                    $"electorate {electorate:N0} is far from the {registered:N0} electors on {seat.Name}'s register at the 2024 general election, and the seat's spending limits grow with it: a digit too many lets its sponsored posts spend more than the law allows."),
                string.Create(CultureInfo.InvariantCulture, $"Check the figure against the current register, e.g. 'electorate: {registered}'."));
        }
    }

    /// <summary>
    /// The file at the top of the content named as <paramref name="file"/> is, but for its case or a
    /// '.yml' ending, which is never read: the hint to rename it, or null where there is none.
    /// </summary>
    private static string? RenameHint(string file, IEnumerable<string> paths) =>
        NearName(file, paths) is { } near ? $"Rename {near} to {file}: only that name is read." : null;

    private static string? NearName(string file, IEnumerable<string> paths) =>
        paths.FirstOrDefault(p => p != file && !p.Contains('/', StringComparison.Ordinal) && SameName(p, file));

    private static bool SameName(string path, string file) =>
        string.Equals(path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) ? path[..^4] + ".yaml" : path, file, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A name ending '.md.md' (an editor's save dialog adding what was typed) is reported as such: read
    /// as written it would be a translation into a language 'md' of a file that does not exist.
    /// </summary>
    internal static bool IsDoubleExtension(string path, Func<string, string> display, DiagnosticBag diagnostics)
    {
        if (!path.EndsWith(".md.md", StringComparison.Ordinal))
        {
            return false;
        }

        diagnostics.Error(SourceLocation.StartOf(display(path)), "double-extension",
            "the file name ends in '.md' twice, so it is neither a page nor a translation.",
            $"Rename it {path[..^3]}.");
        return true;
    }

    private ImmutableArray<PageFile> LoadPages(
        Dictionary<string, string> texts, Func<string, string> display, Site site, ImmutableArray<Constituency> seats, SelectorParser selectors, StaticPaths statics,
        bool titleHeading, DiagnosticBag diagnostics)
    {
        var originals = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        var translations = new List<(string Path, string OriginalPath, string Language, string Text)>();
        var untranslated = new List<(string Path, string Name, string Text)>();
        var pages = new List<PageFile>();
        foreach (var (path, text) in texts.Where(t => t.Key.StartsWith("pages/", StringComparison.Ordinal)))
        {
            if (IsDoubleExtension(path, display, diagnostics))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(path);
            var dot = name.LastIndexOf('.');
            if (dot > 0 && Languages.IsLanguageCode(name[(dot + 1)..]))
            {
                var folder = path[..(path.LastIndexOf('/') + 1)];
                translations.Add((path, folder + name[..dot] + ".md", name[(dot + 1)..], text));
                continue;
            }

            untranslated.Add((path, name, text));
        }

        // Pages are read side by side: each stands alone, and reading them is most of what loading costs
        // (a publish that finds nothing to do does little else).
        var parsed = new PageFile?[untranslated.Count];
        Parallel.For(0, parsed.Length, i => parsed[i] = ParsePage(untranslated[i].Path, display(untranslated[i].Path), untranslated[i].Name, untranslated[i].Text, null, site, selectors, statics, titleHeading, diagnostics));
        for (var i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is { } page)
            {
                originals[untranslated[i].Path] = page;
                pages.Add(page);
            }
        }

        WarnOfVariantsWithoutSlug(pages, diagnostics);
        CheckAliases(pages, seats, diagnostics);
        foreach (var (path, originalPath, language, text) in translations)
        {
            if (!originals.TryGetValue(originalPath, out var original))
            {
                if (texts.ContainsKey(originalPath))
                {
                    // The original has errors of its own, already reported: one mistake, one error.
                    continue;
                }

                diagnostics.Error(SourceLocation.StartOf(display(path)), "orphan-translation",
                    $"this is a '{language}' translation of {display(originalPath)}, which does not exist or has errors.",
                    $"Name a translation after the page it translates: <page>.{language}.md beside <page>.md.");
                continue;
            }

            if (language == site.Language)
            {
                diagnostics.Error(SourceLocation.StartOf(display(path)), "translation-language",
                    $"'{language}' is the site's own language; the original page already is the '{language}' version.");
                continue;
            }

            if (seats.Length > 0 && !seats.Any(seat => seat.Languages.Contains(language)))
            {
                diagnostics.Warning(SourceLocation.StartOf(display(path)), "translation-unpublished",
                    $"no seat publishes in '{language}', so this translation of {display(originalPath)} is never published.",
                    $"Add '{language}' to the languages of the seats that should have it in constituencies.yaml, or, if '{language}' is not a language, rename the file <page>.<language>.md.");
            }

            if (ParsePage(path, display(path), original.Slug, text, original, site, selectors, statics, titleHeading, diagnostics) is { } page)
            {
                pages.Add(page with { Language = language });
            }
        }

        return [.. pages.OrderBy(p => p.Path, StringComparer.Ordinal)];
    }

    /// <summary>A page's slug comes from its file's name unless written: either is the fix, and the editor may not know the second.</summary>
    private static string FileNameHint(string name)
    {
        var meant = Slug.Suggestion(name);
        var example = Slug.From(name).Length == 0 ? "a name such as " : string.Empty;
        return $"Rename the file {example}{meant}.md, or keep its name and write 'slug: {meant}' in its front matter: a slug is lower-case letters, digits and single hyphens, at most {Slug.MaxLength} characters.";
    }

    /// <summary>
    /// A page named for another and one of its own audience's selectors (housing-battersea.md beside
    /// housing.md, for Battersea) but without a slug is a page of its own, not that seat's version of the
    /// other: its seats get both. Meant as a version, it needs the other's slug.
    /// </summary>
    private static void WarnOfVariantsWithoutSlug(IReadOnlyList<PageFile> pages, DiagnosticBag diagnostics)
    {
        var slugs = pages.Select(p => p.Slug).ToHashSet(StringComparer.Ordinal);
        foreach (var page in pages.Where(p => !p.SlugWritten && !p.Audience.Include.Contains(AudienceSelector.All)))
        {
            var other = page.Audience.Include.Select(s => page.Slug.EndsWith("-" + s.Value, StringComparison.Ordinal) ? page.Slug[..^(s.Value.Length + 1)] : null)
                .FirstOrDefault(s => s is not null && slugs.Contains(s));
            if (other is not null)
            {
                diagnostics.Warning(page.Location, "variant-without-slug", $"this page is {page.Slug}, a page of its own beside {other}, so its seats get both.",
                    $"If it is their version of {other}, add 'slug: {other}' to its front matter; if it is a page of its own, give it 'slug: {page.Slug}' to say so.");
            }
        }
    }

    /// <summary>
    /// Splits a page or post into its front matter, read as a YAML mapping with file positions, and
    /// its body with the file line it starts on; reports why when it cannot.
    /// </summary>
    internal static (YamlFields Fields, string Body, int BodyLine)? ReadFrontMatter(
        string displayPath, string text, string kind, string example, DiagnosticBag diagnostics)
    {
        if (!FrontMatter.TrySplit(text, out var yaml, out var body, out var bodyLine))
        {
            // One line each, as every diagnostic prints: an editor's tools read path:line:col from the start of a line.
            var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (lines[0].TrimEnd() == "---")
            {
                var last = 1 + lines.Skip(1).TakeWhile(l => FrontMatterLine().IsMatch(l)).Count();
                diagnostics.Error(SourceLocation.StartOf(displayPath), "missing-front-matter",
                    $"the {kind}'s front matter opened on line 1 is never closed with a '---' line.",
                    last > 1 ? $"Add a line '---' after line {last}, where its keys end." : "Add a line '---' where its keys end.");
            }
            else
            {
                diagnostics.Error(SourceLocation.StartOf(displayPath), "missing-front-matter",
                    $"a {kind} starts with front matter between two '---' lines.",
                    $"Begin the file with a line '---', then lines such as '{example.Replace("\n", "', '", StringComparison.Ordinal)}', then a line '---'.");
            }

            return null;
        }

        var yamlText = new YamlText(yaml, displayPath, 2, diagnostics);
        return YamlFields.ParseMapping(yamlText, "front matter") is { } node
            ? (new YamlFields(node, yamlText), body, bodyLine)
            : null;
    }

    private PageFile? ParsePage(
        string path, string displayPath, string defaultSlug, string text, PageFile? original,
        Site site, SelectorParser selectors, StaticPaths statics, bool titleHeading, DiagnosticBag diagnostics)
    {
        if (ReadFrontMatter(displayPath, text, "page", "title: Your title", diagnostics) is not var (fields, body, bodyLine))
        {
            return null;
        }

        fields.RejectUnknownKeys(PageKeys, "front matter", HugoAliases);
        if (original is not null)
        {
            foreach (var key in new[] { "slug", "audience", "aliases" }.Where(fields.Has))
            {
                diagnostics.Error(fields.KeyLocation(key), "translation-key",
                    $"a translation takes its '{key}' from {original.Path}.", $"Remove '{key}' here, or change it in the original.");
            }
        }

        var slug = fields.String("slug") ?? defaultSlug;
        if (!Slug.IsValid(slug))
        {
            var location = fields.Has("slug") ? fields.LocationOf(fields.Find("slug")!) : SourceLocation.StartOf(displayPath);
            var dot = slug.LastIndexOf('.');
            diagnostics.Error(location, "invalid-slug", $"'{slug}' is not a valid page slug.",
                !fields.Has("slug") && dot > 0 && Languages.IsLanguageCode(slug[(dot + 1)..].ToLowerInvariant())
                    ? $"A translation is named after its page and language, in lower case: {slug[..dot]}.{slug[(dot + 1)..].ToLowerInvariant()}.md."
                    : fields.Has("slug") ? Slug.Rule(slug) : FileNameHint(slug));
        }

        var titleText = fields.String("title", required: original is null, "front matter");
        var title = titleText is null
            ? original?.Title ?? TextTemplate.Static(slug)
            : TextTemplate.Parse(titleText, fields.TextLocationOf(fields.Find("title")!), diagnostics);
        var summaryText = fields.String("summary");
        var summary = summaryText is null ? original?.Summary : TextTemplate.Parse(summaryText, fields.TextLocationOf(fields.Find("summary")!), diagnostics);

        var publishAt = Time(fields, "publish_at", "publishDate", site, diagnostics);
        var expireAt = Time(fields, "expire_at", "expiryDate", site, diagnostics);
        if (publishAt is { } p && expireAt is { } e && e <= p)
        {
            diagnostics.Error(fields.KeyLocation(fields.Has("expire_at") ? "expire_at" : "expiryDate"), "expires-before-publish",
                "the page expires before it is published, so it would never appear.", "Make expire_at later than publish_at.");
        }

        var audience = original?.Audience ?? ReadAudience(fields, selectors, diagnostics);
        var parameters = fields.FreeForm("params");
        if (original is not null)
        {
            parameters = original.Params.Concat(parameters).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        }

        var bodyOrigin = new SourceLocation(displayPath, bodyLine, 1);
        var bodyTemplate = TextTemplate.Parse(body, bodyOrigin, diagnostics);
        var hasAudienceBlocks = bodies.Check(body, bodyLine, displayPath, selectors, diagnostics, pictures: statics, titleHeading: titleHeading);
        var image = fields.String("image");
        if (image is not null && StaticPaths.AddressOf(image, relativeIsRooted: true) is { } address)
        {
            if (!statics.Contains(address))
            {
                // An error, as a post's missing media is: every seat's page would carry a social card picture that is not there.
                // A page's text names a picture below the site's path, as a browser needs it; image: names it from the site's root, as posts' links do.
                var hint = statics.BasePath.Length > 0 && Site.PathWithin(statics.BasePath, address) is { } within && statics.Contains(within)
                    ? $"image: names a picture from the site's own root, without its path {statics.BasePath}: write image: {within}."
                    : statics.HintFor(address);
                diagnostics.Error(fields.LocationOf(fields.Find("image")!), "missing-image",
                    $"image '{image}' is not a file under static/, so every seat's page would name a picture that is not there.", hint);
            }
        }
        else if (image is not null && !image.Contains("{{", StringComparison.Ordinal) && StaticPaths.WebAddressProblem(image) is var (problem, fix))
        {
            // Feeds, og:image and pages.json carry the address as written, or as a path of this site when it is not an https URL.
            diagnostics.Error(fields.LocationOf(fields.Find("image")!), "invalid-image", $"image '{image}' {problem}",
                $"{fix} A picture of the site's own goes under static/ and is named by its address, e.g. /images/housing.jpg.");
        }

        var imageAlt = ReadImageAlt(fields, image ?? original?.Image, original?.ImageAlt, body, diagnostics);
        var aliases = original is null ? ReadAliases(fields, slug, diagnostics) : original.Aliases;
        return new PageFile(
            displayPath,
            slug,
            null,
            title,
            summary,
            fields.Int("weight") ?? original?.Weight ?? 0,
            fields.Bool("draft") ?? original?.Draft ?? false,
            fields.Has("publish_at") || fields.Has("publishDate") ? publishAt : original?.PublishAt,
            fields.Has("expire_at") || fields.Has("expiryDate") ? expireAt : original?.ExpireAt,
            audience,
            parameters,
            new PageBody(bodyTemplate, hasAudienceBlocks),
            Hashing.Sha256Hex(text))
        {
            Image = image ?? original?.Image,
            ImageAlt = imageAlt,
            SlugLocation = fields.Has("slug") ? fields.LocationOf(fields.Find("slug")!) : null,
            Aliases = aliases,
        };
    }

    /// <summary>X's limit on a card picture's words (twitter:image:alt), the shortest of the sites that show them.</summary>
    private const int MostCardAltCharacters = 420;

    /// <summary>
    /// The words for what the page's picture shows (<c>image_alt</c>), which its card gives screen
    /// readers where the page is shared: a translation's own, else its original's. An <c>image:</c>
    /// without them is a warning, as a picture in a page's text without words is; so are words
    /// longer than X shows and an SVG, which no social site shows as a card picture.
    /// </summary>
    private static string? ReadImageAlt(YamlFields fields, string? image, string? inherited, string body, DiagnosticBag diagnostics)
    {
        var alt = fields.String("image_alt");
        SourceLocation? location = fields.Find("image_alt") is { } node ? fields.LocationOf(node) : null;
        if (alt is not null && TextTemplate.ExpressionOpening(alt) is { } opening)
        {
            diagnostics.Error(location!.Value, "invalid-image-alt",
                $"image_alt is shown as written, the same for every seat, so '{opening}' would appear as it stands.",
                "Say what the picture shows in plain words.");
            return inherited;
        }

        if (alt is not null && image is null && !body.Contains("![", StringComparison.Ordinal) && !body.Contains("<img", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Warning(location!.Value, "image-alt-without-image", "image_alt describes the page's picture, but the page has none: no 'image:' and no picture in its text.",
                "Add the picture with 'image: /images/<file>', or take out 'image_alt'.");
        }

        if (alt is not null && alt.Length > MostCardAltCharacters)
        {
            diagnostics.Warning(location!.Value, "long-image-alt",
                string.Create(CultureInfo.InvariantCulture, $"image_alt is {alt.Length} characters, and X shows at most {MostCardAltCharacters} of a card picture's words."),
                "Say what matters about the picture in fewer words; the page's text can say the rest.");
        }

        if (image is not null && fields.Find("image") is { } written && !image.Contains("{{", StringComparison.Ordinal)
            && Path.GetExtension(image.Split('?', '#')[0]).Equals(".svg", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Warning(fields.LocationOf(written), "image-type",
                "social sites do not show an SVG as a card picture (X takes JPG, PNG, WEBP or GIF), so the page is shared without one.",
                "Export the picture as PNG or JPEG and name that file in 'image:'.");
        }

        // A translation with a picture of its own does not borrow the words for its original's.
        alt ??= fields.Has("image") ? null : inherited;
        if (alt is null && fields.Find("image") is { } imageNode && image is not null)
        {
            diagnostics.Warning(fields.LocationOf(imageNode), "image-without-text",
                $"the page's picture '{image}' has no words for what it shows: shared on a social site, its card's picture is announced as an unnamed image.",
                "Add e.g. 'image_alt: New homes going up beside the high street', saying what the picture shows.");
        }

        return alt;
    }

    /// <summary>
    /// An alias may not be another page's slug, whose address it would take, nor another page's alias,
    /// unless both are variants of one slug (each seat's old address then leads to the variant it gets).
    /// </summary>
    private static void CheckAliases(List<PageFile> pages, ImmutableArray<Constituency> seats, DiagnosticBag diagnostics)
    {
        var slugs = pages.GroupBy(p => p.Slug, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Path, StringComparer.Ordinal);
        var languages = seats.SelectMany(s => s.Languages).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var claimed = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            foreach (var alias in page.Aliases)
            {
                if (languages.Contains(alias.Slug))
                {
                    diagnostics.Error(alias.Location, "alias-taken", $"the alias '{alias.Slug}' is a language a seat publishes in, and /<seat>/{alias.Slug}/ is where its pages in that language start.",
                        "Take it out of aliases:, or give the old address as it was, e.g. aliases: [housing-plans].");
                }
                else if (slugs.TryGetValue(alias.Slug, out var owner))
                {
                    diagnostics.Error(alias.Location, "alias-taken", $"the alias '{alias.Slug}' is the slug of {owner}, so its address is that page's.",
                        "Take it out of aliases:, or rename the other page.");
                }
                else if (claimed.TryGetValue(alias.Slug, out var first) && first.Slug != page.Slug)
                {
                    diagnostics.Error(alias.Location, "alias-taken", $"the alias '{alias.Slug}' is already an alias of {first.Path}; an old address can lead to one page only.",
                        "Keep it on the page that now has what the old address had.");
                }
                else
                {
                    claimed.TryAdd(alias.Slug, page);
                }
            }
        }
    }

    /// <summary>The slugs a page was published under before; each must be a slug, and not the page's own.</summary>
    private static ImmutableArray<PageAlias> ReadAliases(YamlFields fields, string slug, DiagnosticBag diagnostics)
    {
        var aliases = ImmutableArray.CreateBuilder<PageAlias>();
        foreach (var (alias, location) in fields.StringList("aliases"))
        {
            if (alias == slug)
            {
                diagnostics.Error(location, "invalid-alias", $"the alias '{alias}' is the page's own slug, so it names no old address.",
                    "List the slugs the page was published under before, e.g. aliases: [housing-plans].");
            }
            else if (!Slug.IsValid(alias))
            {
                // An old address written whole (as Hugo's aliases are) names one seat's: the slug names every seat's.
                var last = alias.Trim('/').Split('/')[^1];
                diagnostics.Error(location, "invalid-alias", $"the alias '{alias}' is not a valid slug.",
                    Slug.IsValid(last) && alias.Contains('/', StringComparison.Ordinal)
                        ? $"Give the old slug alone, e.g. aliases: [{last}]: each seat's old address, /<seat>/{last}/, then leads to its page."
                        : Slug.Rule(alias));
            }
            else if (!aliases.Any(a => a.Slug == alias))
            {
                aliases.Add(new PageAlias(alias, location));
            }
        }

        return aliases.ToImmutable();
    }

    private static DateTimeOffset? Time(YamlFields fields, string key, string hugoKey, Site site, DiagnosticBag diagnostics)
    {
        if (fields.Has(key) && fields.Has(hugoKey))
        {
            diagnostics.Error(fields.KeyLocation(hugoKey), "duplicate-key", $"'{key}' and '{hugoKey}' mean the same; give only one.");
        }

        var used = fields.Has(key) ? key : hugoKey;
        if (fields.String(used) is not { } text)
        {
            return null;
        }

        var instant = SiteClock.Parse(text, site.TimeZone, out var error);
        if (error is not null)
        {
            // A far-off expiry is most often meant as never: the page's way to say that is to leave it out.
            var never = used is "expire_at" or "expiryDate" && SiteClock.OutsideYears(text) ? " (a page that never expires leaves expire_at out)." : string.Empty;
            diagnostics.Error(fields.LocationOf(fields.Find(used)!), "invalid-time", never.Length > 0 ? $"{used}: {error.TrimEnd('.')}{never}" : $"{used}: {error}");
        }

        SiteClock.WarnIfDateAlone(fields, used, text, endsSomething: key == "expire_at", diagnostics);
        return instant;
    }

    internal static AudienceRule ReadAudience(YamlFields fields, SelectorParser selectors, DiagnosticBag diagnostics)
    {
        if (fields.Find("audience") is not { } node)
        {
            return AudienceRule.Everyone;
        }

        IReadOnlyList<(string Value, SourceLocation Location)> include;
        IReadOnlyList<(string Value, SourceLocation Location)> exclude = [];
        if (node is YamlMappingNode mapping)
        {
            var audienceFields = new YamlFields(mapping, fields.Text);
            audienceFields.RejectUnknownKeys(["include", "exclude"], "audience");
            include = audienceFields.Has("include") ? audienceFields.StringList("include") : [("all", audienceFields.Location)];
            exclude = audienceFields.StringList("exclude");
        }
        else
        {
            include = YamlFields.StringList(node, "audience", fields.Text);
        }

        if (include.Count == 0)
        {
            diagnostics.Error(fields.LocationOf(node), "empty-audience", "the audience is empty, so no seat would get this page.",
                "List at least one selector, or remove 'audience' to publish to every seat.");
        }

        static ImmutableArray<AudienceSelector> Read(IEnumerable<(string Value, SourceLocation Location)> items, SelectorParser parser, DiagnosticBag bag) =>
            [.. items.Select(i => parser.Parse(i.Value, i.Location, bag)).OfType<AudienceSelector>()];

        var rule = new AudienceRule(Read(include, selectors, diagnostics), Read(exclude, selectors, diagnostics));

        // Only when every selector was understood: an unknown one is its own error, and may be why.
        if (include.Count > 0 && rule.Include.Length == include.Count && rule.Exclude.Length == exclude.Count
            && selectors.Seats.Count > 0 && !selectors.Seats.Any(rule.Includes))
        {
            diagnostics.Error(fields.KeyLocation("audience"), "empty-audience", $"the audience ({rule}) leaves out every seat it takes in, so no seat would get this.",
                "Exclude fewer seats, or include others.");
        }

        return rule;
    }

    // A key and its value, an indented or listed line under one, or a comment: what front matter is made of.
    [System.Text.RegularExpressions.GeneratedRegex(@"^([A-Za-z_][\w-]*\s*:|\s+\S|\s*-\s|\s*#)")]
    private static partial System.Text.RegularExpressions.Regex FrontMatterLine();
}
