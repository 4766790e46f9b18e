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
            if (OnBehalfOf is null)
            {
                return $"Promoted by {Promoter}, {Address}.";
            }

            return OnBehalfOfAddress is null || OnBehalfOfAddress == Address
                ? $"Promoted by {Promoter} on behalf of {OnBehalfOf}, both of {Address}."
                : $"Promoted by {Promoter}, {Address}, on behalf of {OnBehalfOf}, {OnBehalfOfAddress}.";
        }
    }
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

    /// <summary>An absolute URL on the site for a root-relative path such as <c>/battersea/housing/</c>.</summary>
    public string UrlFor(string rootRelativePath) => BaseUrl.TrimEnd('/') + rootRelativePath;
}
