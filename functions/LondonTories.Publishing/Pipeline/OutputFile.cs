using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// A file the run publishes, addressed as in the local folder (<c>web/battersea/index.html</c>); the
/// first segment is the blob container (<c>web</c> stands for <c>$web</c>).
/// </summary>
public sealed record OutputFile(string Path, byte[] Bytes, string Sha256, string? InputKey = null)
{
    public static OutputFile From(string path, byte[] bytes, string? inputKey = null) => new(path, bytes, Hashing.Sha256Hex(bytes), inputKey);

    /// <summary>Where the target keeps the bytes until the run writes the file, once it has taken them out of memory (<see cref="Bytes"/> is then empty).</summary>
    public string? StagedAt { get; init; }

    public string ContentType => MediaTypes.For(Path);
}

/// <summary>Content-Type and Cache-Control per kind of file.</summary>
public static class MediaTypes
{
    public static string For(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".xml" => "application/xml; charset=utf-8",
        ".atom" => "application/atom+xml; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".txt" => "text/plain; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".ico" => "image/x-icon",
        ".pdf" => "application/pdf",
        ".zip" => "application/zip",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// Pages and indexes change whenever editors publish, so caches must check back soon; the
    /// stylesheet and other static assets change rarely.
    /// </summary>
    public static string CacheControlFor(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".xml" or ".atom" => "public, max-age=300",
        ".json" => "public, max-age=60",
        _ => "public, max-age=86400",
    };
}
