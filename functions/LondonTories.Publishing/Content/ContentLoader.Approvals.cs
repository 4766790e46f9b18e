using System.Collections.Immutable;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Content;

/// <summary>site.yaml's approvers and what needs their approval.</summary>
public sealed partial class ContentLoader
{
    private static readonly string[] ApproverKeys = ["id", "name", "for", "audience"];
    private static readonly string[] EditorKeys = ["id", "name"];
    private static readonly string[] ApprovalKeys = ["pages", "sponsored"];
    private static readonly string[] ApprovalKinds = ["sponsored", "pages"];

    private static ApprovalRules ReadApprovalRules(YamlFields fields, SelectorParser selectors, ApprovalPolicy policy, DiagnosticBag diagnostics)
    {
        var listed = ReadApprovers(fields, selectors, diagnostics);
        var approvers = listed.Where(a => Allowed(a, policy, diagnostics)).ToImmutableArray();
        if (policy.Unguarded && !listed.IsEmpty)
        {
            diagnostics.Warning(fields.KeyLocation("approvers"), "approvers-unguarded",
                $"site.yaml names who may approve, and nothing outside the content bounds it ({policy.Source} is empty): whoever can change site.yaml can make themselves an approver.",
                $"Set {policy.Source} to the object ids of the people who may approve; site.yaml then chooses among them.");
        }

        var approval = fields.Mapping("approval");
        approval?.RejectUnknownKeys(ApprovalKeys, "approval");

        // Listing approvers is asking for sponsored posts to be approved, unless the site says otherwise;
        // what the deployment requires, the site cannot turn off.
        var pages = approval?.Bool("pages") ?? false;
        var sponsored = approval?.Bool("sponsored") ?? !listed.IsEmpty;
        var rules = new ApprovalRules(approvers, pages || policy.Pages, sponsored || policy.Sponsored)
        {
            Editors = ReadEditors(fields, diagnostics),
            Policy = policy,
        };

        // Only where site.yaml asks, and of site.yaml as written: a deployment that requires approval
        // of a site that names no approver, or none it lets approve (each warned of above), keeps
        // its sponsored posts waiting, and says who could approve them: nobody.
        if (sponsored && !listed.Any(a => a.Sponsored))
        {
            var location = approval?.Find("sponsored") is { } node ? approval.LocationOf(node) : fields.KeyLocation("approvers");
            diagnostics.Error(location, "no-approver", "approval: sponsored posts need approval, but no approver in 'approvers' may give it.",
                "Add an approver with 'for: [sponsored]', or set 'approval: {sponsored: false}'.");
        }

        if (pages && !listed.Any(a => a.Pages))
        {
            diagnostics.Error(approval!.LocationOf(approval.Find("pages")!), "no-approver", "approval: pages need approval, but no approver in 'approvers' may give it.",
                "Add an approver with 'for: [pages]', or set 'approval: {pages: false}'.");
        }

        return rules;
    }

    /// <summary>
    /// An approver site.yaml lists whom the deployment does not let approve is a warning, and their
    /// approvals count for nothing: the rest of the site still publishes, and nothing they approved goes out on their word.
    /// </summary>
    private static bool Allowed(Approver approver, ApprovalPolicy policy, DiagnosticBag diagnostics)
    {
        if (policy.Allows(approver.ObjectId))
        {
            return true;
        }

        var location = approver.IdLocation;
        diagnostics.Warning(location, "approver-not-allowed",
            $"{approver.Name} ({approver.ObjectId}) is listed as an approver, but {policy.Source} does not name them, so nothing counts as approved on their word.",
            $"Whoever runs the deployment adds their object id to {policy.Source}; site.yaml can only choose among the people named there. Otherwise remove them from 'approvers'.");
        return false;
    }

    /// <summary>People are named by their Entra ID object id, the identity sign-in verifies; anything else is an error at the id.</summary>
    private static bool IsObjectId(YamlFields person, string id, string role, DiagnosticBag diagnostics)
    {
        if (Guid.TryParseExact(id, "D", out _))
        {
            return true;
        }

        diagnostics.Error(person.LocationOf(person.Find("id")!), "invalid-object-id", $"{role} id '{id}' is not an Entra ID object id.",
            "Give the user's object id, e.g. from 'az ad user show --id someone@example.org --query id'.");
        return false;
    }

    private static ImmutableArray<Editor> ReadEditors(YamlFields fields, DiagnosticBag diagnostics)
    {
        if (fields.Find("editors") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            diagnostics.Error(fields.LocationOf(node), "wrong-type", "'editors' must be a list of editors, each with id and name.");
            return [];
        }

        var editors = new List<Editor>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                diagnostics.Error(fields.LocationOf(item), "wrong-type", "each editor must be a mapping with id and name.");
                continue;
            }

            var editor = new YamlFields(mapping, fields.Text);
            editor.RejectUnknownKeys(EditorKeys, "an editor");
            var id = editor.String("id", required: true, "an editor");
            var name = editor.String("name", required: true, "an editor");
            if (id is null || name is null)
            {
                continue;
            }

            if (!IsObjectId(editor, id, "editor", diagnostics))
            {
                continue;
            }

            editors.Add(new Editor(id.ToLowerInvariant(), name));
        }

        return [.. editors];
    }

    private static ImmutableArray<Approver> ReadApprovers(YamlFields fields, SelectorParser selectors, DiagnosticBag diagnostics)
    {
        if (fields.Find("approvers") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            diagnostics.Error(fields.LocationOf(node), "wrong-type", "'approvers' must be a list of approvers, each with id, name and for.");
            return [];
        }

        var approvers = new List<Approver>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                diagnostics.Error(fields.LocationOf(item), "wrong-type", "each approver must be a mapping with id, name and for.");
                continue;
            }

            var approver = new YamlFields(mapping, fields.Text);
            approver.RejectUnknownKeys(ApproverKeys, "an approver");
            var id = approver.String("id", required: true, "an approver");
            var name = approver.String("name", required: true, "an approver");
            var kinds = approver.StringList("for");
            if (!approver.Has("for"))
            {
                diagnostics.Error(approver.Location, "missing-key", "an approver needs 'for': what they approve.", "Write 'for: [sponsored]', 'for: [pages]' or 'for: [sponsored, pages]'.");
            }

            foreach (var (kind, location) in kinds.Where(k => !ApprovalKinds.Contains(k.Value)))
            {
                var suggestion = DidYouMean.Suggest(kind, ApprovalKinds);
                diagnostics.Error(location, "unknown-approval-kind", $"an approver approves 'sponsored' posts or 'pages', not '{kind}'.",
                    suggestion is null ? "Write 'sponsored', 'pages' or both." : DidYouMean.Hint(suggestion));
            }

            var audience = ReadAudience(approver, selectors, diagnostics);
            if (id is null || name is null)
            {
                continue;
            }

            var idLocation = approver.LocationOf(approver.Find("id")!);
            if (!IsObjectId(approver, id, "approver", diagnostics))
            {
                continue;
            }

            if (seen.TryGetValue(id, out var line))
            {
                diagnostics.Error(idLocation, "duplicate-approver", $"the approver '{id}' is listed twice (first at line {line}).", "Keep one entry and list everything they approve in its 'for'.");
                continue;
            }

            seen[id] = idLocation.Line;
            approvers.Add(new Approver(id.ToLowerInvariant(), name, kinds.Any(k => k.Value == "sponsored"), kinds.Any(k => k.Value == "pages"), audience, approver.Location) { IdLocation = idLocation });
        }

        return [.. approvers];
    }
}
