using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>
/// A person site.yaml lets approve content: their Entra ID object id (what sign-in proves), a name
/// for reports, what they may approve and, optionally, which seats.
/// </summary>
public sealed record Approver(string ObjectId, string Name, bool Sponsored, bool Pages, AudienceRule Audience, SourceLocation Location)
{
    public bool Covers(Constituency seat) => Audience.Includes(seat);

    /// <summary>Where the id is written, for what is said about this person.</summary>
    public SourceLocation IdLocation { get; init; } = Location;
}

/// <summary>Who may approve what (<c>approvers:</c>) and what needs approval before it goes out (<c>approval:</c>).</summary>
public sealed record ApprovalRules(ImmutableArray<Approver> Approvers, bool Pages, bool Sponsored)
{
    public static readonly ApprovalRules None = new([], false, false);

    /// <summary>What the deployment decides beyond site.yaml: it has bounded <see cref="Approvers"/> and raised <see cref="Pages"/> and <see cref="Sponsored"/> already.</summary>
    public ApprovalPolicy Policy { get; init; } = ApprovalPolicy.ContentDecides;

    /// <summary>People who may ask for preview links while signed in (<c>editors:</c>), besides the approvers.</summary>
    public ImmutableArray<Editor> Editors { get; init; } = [];

    /// <summary>The approver listed with this object id, if any; ids compare without regard to case, as Entra ID issues them.</summary>
    public Approver? Find(string objectId) =>
        Approvers.FirstOrDefault(a => string.Equals(a.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The name of the editor or approver listed with this object id, or null for anyone else.</summary>
    public string? EditorName(string objectId) =>
        Find(objectId)?.Name ?? Editors.FirstOrDefault(e => string.Equals(e.ObjectId, objectId, StringComparison.OrdinalIgnoreCase))?.Name;
}

/// <summary>Someone site.yaml lets ask for preview links while signed in: their Entra ID object id and a name for reports.</summary>
public sealed record Editor(string ObjectId, string Name);
