using System.Collections.Immutable;

namespace LondonTories.Publishing.Content;

/// <summary>
/// What the deployment, not the content, decides about approvals: who may approve at all, and what
/// must be approved whatever site.yaml says. The people who write content can change site.yaml, so
/// site.yaml alone cannot be what stops an editor from approving their own sponsored post.
/// </summary>
/// <param name="Approvers">The Entra ID object ids that site.yaml may make approvers, in lower case; null where no such list is kept.</param>
/// <param name="Sponsored">Sponsored posts need approval even where site.yaml says they do not.</param>
/// <param name="Pages">Pages need approval even where site.yaml says they do not.</param>
public sealed record ApprovalPolicy(ImmutableHashSet<string>? Approvers, bool Sponsored = false, bool Pages = false)
{
    /// <summary>site.yaml alone decides, as for a folder published from one machine with no deployment behind it.</summary>
    public static readonly ApprovalPolicy ContentDecides = new(Approvers: null);

    /// <summary>Where the list is kept, as messages name it, e.g. "the app setting APPROVERS".</summary>
    public string Source { get; init; } = "the deployment's list of approvers";

    /// <summary>
    /// True where a deployment publishes without a list of approvers: whoever can change site.yaml can
    /// then make themselves an approver, and a run that reads approvers there says so.
    /// </summary>
    public bool Unguarded { get; init; }

    /// <summary>Whether site.yaml may make this person an approver; ids compare without regard to case, as Entra ID issues them.</summary>
    public bool Allows(string objectId) => Approvers is null || Approvers.Contains(objectId.ToLowerInvariant());
}
