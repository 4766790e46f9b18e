using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Social;

/// <summary>
/// One account posts go out on, from <c>channels.yaml</c>: a platform, the seats it speaks for, the
/// platform's account fields and the NAME of the secret that signs in to it (never the secret).
/// </summary>
public sealed record Channel(
    string Id,
    string Platform,
    AudienceRule Audience,
    Uri ApiUrl,
    ImmutableSortedDictionary<string, string> Account,
    string Secret,
    double AdRadiusKm,
    SourceLocation Location)
{
    /// <summary>The radius a sponsored post's ad reaches around the seat's centre when the channel does not say.</summary>
    public const double DefaultAdRadiusKm = 3;
}
