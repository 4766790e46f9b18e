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
    /// <summary>The app setting, and the CLI's environment variable, naming everyone who may approve: Entra ID object ids, separated by commas.</summary>
    public const string ApproversSetting = "LONDONTORIES_APPROVERS";

    /// <summary>The app setting, and the CLI's environment variable, naming what needs approval whatever site.yaml says: sponsored, pages or both.</summary>
    public const string RequiredSetting = "LONDONTORIES_APPROVAL_REQUIRED";

    /// <summary>site.yaml alone decides, as for a folder published from one machine with no deployment behind it.</summary>
    public static readonly ApprovalPolicy ContentDecides = new(Approvers: null);

    /// <summary>Where the list is kept, as messages name it, e.g. "the app setting LONDONTORIES_APPROVERS".</summary>
    public string Source { get; init; } = "the deployment's list of approvers";

    /// <summary>
    /// True where a deployment publishes without a list of approvers: whoever can change site.yaml can
    /// then make themselves an approver, and a run that reads approvers there says so.
    /// </summary>
    public bool Unguarded { get; init; }

    /// <summary>
    /// The policy the two settings' values give, where (e.g. "the app setting") says: with no approvers
    /// listed, site.yaml decides, and <paramref name="unguardedWhenEmpty"/> says whether that is to be warned of.
    /// </summary>
    /// <exception cref="FormatException">A value is not what the setting takes; the message names the setting and the fix.</exception>
    public static ApprovalPolicy Parse(string? approvers, string? required, string where, bool unguardedWhenEmpty)
    {
        var ids = Split(approvers);
        foreach (var id in ids.Where(id => !Guid.TryParseExact(id, "D", out _)))
        {
            throw new FormatException($"{ApproversSetting} holds '{id}', which is not an Entra ID object id; list object ids separated by commas, e.g. from 'az ad user show --id someone@example.org --query id'.");
        }

        var kinds = Split(required);
        foreach (var kind in kinds.Where(k => k is not ("sponsored" or "pages")))
        {
            throw new FormatException($"{RequiredSetting} holds '{kind}'; set it to 'sponsored', 'pages', 'sponsored,pages' or leave it empty.");
        }

        return new ApprovalPolicy(ids.Length == 0 ? null : [.. ids.Select(id => id.ToLowerInvariant())], kinds.Contains("sponsored"), kinds.Contains("pages"))
        {
            Source = $"{where} {ApproversSetting}",
            Unguarded = ids.Length == 0 && unguardedWhenEmpty,
        };

        static string[] Split(string? value) => value?.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries) ?? [];
    }

    /// <summary>As the CLI's environment (or <paramref name="variable"/>) gives it: unset, site.yaml decides, as for any folder.</summary>
    /// <exception cref="FormatException">A value is not what the variable takes.</exception>
    public static ApprovalPolicy FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        return Parse(variable(ApproversSetting), variable(RequiredSetting), "the environment variable", unguardedWhenEmpty: false);
    }

    /// <summary>Whether site.yaml may make this person an approver; ids compare without regard to case, as Entra ID issues them.</summary>
    public bool Allows(string objectId) => Approvers is null || Approvers.Contains(objectId.ToLowerInvariant());
}
