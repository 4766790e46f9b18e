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
}

/// <summary>Who may approve what (<c>approvers:</c>) and what needs approval before it goes out (<c>approval:</c>).</summary>
public sealed record ApprovalRules(ImmutableArray<Approver> Approvers, bool Pages, bool Sponsored)
{
    public static readonly ApprovalRules None = new([], false, false);

    /// <summary>The approver listed with this object id, if any; ids compare without regard to case, as Entra ID issues them.</summary>
    public Approver? Find(string objectId) =>
        Approvers.FirstOrDefault(a => string.Equals(a.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));
}
