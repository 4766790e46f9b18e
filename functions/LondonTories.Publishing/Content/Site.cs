using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>
/// The legal digital imprint (Elections Act 2022, Part 6): who promotes the material, on whose behalf,
/// and their addresses.
/// </summary>
public sealed record Imprint(string Promoter, string Address, string? OnBehalfOf = null, string? OnBehalfOfAddress = null)
{
    public string Text
    {
        get
        {
            // The sentence ends, or goes on, after each address: one written with its own full stop keeps just one.
            var address = Bare(Address);
            if (OnBehalfOf is null)
            {
                return $"Promoted by {Promoter}, {address}.";
            }

            return OnBehalfOfAddress is null || Bare(OnBehalfOfAddress) == address
                ? $"Promoted by {Promoter} on behalf of {OnBehalfOf}, both of {address}."
                : $"Promoted by {Promoter}, {address}, on behalf of {OnBehalfOf}, {Bare(OnBehalfOfAddress)}.";
        }
    }

    private static string Bare(string address) => address.TrimEnd().TrimEnd('.').TrimEnd();
}

public sealed record Site(
    string Title,
    string BaseUrl,
    string Language,
    TimeZoneInfo TimeZone,
    Imprint Imprint,
    SourceLocation Location)
{
    /// <summary>Who may approve content and what must be approved before it goes out (<c>approvers:</c>, <c>approval:</c>).</summary>
    public ApprovalRules Approval { get; init; } = ApprovalRules.None;

    /// <summary>How many pages a feed carries, those updated last: <c>feed_entries:</c>, default <see cref="DefaultFeedEntries"/>.</summary>
    public int FeedEntries { get; init; } = DefaultFeedEntries;

    /// <summary>
    /// Enough for a reader polling daily or weekly to miss nothing; a feed of every page (0.8 MB for
    /// a seat of 200) would be fetched whole at every poll, while pages.json lists every page anyway.
    /// </summary>
    public const int DefaultFeedEntries = 50;

    /// <summary>
    /// The path the site is published under (<c>/london</c> for https://www.example.org.uk/london),
    /// without its last slash: empty for a site at the root of its domain. A link from the domain's
    /// root to one of the site's own files starts with it.
    /// </summary>
    public string BasePath => BasePathOf(new Uri(BaseUrl));

    /// <summary>The path a site at <paramref name="baseUrl"/> is published under, as <see cref="BasePath"/> tells it.</summary>
    public static string BasePathOf(Uri baseUrl) => baseUrl.AbsolutePath.TrimEnd('/');

    /// <summary>
    /// The path within a site published under <paramref name="basePath"/> that a path from the domain's
    /// root names (<c>/london/assets/site.css</c> is <c>/assets/site.css</c>), or null when it lies outside the site.
    /// </summary>
    public static string? PathWithin(string basePath, string domainPath) =>
        basePath.Length == 0 ? domainPath
        : domainPath.StartsWith(basePath + "/", StringComparison.Ordinal) ? domainPath[basePath.Length..]
        : domainPath == basePath ? "/"
        : null;

    /// <summary>An absolute URL on the site for a root-relative path such as <c>/battersea/housing/</c>.</summary>
    public string UrlFor(string rootRelativePath) => BaseUrl.TrimEnd('/') + rootRelativePath;
}
