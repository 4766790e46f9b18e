namespace LondonTories.Publishing.Content;

/// <summary>
/// The one rule for a path inside the content or the site (<c>static/x.css</c>, <c>web/battersea/index.html</c>):
/// plain names joined by '/'. An empty, '.' or '..' part, or a backslash (a separator on Windows and to
/// many tools), could make it name another place than it seems to, outside its folder included.
/// </summary>
public static class RelativePaths
{
    public static bool HasBackslash(string path) => path.Contains('\\', StringComparison.Ordinal);

    public static bool HasUnsafeSegment(string path)
    {
        // Without allocating: loading asks this of every content file.
        foreach (var range in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(range) is "" or "." or "..")
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsSafe(string path) => !HasBackslash(path) && !HasUnsafeSegment(path);
}
