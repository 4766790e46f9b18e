using System.Collections.Immutable;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Audience;

public sealed record Association(string Name, string Email, string Website, string Address)
{
    /// <summary>Where the association wants to hear of its seat's changes, if anywhere.</summary>
    public AssociationWebhook? Webhook { get; init; }
}

/// <summary>An association's webhook: its HTTPS address and the name (never the value) of the secret that signs deliveries.</summary>
public sealed record AssociationWebhook(string Url, string Secret)
{
    /// <summary>Where the secret is named, for errors about it.</summary>
    public SourceLocation Location { get; init; } = SourceLocation.StartOf(string.Empty);
}

/// <summary>A Westminster constituency and what it publishes.</summary>
public sealed record Constituency(
    string Slug,
    string Name,
    string GssCode,
    ImmutableArray<string> Boroughs,
    ImmutableArray<string> BoroughSlugs,
    ImmutableArray<string> Tags,
    ImmutableArray<string> Languages,
    int Electorate,
    Association Association,
    IReadOnlyDictionary<string, object?> Data,
    SourceLocation Location)
{
    /// <summary>A digest of everything about the seat that can reach a page, for incremental publishing.</summary>
    public string Fingerprint { get; init; } = string.Empty;
}
