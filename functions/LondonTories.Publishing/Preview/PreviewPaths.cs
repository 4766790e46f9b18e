namespace LondonTories.Publishing.Preview;

/// <summary>
/// Maps request paths to the published files as the static website serves them: a folder's
/// <c>index.html</c> answers for the folder.
/// </summary>
public static class PreviewPaths
{
    public const string NotFound = "web/404.html";

    public static string OutputPath(string urlPath)
    {
        var path = urlPath.TrimStart('/');
        if (path.Length == 0 || path.EndsWith('/'))
        {
            path += "index.html";
        }

        return "web/" + path;
    }

    /// <summary>The address a folder is served at, for a request that left out its final slash.</summary>
    public static string? FolderOf(string urlPath)
    {
        var last = urlPath[(urlPath.LastIndexOf('/') + 1)..];
        // One leading slash: browsers read //name/ and ///name/ as another host.
        return last.Length > 0 && !last.Contains('.', StringComparison.Ordinal) ? "/" + urlPath.TrimStart('/') + "/" : null;
    }
}
