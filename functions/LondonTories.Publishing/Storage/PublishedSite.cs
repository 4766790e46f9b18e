using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>A seat as the published site lists it.</summary>
public sealed record PublishedSeat(string Slug, string Name, string Url, int PageCount, IReadOnlyDictionary<string, int> PagesByLanguage);

/// <summary>A published file with its version, or word that the caller's copy is still current.</summary>
public sealed record PublishedFile(byte[] Bytes, string ContentType, string ETag, bool NotModified)
{
    /// <summary>When storage last wrote the file, for Last-Modified and If-Modified-Since; null for what is built on request.</summary>
    public DateTimeOffset? LastModified { get; init; }
}

/// <summary>
/// Reads what is published in <c>$web</c>, for associations pulling pages into their own sites. Only
/// what the site serves is reachable: drafts and embargoed pages are never in <c>$web</c>, and a
/// page is found only through its seat's <c>pages.json</c>.
/// </summary>
public sealed class PublishedSite(SiteStorage storage)
{
    // One build per seat and version of its files, shared by every reader who asks while it runs.
    private readonly ConcurrentDictionary<string, (string SeatVersion, Lazy<Task<Bundle>> Build)> _bundles = new(StringComparer.Ordinal);

    /// <summary>A seat's zip, and the site's files outside the seat's folder that it holds because its pages use them, as they were.</summary>
    private sealed record Bundle(PublishedFile Zip, IReadOnlyList<(string Name, string ETag)> Shared);

    private BlobContainerClient Web => storage.Blobs.GetBlobContainerClient(SiteStorage.WebContainer);

    /// <summary>Every published seat with its page counts; empty before the first publish.</summary>
    public async Task<IReadOnlyList<PublishedSeat>> ReadConstituenciesAsync(CancellationToken cancellationToken)
    {
        if (await DownloadAsync("manifest.json", null, cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return [];
        }

        using var document = JsonDocument.Parse(manifest.Bytes);
        var seats = new List<PublishedSeat>();
        foreach (var seat in document.RootElement.GetProperty("constituencies").EnumerateArray())
        {
            var languages = seat.GetProperty("pages").EnumerateArray()
                .GroupBy(p => p.GetProperty("language").GetString() ?? string.Empty, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            seats.Add(new PublishedSeat(
                seat.GetProperty("slug").GetString() ?? string.Empty,
                seat.GetProperty("name").GetString() ?? string.Empty,
                seat.GetProperty("url").GetString() ?? string.Empty,
                languages.Values.Sum(),
                languages));
        }

        return seats;
    }

    /// <summary>The seat's pages.json, or null for a seat that is not published.</summary>
    public Task<PublishedFile?> ReadPagesJsonAsync(string seat, string? ifNoneMatch, CancellationToken cancellationToken) =>
        Slug.IsValid(seat) ? DownloadAsync($"{seat}/pages.json", ifNoneMatch, cancellationToken) : Task.FromResult<PublishedFile?>(null);

    /// <summary>
    /// One published page of a seat in a language (default: the seat's main language, the site's). When
    /// the seat does not publish it, no file, and the slug the page has now where the one asked for is
    /// one of its old ones (its aliases), as the static site leads an old address on.
    /// </summary>
    public async Task<PageRead> ReadPageAsync(string seat, string page, string? language, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var (path, renamedTo) = await PagePathAsync(seat, page, language, cancellationToken).ConfigureAwait(false);
        return path is null ? new(null, renamedTo) : new(await DownloadAsync(path, ifNoneMatch, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>
    /// The fragment of a published page to embed, found as <see cref="ReadPageAsync"/> finds the page. It is
    /// the page's published <c>fragment.html</c> itself, so the API and the static site never differ
    /// (the article's <c>lang</c> and <c>dir</c> included); only a page published before fragments were
    /// written has its fragment cut out of the page.
    /// </summary>
    public async Task<PageRead> ReadFragmentAsync(string seat, string page, string? language, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var (path, renamedTo) = await PagePathAsync(seat, page, language, cancellationToken).ConfigureAwait(false);
        if (path is null)
        {
            return new(null, renamedTo);
        }

        if (path.EndsWith(PageFile, StringComparison.Ordinal)
            && await DownloadAsync(path[..^PageFile.Length] + FragmentFile, ifNoneMatch, cancellationToken).ConfigureAwait(false) is { } fragment)
        {
            return new(fragment, null);
        }

        if (await DownloadAsync(path, null, cancellationToken).ConfigureAwait(false) is not { } whole)
        {
            return new(null, null);
        }

        var bytes = Encoding.UTF8.GetBytes(ExtractFragment(Encoding.UTF8.GetString(whole.Bytes)));
        var version = "\"" + Hashing.Sha256Hex(bytes)[..32] + "\"";
        return new(EntityTags.Parse(ifNoneMatch).Matches(version)
            ? new PublishedFile([], string.Empty, version, true)
            : new PublishedFile(bytes, "text/html; charset=utf-8", version, false), null);
    }

    private const string PageFile = "index.html";
    private const string FragmentFile = "fragment.html";

    /// <summary>
    /// Where the page is, from the seat's pages.json, read once: or, where the seat publishes no such page,
    /// the slug of the page that lists the one asked for among its old ones.
    /// </summary>
    private async Task<(string? Path, string? RenamedTo)> PagePathAsync(string seat, string page, string? language, CancellationToken cancellationToken)
    {
        var (languages, pages) = await ReadPagePathsAsync(seat, cancellationToken).ConfigureAwait(false);
        language ??= languages.FirstOrDefault();
        // BCP 47 tags are not case-sensitive: 'BN' and 'en-gb' ask for the pages published as 'bn' and 'en-GB'.
        if (pages.FirstOrDefault(p => p.Slug == page && string.Equals(p.Language, language, StringComparison.OrdinalIgnoreCase)).Path is { } path)
        {
            return (path, null);
        }

        return (null, pages.Any(p => p.Slug == page) ? null : pages.FirstOrDefault(p => p.Aliases.Contains(page)).Slug);
    }

    /// <summary>
    /// Every file of the seat's part of the site, and the site's files its pages use from outside it
    /// (the stylesheet, pictures), zipped with the site's own paths so that it works unpacked at the root
    /// of another site, with an ETag; null for an unknown seat. A zip is built once per version of those
    /// files (a listing of the seat's folder and a look at each file it uses tell which) and served from
    /// memory until they change, so anonymous requests cost a listing, not a zip.
    /// </summary>
    public async Task<PublishedFile?> BundleAsync(string seat, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        if (!Slug.IsValid(seat))
        {
            return null;
        }

        var listed = new List<(string Name, string ETag)>();
        await foreach (var blob in Web.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{seat}/" }, cancellationToken).ConfigureAwait(false))
        {
            listed.Add((blob.Name, blob.Properties.ETag?.ToString("H") ?? string.Empty));
        }

        if (!listed.Any(b => b.Name == $"{seat}/pages.json"))
        {
            return null;
        }

        var seatVersion = Hashing.Sha256Hex(string.Join('\n', listed.OrderBy(b => b.Name, StringComparer.Ordinal).Select(b => $"{b.Name}\t{b.ETag}")));
        (string SeatVersion, Lazy<Task<Bundle>> Build) Fresh() => (seatVersion, new Lazy<Task<Bundle>>(() => ZipAsync(listed, seatVersion)));
        var entry = _bundles.AddOrUpdate(seat, _ => Fresh(), (_, cached) => cached.SeatVersion == seatVersion ? cached : Fresh());
        var bundle = await AwaitBuildAsync(seat, entry, cancellationToken).ConfigureAwait(false);
        if (!await StillCurrentAsync(bundle.Shared, cancellationToken).ConfigureAwait(false))
        {
            // Only a file the seat's pages use outside its folder changed: one reader starts the new build, the others share it.
            var fresh = Fresh();
            entry = _bundles.TryUpdate(seat, fresh, entry) ? fresh : _bundles.GetOrAdd(seat, fresh);
            bundle = await AwaitBuildAsync(seat, entry, cancellationToken).ConfigureAwait(false);
        }

        return EntityTags.Parse(ifNoneMatch).Matches(bundle.Zip.ETag) ? new PublishedFile([], string.Empty, bundle.Zip.ETag, true) : bundle.Zip;
    }

    private async Task<Bundle> AwaitBuildAsync(string seat, (string SeatVersion, Lazy<Task<Bundle>> Build) entry, CancellationToken cancellationToken)
    {
        try
        {
            // The build is not the first reader's: one who gives up leaves it running for the others.
            return await entry.Build.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A build that failed is forgotten, so the next reader tries again.
            _bundles.TryRemove(KeyValuePair.Create(seat, entry));
            throw;
        }
    }

    private async Task<bool> StillCurrentAsync(IReadOnlyList<(string Name, string ETag)> shared, CancellationToken cancellationToken)
    {
        var current = await Task.WhenAll(shared.Select(async file =>
        {
            try
            {
                var properties = await Web.GetBlobClient(file.Name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return properties.Value.ETag.ToString("H") == file.ETag;
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                return false;
            }
        })).ConfigureAwait(false);
        return current.All(same => same);
    }

    /// <summary>
    /// The path the published site lives under (a site at /london links its stylesheet as
    /// /london/assets/site.css), read from the seat's pages.json among the bundle's files: its home's
    /// address is the site's address and then the seat's folder.
    /// </summary>
    private static string BasePathOf(IEnumerable<(string Name, byte[] Bytes)> files, string seatFolder)
    {
        if (files.FirstOrDefault(f => f.Name == seatFolder + "pages.json").Bytes is not { } pagesJson)
        {
            return string.Empty;
        }

        using var document = JsonDocument.Parse(pagesJson);
        return document.RootElement.TryGetProperty("constituency", out var seat) && seat.TryGetProperty("url", out var url)
            && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var home) && home.AbsolutePath.EndsWith("/" + seatFolder, StringComparison.Ordinal)
                ? home.AbsolutePath[..^(seatFolder.Length + 1)]
                : string.Empty;
    }

    private async Task<Bundle> ZipAsync(List<(string Name, string ETag)> listed, string seatVersion)
    {
        var files = new (string Name, byte[] Bytes)?[listed.Count];
        await Parallel.ForAsync(0, listed.Count, new ParallelOptions { MaxDegreeOfParallelism = storage.Options.Parallelism }, async (i, ct) =>
        {
            if (await DownloadAsync(listed[i].Name, null, ct).ConfigureAwait(false) is { } file)
            {
                files[i] = (listed[i].Name, file.Bytes);
            }
        }).ConfigureAwait(false);

        var all = files.OfType<(string Name, byte[] Bytes)>().ToList();
        var shared = new List<(string Name, string ETag)>();
        var seatFolder = listed[0].Name[..(listed[0].Name.IndexOf('/', StringComparison.Ordinal) + 1)];
        var basePath = BasePathOf(all, seatFolder);
        // What the seat's pages use may use more (a stylesheet's pictures and fonts): a few rounds find it all.
        var wanted = BundleReferences.Find(all, seatFolder, basePath);
        for (var round = 0; round < 3 && wanted.Count > 0; round++)
        {
            var found = await Task.WhenAll(wanted.Select(async name =>
            {
                try
                {
                    var download = (await Web.GetBlobClient(name).DownloadContentAsync().ConfigureAwait(false)).Value;
                    return ((string Name, byte[] Bytes, string ETag)?)(name, download.Content.ToArray(), download.Details.ETag.ToString("H"));
                }
                catch (RequestFailedException exception) when (exception.Status == 404)
                {
                    // A page may point at a file nobody published; the zip holds what there is.
                    return null;
                }
            })).ConfigureAwait(false);
            var added = found.OfType<(string Name, byte[] Bytes, string ETag)>().ToList();
            all.AddRange(added.Select(f => (f.Name, f.Bytes)));
            shared.AddRange(added.Select(f => (f.Name, f.ETag)));
            wanted = BundleReferences.Find(added.Select(f => (f.Name, f.Bytes)), seatFolder, basePath).Except(all.Select(f => f.Name), StringComparer.Ordinal).ToList();
        }

        var version = "\"" + Hashing.Sha256Hex(seatVersion + "\n" + string.Join('\n', shared.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}\t{f.ETag}")))[..32] + "\"";
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in all.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                await using var stream = await entry.OpenAsync().ConfigureAwait(false);
                await stream.WriteAsync(bytes).ConfigureAwait(false);
            }
        }

        return new Bundle(new PublishedFile(memory.ToArray(), "application/zip", version, false), shared);
    }

    /// <summary>
    /// The body of a published page without the site's header, navigation and footer, for embedding:
    /// the <c>&lt;article&gt;</c> (or <c>&lt;main&gt;</c>) followed by the imprint, which must travel with it.
    /// </summary>
    public static string ExtractFragment(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var body = document.QuerySelector("article") ?? document.QuerySelector("main") ?? document.Body;
        var builder = new StringBuilder(body?.OuterHtml ?? string.Empty);
        // The layout's imprint, never one inside the body: a body cannot carry the class, and even if
        // it did, it could not stand in for the real one.
        var imprint = document.QuerySelectorAll(".imprint").LastOrDefault(e => body?.Contains(e) != true)
                      ?? document.QuerySelectorAll("footer").LastOrDefault(e => body?.Contains(e) != true);
        if (imprint is not null)
        {
            builder.Append('\n').Append(imprint.OuterHtml);
        }

        return builder.Append('\n').ToString();
    }

    private async Task<(IReadOnlyList<string> Languages, IReadOnlyList<(string Slug, string Language, string Path, IReadOnlyList<string> Aliases)> Pages)> ReadPagePathsAsync(
        string seat, CancellationToken cancellationToken)
    {
        if (await ReadPagesJsonAsync(seat, null, cancellationToken).ConfigureAwait(false) is not { } pagesJson)
        {
            return ([], []);
        }

        using var document = JsonDocument.Parse(pagesJson.Bytes);
        var languages = document.RootElement.GetProperty("constituency").GetProperty("languages").EnumerateArray().Select(l => l.GetString() ?? string.Empty).ToList();
        var pages = document.RootElement.GetProperty("pages").EnumerateArray().Select(p => (
            p.GetProperty("slug").GetString() ?? string.Empty,
            p.GetProperty("language").GetString() ?? string.Empty,
            p.GetProperty("path").GetString() ?? string.Empty,
            // A pages.json written before pages kept their old slugs names none.
            p.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array
                ? (IReadOnlyList<string>)[.. aliases.EnumerateArray().Select(a => a.GetString() ?? string.Empty)]
                : [])).ToList();
        return (languages, pages);
    }

    /// <summary>
    /// A file of the site with its version: the quoted SHA-256 of its bytes, the <c>etag</c> pages.json
    /// gives each page, so an association can send that in If-None-Match. The ETag storage gave a copy
    /// earlier is still recognised. A conditional request reads the file's properties first, so a copy
    /// still current costs no download.
    /// </summary>
    private async Task<PublishedFile?> DownloadAsync(string name, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var tags = EntityTags.Parse(ifNoneMatch);
        var blob = Web.GetBlobClient(name);
        try
        {
            if (!tags.IsEmpty)
            {
                var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (VersionOf(properties.Metadata) is { } known && (tags.Matches(known) || tags.Matches(properties.ETag.ToString("H"))))
                {
                    return new PublishedFile([], string.Empty, known, true) { LastModified = properties.LastModified };
                }
            }

            var download = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var bytes = download.Content.ToArray();
            var version = VersionOf(download.Details.Metadata) ?? $"\"{Hashing.Sha256Hex(bytes)}\"";
            return (tags.Matches(version) || tags.Matches(download.Details.ETag.ToString("H"))
                ? new PublishedFile([], string.Empty, version, true)
                : new PublishedFile(bytes, download.Details.ContentType, version, false)) with
            { LastModified = download.Details.LastModified };
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    private static string? VersionOf(IDictionary<string, string> metadata) =>
        metadata.TryGetValue(BlobSiteTarget.Sha256Metadata, out var sha256) && sha256.Length == 64 ? $"\"{sha256}\"" : null;
}

/// <summary>A page the API was asked for: its file, or none, and then the slug it has now where it was asked for by an old one.</summary>
public sealed record PageRead(PublishedFile? File, string? RenamedTo);
