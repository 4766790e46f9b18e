using System.Collections.Immutable;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// What a folder keeps of its last complete run: its fingerprint, the content folder it read as the
/// editor named it (null when not known), and the warnings the run gave, which the same files give
/// again, so a run that finds nothing to do can report them without parsing a page.
/// </summary>
public sealed record CompletedRun(PublishFingerprint Fingerprint, string? ContentRoot, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The social posts as the run left them, each filed or still scheduled: no post's time or grace ends while the fingerprint holds.</summary>
    public ImmutableArray<PostOutcome> Posts { get; init; } = [];
}
