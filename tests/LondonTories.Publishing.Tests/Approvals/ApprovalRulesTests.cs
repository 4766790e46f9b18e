using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Approvals;

/// <summary>site.yaml's approvers and approval settings: read exactly, and mistakes reported where they are.</summary>
public sealed class ApprovalRulesTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private void SiteWith(string extra) => _site.Write("site.yaml", TestSite.SiteYaml + "\n" + extra);

    private const string TwoApprovers = """
        approvers:
          - id: 0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01
            name: Priya Shah (campaign agent)
            for: [sponsored, pages]
          - id: 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02
            name: Sam Okafor
            for: [sponsored]
        """;

    /// <summary>The content as a deployment with this policy loads it.</summary>
    private SiteContent LoadUnder(ApprovalPolicy policy)
    {
        using var services = new ServiceCollection().AddSingleton(policy).AddLondonToriesPublishing().BuildServiceProvider();
        return services.GetRequiredService<ContentLoader>().LoadAsync(new FolderContentSource(_site.ContentDir), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public void Approvers_are_read_with_their_kinds_and_seats_and_listing_them_asks_for_sponsored_posts_to_be_approved()
    {
        SiteWith("""
            approvers:
              - id: 0B5C6A1E-7D1F-4C55-9A57-3F1D2E9C8A01
                name: Priya Shah (campaign agent)
                for: [sponsored, pages]
              - id: 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02
                name: Sam Okafor
                for: [sponsored]
                audience: [battersea]
            """);

        var content = _site.Load();

        Assert.Empty(content.Diagnostics);
        var rules = content.Site.Approval;
        Assert.Equal((true, false), (rules.Sponsored, rules.Pages));
        Assert.Equal(
            [("0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01", "Priya Shah (campaign agent)", true, true), ("5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02", "Sam Okafor", true, false)],
            rules.Approvers.Select(a => (a.ObjectId, a.Name, a.Sponsored, a.Pages)));
        var seats = content.Constituencies.ToDictionary(s => s.Slug);
        Assert.True(rules.Find("0B5C6A1E-7D1F-4C55-9A57-3F1D2E9C8A01")!.Covers(seats["tooting"]));
        Assert.True(rules.Approvers[1].Covers(seats["battersea"]));
        Assert.False(rules.Approvers[1].Covers(seats["tooting"]));
    }

    [Fact]
    public void Without_approvers_nothing_needs_approval()
    {
        Assert.Equal(ApprovalRules.None, _site.Load().Site.Approval);
    }

    [Fact]
    public void Mistakes_in_approvers_are_errors_at_their_lines()
    {
        SiteWith("""
            approvers:
              - id: priya@example.org
                name: Priya Shah
                for: [sponsord]
              - id: 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02
                name: Sam Okafor
                for: [sponsored]
                audience: [batersea]
            approval: {pages: true}
            """);

        var diagnostics = _site.Load().Diagnostics;

        Assert.Equal(
            [("invalid-object-id", 10), ("unknown-approval-kind", 12), ("unknown-seat", 16), ("no-approver", 17)],
            diagnostics.Select(d => (d.Code, d.Location.Line)));
        Assert.Contains("Did you mean 'sponsored'?", diagnostics[1].Hint);
        Assert.Equal("approval: pages need approval, but no approver in 'approvers' may give it.", diagnostics[3].Message);
    }

    [Fact]
    public void Sponsored_posts_needing_approval_with_nobody_to_give_it_is_an_error()
    {
        SiteWith("""
            approvers:
              - id: 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02
                name: Sam Okafor
                for: [pages]
            """);

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(("no-approver", 9), (diagnostic.Code, diagnostic.Location.Line));
        Assert.Equal("Add an approver with 'for: [sponsored]', or set 'approval: {sponsored: false}'.", diagnostic.Hint);
    }

    [Fact]
    public void Editors_are_read_and_count_as_editors_beside_the_approvers_while_a_bad_id_is_an_error_at_its_line()
    {
        SiteWith("""
            approvers:
              - id: 0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01
                name: Priya Shah (campaign agent)
                for: [sponsored]
            editors:
              - id: 3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E04
                name: Alex Green (press officer)
              - id: alex@example.org
                name: Alex again
            """);

        var content = _site.Load();

        Assert.Equal([("invalid-object-id", 16)], content.Diagnostics.Select(d => (d.Code, d.Location.Line)));
        var rules = content.Site.Approval;
        Assert.Equal("Alex Green (press officer)", rules.EditorName("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e04"));
        Assert.Equal("Priya Shah (campaign agent)", rules.EditorName("0B5C6A1E-7D1F-4C55-9A57-3F1D2E9C8A01"));
        Assert.Null(rules.EditorName("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03"));
    }

    [Fact]
    public void Site_yaml_cannot_make_an_approver_of_someone_the_deployment_does_not_list()
    {
        SiteWith(TwoApprovers);

        var content = LoadUnder(new ApprovalPolicy(["0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01"]) { Source = "the app setting LONDONTORIES_APPROVERS" });

        var rules = content.Site.Approval;
        Assert.Equal(["Priya Shah (campaign agent)"], rules.Approvers.Select(a => a.Name));
        Assert.Null(rules.Find("5E2F9D3C-1A4B-4F6E-8C7D-2B1A0F9E8D02"));
        var warning = Assert.Single(content.Diagnostics);
        Assert.Equal(("approver-not-allowed", 13, false), (warning.Code, warning.Location.Line, warning.IsError));
        Assert.Equal("Sam Okafor (5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02) is listed as an approver, but the app setting LONDONTORIES_APPROVERS does not name them, so nothing counts as approved on their word.", warning.Message);
        Assert.Contains("adds their object id to the app setting LONDONTORIES_APPROVERS", warning.Hint);
    }

    [Fact]
    public void What_the_deployment_requires_to_be_approved_site_yaml_cannot_turn_off()
    {
        SiteWith(TwoApprovers + "\napproval: {sponsored: false, pages: false}\n");

        var content = LoadUnder(new ApprovalPolicy(["0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01", "5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02"], Sponsored: true, Pages: true));

        Assert.Empty(content.Diagnostics);
        Assert.Equal((true, true), (content.Site.Approval.Sponsored, content.Site.Approval.Pages));
        Assert.Equal(2, content.Site.Approval.Approvers.Length);
    }

    [Fact]
    public void A_site_that_names_no_approver_under_a_deployment_that_requires_approval_loads_and_its_sponsored_posts_need_it()
    {
        var content = LoadUnder(new ApprovalPolicy([], Sponsored: true));

        Assert.Empty(content.Diagnostics);
        Assert.Equal((true, false), (content.Site.Approval.Sponsored, content.Site.Approval.Pages));
        Assert.Empty(content.Site.Approval.Approvers);
    }

    [Fact]
    public void A_deployment_without_a_list_of_approvers_is_told_that_site_yaml_alone_decides_who_approves()
    {
        SiteWith(TwoApprovers);

        var content = LoadUnder(new ApprovalPolicy(Approvers: null) { Source = "the app setting LONDONTORIES_APPROVERS", Unguarded = true });

        var warning = Assert.Single(content.Diagnostics);
        Assert.Equal(("approvers-unguarded", 9, false), (warning.Code, warning.Location.Line, warning.IsError));
        Assert.Contains("whoever can change site.yaml can make themselves an approver", warning.Message);
        Assert.Equal(2, content.Site.Approval.Approvers.Length);
        Assert.Empty(_site.Load().Diagnostics);
    }
}
