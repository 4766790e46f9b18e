using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

public sealed record PushResult(int Uploaded, int Unchanged, int Deleted, IReadOnlyList<string> UploadedPaths, IReadOnlyList<string> DeletedPaths)
{
    public PublishOutcome Outcome { get; init; } = PublishOutcome.Published;

    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Why nothing was pushed, when the deletion guard stopped it.</summary>
    public string? Refusal { get; init; }

    public bool Succeeded => Outcome == PublishOutcome.Published;

    public string Summary => $"Pushed content: {Uploaded} uploaded, {Unchanged} unchanged, {Deleted} deleted.";
}

public sealed record PushOptions
{
    /// <summary>A push that would delete more than this share of the content blobs refuses, unless forced.</summary>
    public double MaxDeleteShare { get; init; } = 0.25;

    public bool Force { get; init; }
}

/// <summary>
/// Mirrors an editors' content folder into the <c>content</c> container: uploads only files whose
/// bytes differ (by the SHA-256 in the blob's metadata, or its Content-MD5 when another tool put it
/// there) and deletes blobs whose file was removed. The content is checked as a publish would check
/// it first, and a push that would delete much of what the container holds is refused unless forced,
/// so a broken folder never replaces good content.
/// </summary>
public sealed class ContentPusher(ContentLoader loader, Publisher publisher)
{
    public async Task<PushResult> PushAsync(IContentSource source, SiteStorage storage, PushOptions options, CancellationToken cancellationToken)
    {
        var files = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
        var content = loader.Load(files, source.DisplayRoot);
        var diagnostics = publisher.Validate(content, null, cancellationToken);
        if (diagnostics.Any(d => d.IsError))
        {
            return new PushResult(0, 0, 0, [], []) { Outcome = PublishOutcome.ContentErrors, Diagnostics = diagnostics };
        }

        return await MirrorAsync(files, storage, options, cancellationToken).ConfigureAwait(false) with { Diagnostics = diagnostics };
    }

    /// <summary>Mirrors the folder without checking its content or limiting deletions: for seeding a container in tests and tools.</summary>
    public static async Task<PushResult> PushAsync(IContentSource source, SiteStorage storage, CancellationToken cancellationToken)
    {
        var files = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
        if (files.FirstOrDefault(f => f.Refusal is not null) is { } refused)
        {
            throw new InvalidDataException($"{source.DisplayRoot}/{refused.Path}: {refused.Refusal} Nothing was pushed.");
        }

        return await MirrorAsync(files, storage, new PushOptions { Force = true }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ContentFile>> ReadAsync(IContentSource source, CancellationToken cancellationToken)
    {
        var files = await source.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        if (!files.Any(f => f.Path == ContentLoader.SiteFile))
        {
            throw new DirectoryNotFoundException(
                $"'{source.DisplayRoot}' has no {ContentLoader.SiteFile}, so it is not a content folder; nothing was pushed. Give the folder with --content.");
        }

        return files;
    }

    private static async Task<PushResult> MirrorAsync(IReadOnlyList<ContentFile> files, SiteStorage storage, PushOptions options, CancellationToken cancellationToken)
    {

        var container = storage.Blobs.GetBlobContainerClient(SiteStorage.ContentContainer);
        var held = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
        try
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
            {
                held[blob.Name] = blob;
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var uploads = files.Where(f => !held.TryGetValue(f.Path, out var blob) || !Holds(blob, f.Bytes)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var deletes = held.Keys.Except(files.Select(f => f.Path), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (!options.Force && held.Count > 0 && deletes.Count > options.MaxDeleteShare * held.Count)
        {
            return new PushResult(0, 0, 0, [], [])
            {
                Outcome = PublishOutcome.Refused,
                Refusal = string.Create(CultureInfo.InvariantCulture,
                    $"this push would delete {deletes.Count} of the {held.Count} content files in the container ({100.0 * deletes.Count / held.Count:0}%), ") +
                    string.Create(CultureInfo.InvariantCulture,
                    $"more than the {100 * options.MaxDeleteShare:0.#}% allowed; nothing was pushed. If that is intended, push again with --force."),
            };
        }

        // Removed files go first, so a run that reads the container part way through finds a renamed file
        // under one name at most. Uploaded first, a renamed post would stand under both and go out twice,
        // and a post sent is never taken back; a page missing for a moment is put back by the next run.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = storage.Options.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(deletes, parallel, async (name, ct) =>
            await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        await Parallel.ForEachAsync(uploads, parallel, async (file, ct) =>
            await container.GetBlobClient(file.Path).UploadAsync(new BinaryData(file.Bytes), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(file.Path), ContentHash = MD5.HashData(file.Bytes) },
                Metadata = new Dictionary<string, string> { [BlobSiteTarget.Sha256Metadata] = Hashing.Sha256Hex(file.Bytes) },
            }, ct).ConfigureAwait(false)).ConfigureAwait(false);

        return new PushResult(uploads.Count, files.Count - uploads.Count, deletes.Count, [.. uploads.Select(u => u.Path)], deletes);
    }

    private static bool Holds(BlobItem blob, byte[] bytes)
    {
        if (blob.Metadata.TryGetValue(BlobSiteTarget.Sha256Metadata, out var sha))
        {
            return sha == Hashing.Sha256Hex(bytes);
        }

        return blob.Properties.ContentHash is { Length: > 0 } md5 && md5.AsSpan().SequenceEqual(MD5.HashData(bytes));
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" => "text/markdown; charset=utf-8",
        ".yaml" or ".yml" => "application/yaml; charset=utf-8",
        _ => MediaTypes.For(path),
    };
}
