namespace LondonTories.Publishing.Diagnostics;

/// <summary>
/// A URL as an error or a description may show it: scheme, host, port and path. The user name and
/// password, and the query (a shared access signature, a token), are left out, so printing the
/// message never spreads them; "?…" says a query was there.
/// </summary>
public static class ShownUrl
{
    public static string Of(Uri uri) =>
        $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{(uri.Query.Length > 1 ? "?…" : string.Empty)}";
}
