using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The editors' content tree as pushed to the <c>content</c> container, with the same layout as the
/// folder. Blobs are re-read only when their ETag changed since the last read, so a run on a
/// schedule costs one listing when nothing was edited.
/// </summary>
public sealed class BlobContentSource(BlobContainerClient container, int parallelism) : IContentSource
{
    private readonly ConcurrentDictionary<string, (ETag ETag, byte[] Bytes)> _cache = new(StringComparer.Ordinal);

    public string DisplayRoot => SiteStorage.ContentContainer;

    public BlobContainerClient Container => container;

    public async Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var listed = new List<BlobItem>();
        try
        {
            await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (!blob.Name.Split('/').Any(segment => segment.StartsWith('.')))
                {
                    listed.Add(blob);
                }
            }
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Nothing pushed yet: loading reports the missing site.yaml like for an empty folder.
        }

        var read = ContentFile.WithinTotal([.. listed.Select(b => (b.Name, b.Properties.ContentLength ?? 0))]);
        var files = new ContentFile[listed.Count];
        await Parallel.ForAsync(0, listed.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var blob = listed[i];
            if (!read[i])
            {
                files[i] = new ContentFile(blob.Name, []) { Size = blob.Properties.ContentLength ?? 0 };
                return;
            }

            var etag = blob.Properties.ETag ?? default;
            if (!_cache.TryGetValue(blob.Name, out var cached) || cached.ETag != etag || etag == default)
            {
                // A file too large to load is read only far enough for loading to say so.
                var range = blob.Properties.ContentLength > ContentFile.MaxBytes ? new HttpRange(0, ContentFile.MaxBytes + 1) : default;
                var download = await container.GetBlobClient(blob.Name).DownloadContentAsync(new BlobDownloadOptions { Range = range }, ct).ConfigureAwait(false);
                cached = (download.Value.Details.ETag, download.Value.Content.ToArray());
                _cache[blob.Name] = cached;
            }

            files[i] = new ContentFile(blob.Name, cached.Bytes) { Size = blob.Properties.ContentLength ?? cached.Bytes.Length };
        }).ConfigureAwait(false);

        foreach (var gone in _cache.Keys.Except(listed.Select(b => b.Name), StringComparer.Ordinal))
        {
            _cache.TryRemove(gone, out _);
        }

        return files;
    }
}
