using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// One digest of every input of a publish (the content's files, the engine, the options) and the span
/// of time over which those inputs give the same site: from the run's moment until the next scheduled
/// <c>publish_at</c>, <c>expire_at</c> or post time. A run inside that span with the same digest has
/// nothing to do, and need not even list what the site holds.
/// </summary>
public sealed record PublishFingerprint(string Digest, DateTimeOffset From, DateTimeOffset? Until, int Pages, int Seats, int Files)
{
    private const string DigestKey = "publishdigest";
    private const string FromKey = "publishfrom";
    private const string UntilKey = "publishuntil";
    private const string CountsKey = "publishcounts";
    private const string HeldKey = "publishheld";

    private static readonly string EngineVersion = typeof(PublishFingerprint).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public static PublishFingerprint Of(IReadOnlyList<ContentFile> files, SiteContent content, PublishOptions options, DateTimeOffset now)
    {
        var text = Preamble(options);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            text.Append(file.Path).Append('\0').Append(Convert.ToHexStringLower(SHA256.HashData(file.Bytes))).Append('\0').Append(file.Refusal).Append('\n');
        }

        return new PublishFingerprint(Hashing.Sha256Hex(text.ToString()), now, NextScheduled(content, options, now), 0, 0, 0);
    }

    /// <summary>The fingerprint of content already loaded, from the digest the loader took of its files (a file it refused is an error, and content with errors is never fingerprinted).</summary>
    public static PublishFingerprint Of(SiteContent content, PublishOptions options, DateTimeOffset now) =>
        Before(content.Digest, options, now) with { Until = NextScheduled(content, options, now) };

    /// <summary>
    /// The fingerprint of content files not parsed yet, which is all <see cref="Covers"/> needs: the
    /// same digest means the same scheduled times, so an earlier run with this digest knows until when
    /// its site holds.
    /// </summary>
    public static PublishFingerprint Before(string contentDigest, PublishOptions options, DateTimeOffset now) =>
        new(Hashing.Sha256Hex(Preamble(options).Append(contentDigest).ToString()), now, null, 0, 0, 0);

    private static StringBuilder Preamble(PublishOptions options) => new StringBuilder().Append(EngineVersion).Append('\n')
        .Append(CultureInfo.InvariantCulture, $"{options.MaxDeleteShare}\n{options.SocialGracePeriod}\n{options.Force}\n");

    private static DateTimeOffset? NextScheduled(SiteContent content, PublishOptions options, DateTimeOffset now)
    {
        var grace = options.SocialGracePeriod;
        var instants = content.Pages.SelectMany(p => new[] { p.PublishAt, p.ExpireAt })
            .Concat(content.Posts.SelectMany(p => new DateTimeOffset?[] { p.Schedule, p.Schedule + grace }))
            .OfType<DateTimeOffset>()
            .Where(t => t > now);
        return instants.Any() ? instants.Min() : null;
    }

    /// <summary>True when a run described by <paramref name="current"/> would give exactly the site this one published.</summary>
    public bool Covers(PublishFingerprint current) =>
        Digest == current.Digest && From <= current.From && (Until is null || current.From < Until);

    internal static PublishFingerprint? FromMetadata(IDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(DigestKey, out var digest) || !metadata.TryGetValue(FromKey, out var from) || !metadata.TryGetValue(CountsKey, out var counts)
            || !DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var fromTime))
        {
            return null;
        }

        DateTimeOffset? until = metadata.TryGetValue(UntilKey, out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var untilTime)
            ? untilTime
            : null;
        var numbers = counts.Split(' ').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1).ToArray();
        return numbers is [>= 0, >= 0, >= 0] ? new PublishFingerprint(digest, fromTime, until, numbers[0], numbers[1], numbers[2]) : null;
    }

    /// <summary>
    /// The version (ETag) of the record of every blob the run that left this fingerprint held at its
    /// end, when it kept one, and only while its fingerprint is there to vouch for the site.
    /// </summary>
    internal static string? HeldRecordOf(IDictionary<string, string> metadata) =>
        FromMetadata(metadata) is not null && metadata.TryGetValue(HeldKey, out var version) && version.Length > 0 ? version : null;

    /// <summary>The container's metadata with this fingerprint in place of any earlier one, and the version of the record of what the site holds, when there is one.</summary>
    internal Dictionary<string, string> WriteTo(IDictionary<string, string> metadata, string? heldRecord = null)
    {
        var updated = Remove(metadata);
        if (heldRecord is not null)
        {
            updated[HeldKey] = heldRecord;
        }

        updated[DigestKey] = Digest;
        updated[FromKey] = From.ToString("O", CultureInfo.InvariantCulture);
        if (Until is { } until)
        {
            updated[UntilKey] = until.ToString("O", CultureInfo.InvariantCulture);
        }

        updated[CountsKey] = string.Create(CultureInfo.InvariantCulture, $"{Pages} {Seats} {Files}");
        return updated;
    }

    internal static Dictionary<string, string> Remove(IDictionary<string, string> metadata) =>
        metadata.Where(m => m.Key is not (DigestKey or FromKey or UntilKey or CountsKey or HeldKey)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
}
