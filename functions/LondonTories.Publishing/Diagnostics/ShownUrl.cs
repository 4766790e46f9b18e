namespace LondonTories.Publishing.Diagnostics;

/// <summary>
/// A URL as an error or a description may show it: scheme, host, port and path. The user name and
/// password, and the query (a shared access signature, a token), are left out, so printing the
/// message never spreads them; "?…" says a query was there. A path longer than a reader could take
/// in is cut, as a URL from elsewhere (a redirect's Location) can be any length.
/// </summary>
public static class ShownUrl
{
    private const int MaxPath = 300;

    public static string Of(Uri uri)
    {
        var path = uri.AbsolutePath.Length > MaxPath ? string.Concat(uri.AbsolutePath.AsSpan(0, MaxPath), "…") : uri.AbsolutePath;
        return $"{uri.Scheme}://{uri.Authority}{path}{(uri.Query.Length > 1 ? "?…" : string.Empty)}";
    }
}
