using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Approvals;

/// <summary>
/// Pages held for approval: a page goes out only as approved, its published version stays exactly as
/// it was while an edit waits, and a seat's agent approves only their seat's version.
/// </summary>
public sealed class PageApprovalTests : IDisposable
{
    private const string AgentId = "0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01";
    private const string BatterseaAgentId = "5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02";

    private static readonly string[] Seats = ["battersea", "beckenham-and-penge", "bethnal-green-and-stepney", "bromley-and-biggin-hill", "tooting"];

    private readonly TestSite _site = new();
    private readonly List<ApprovalRecord> _approvals = [];

    public PageApprovalTests()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + $$"""

            approvers:
              - id: {{AgentId}}
                name: Priya Shah (campaign agent)
                for: [pages]
              - id: {{BatterseaAgentId}}
                name: Sam Okafor (Battersea agent)
                for: [pages]
                audience: [battersea]
            approval: {pages: true, sponsored: false}
            """);
        _site.Page("pages/housing.md", "title: Housing", "Homes in {{ constituency.name }}.\n");
    }

    public void Dispose() => _site.Dispose();

    private ApprovalDecision Approve(string id, string item, string? seat = null)
    {
        var decision = TestSite.Services.GetRequiredService<ApprovalDesk>().Decide(_site.Load(), new SignedInUser(id, null), new ApprovalRequest(item, seat), "test");
        if (decision.Record is { } record)
        {
            _approvals.Add(record);
        }

        return decision;
    }

    private Task<PublishResult> PublishAsync(DateTimeOffset? now = null) =>
        TestSite.Services.GetRequiredService<Publisher>().PublishAsync(new FolderContentSource(_site.ContentDir), new LocalFolderTarget(_site.OutDir),
            new PublishOptions { Now = now ?? TestSite.Now, Approvals = new ApprovalBook(_approvals) }, CancellationToken.None);

    [Fact]
    public async Task A_new_page_is_not_published_until_approved_and_goes_out_on_the_first_run_after()
    {
        var held = await PublishAsync();

        Assert.True(held.Succeeded, string.Join('\n', held.Diagnostics));
        Assert.All(Seats, seat => Assert.False(_site.Exists($"web/{seat}/housing/index.html")));
        Assert.All(Seats, seat => Assert.False(_site.Exists($"web/{seat}/housing/fragment.html")));
        Assert.DoesNotContain("housing", _site.Output("web/battersea/pages.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("housing", _site.Output("web/battersea/index.html"), StringComparison.Ordinal);
        Assert.Empty(held.PublishedPages);
        Assert.Equal(Seats, held.PageApprovals.Select(a => a.Seat));
        Assert.All(held.PageApprovals, a => Assert.Equal((ApprovalStatus.Awaiting, false), (a.State.Status, a.KeptPublished)));
        Assert.EndsWith(" Page housing for 5 seats: awaiting approval; Priya Shah (campaign agent) or Sam Okafor (Battersea agent) may approve it.", held.Summary);

        var decision = Approve(AgentId, "housing");
        Assert.Equal("Priya Shah (campaign agent) approved the page 'housing' for all 5 of its seats, as it stands now.", decision.Message);
        Assert.Equal(("page:housing", string.Join(',', Seats)), (decision.Record!.Item, decision.Record.Seats));

        var published = await PublishAsync();

        Assert.All(Seats, seat => Assert.Contains("Homes in", _site.Output($"web/{seat}/housing/index.html"), StringComparison.Ordinal));
        Assert.Contains("\"slug\": \"housing\"", _site.Output("web/battersea/pages.json"), StringComparison.Ordinal);
        Assert.All(published.PageApprovals, a => Assert.Equal(ApprovalStatus.Approved, a.State.Status));
        Assert.DoesNotContain("awaiting approval", published.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_after_approval_leaves_the_published_page_exactly_as_it_was_until_approved_again()
    {
        Approve(AgentId, "page:housing");
        await PublishAsync();
        var page = File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/housing/index.html"));
        var fragment = File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/housing/fragment.html"));

        _site.Page("pages/housing.md", "title: Housing, rewritten", "Unapproved words for {{ constituency.name }}.\n");
        var held = await PublishAsync(TestSite.Now.AddMinutes(1));

        Assert.True(held.Succeeded);
        Assert.Equal(page, File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/housing/index.html")));
        Assert.Equal(fragment, File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/housing/fragment.html")));
        Assert.DoesNotContain("Unapproved", string.Concat(_site.Snapshot().Values.Select(b => System.Text.Encoding.UTF8.GetString(b))), StringComparison.Ordinal);
        Assert.DoesNotContain("rewritten", string.Concat(_site.Snapshot().Values.Select(b => System.Text.Encoding.UTF8.GetString(b))), StringComparison.Ordinal);
        Assert.All(held.PageApprovals, a => Assert.Equal((ApprovalStatus.Awaiting, true, true), (a.State.Status, a.State.Voided, a.KeptPublished)));
        Assert.Contains(" Page housing for 5 seats (5 kept as published): awaiting approval (edited since it was approved);", held.Summary, StringComparison.Ordinal);
        // The ledger still lists the published version: the page never left the site.
        Assert.Equal(5, held.PublishedPages.Count(p => p.Slug == "housing" && !p.Written));

        Approve(AgentId, "housing");
        await PublishAsync(TestSite.Now.AddMinutes(2));

        Assert.Contains("Unapproved words for Tooting.", _site.Output("web/tooting/housing/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_s_old_address_stays_while_an_edit_waits_for_approval()
    {
        // The page was kept as published, but its old address was deleted as no longer published.
        _site.Page("pages/housing.md", "title: Housing\naliases: [homes]", "Homes in {{ constituency.name }}.\n");
        Approve(AgentId, "page:housing");
        await PublishAsync();
        var redirect = File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/homes/index.html"));

        _site.Page("pages/housing.md", "title: Housing, rewritten\naliases: [homes]", "Unapproved words for {{ constituency.name }}.\n");
        var held = await PublishAsync(TestSite.Now.AddMinutes(1));

        Assert.True(held.Succeeded);
        Assert.DoesNotContain("web/tooting/homes/index.html", held.DeletedPaths);
        Assert.Equal(redirect, File.ReadAllBytes(Path.Combine(_site.OutDir, "web/tooting/homes/index.html")));
    }

    [Fact]
    public async Task A_seat_agent_approves_their_seat_only_and_a_london_wide_page_goes_out_seat_by_seat()
    {
        var other = Approve(BatterseaAgentId, "housing", seat: "tooting");
        Assert.Equal((ApprovalOutcome.Refused, "Sam Okafor (Battersea agent) approves for battersea only, not for tooting."), (other.Outcome, other.Message));
        Assert.Empty(_approvals);

        var own = Approve(BatterseaAgentId, "housing");
        Assert.Equal("battersea", own.Record!.Seats);

        var run = await PublishAsync();

        Assert.True(_site.Exists("web/battersea/housing/index.html"));
        Assert.False(_site.Exists("web/tooting/housing/index.html"));
        Assert.EndsWith(" Page housing for 4 seats: awaiting approval; Priya Shah (campaign agent) may approve it.", run.Summary);
    }

    [Fact]
    public void An_approver_for_sponsored_posts_only_or_not_listed_is_refused()
    {
        _site.Write("site.yaml", _site.Output("../content/site.yaml").Replace("for: [pages]\n    audience", "for: [sponsored]\n    audience", StringComparison.Ordinal));

        Assert.Equal("Sam Okafor (Battersea agent) approves sponsored posts only, not pages.", Approve(BatterseaAgentId, "housing").Message);
        Assert.Equal(ApprovalOutcome.Refused, Approve("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03", "housing").Outcome);
        Assert.Equal(ApprovalOutcome.NotFound, Approve(AgentId, "page:no-such-page").Outcome);
        Assert.Empty(_approvals);
    }

    private string DigestOfHousing()
    {
        var (articles, _, _) = TestSite.Services.GetRequiredService<Publisher>().PageArticles(_site.Load(), TestSite.Now);
        return ApprovalDigest.ForPage(articles["housing"].Values.SelectMany(a => a));
    }

    [Theory]
    [InlineData("static/images/team.png", "another picture nobody approved")]
    [InlineData("static/docs/leaflet.pdf", "%PDF another leaflet")]
    public void A_picture_or_file_the_page_shows_or_links_changed_after_approval_voids_it(string path, string swapped)
    {
        // The approval was bound to the article's HTML, which names the picture's address but not its bytes.
        _site.Write("static/images/team.png", "the approved picture").Write("static/docs/leaflet.pdf", "%PDF the approved leaflet");
        _site.Page("pages/housing.md", "title: Housing", "![Our team](/images/team.png)\n\n[Leaflet](/docs/leaflet.pdf)\n");
        var approved = DigestOfHousing();

        _site.Write(path, swapped);

        Assert.NotEqual(approved, DigestOfHousing());
    }

    [Theory]
    [InlineData("![Our team][team]\n\n[team]: /images/team.png\n")]
    [InlineData("<img src=/images/team.png alt=\"Our team\">\n")]
    [InlineData("![Our team](https://www.example.org.uk/images/team.png)\n")]
    [InlineData("<img src=\"&#47;images&#47;team.png\" alt=\"Our team\">\n")]
    [InlineData("![Our team](\\/images/team.png)\n")]
    [InlineData("<img src=\"/images/small.png\" srcset=\"/images/team.png 2x\" alt=\"Our team\">\n")]
    public void A_picture_the_page_shows_however_its_address_is_written_changed_after_approval_voids_it(string body)
    {
        // Only an address written whole after '](' or in a quoted src or href was bound.
        _site.Write("static/images/team.png", "the approved picture").Write("static/images/small.png", "small");
        _site.Page("pages/housing.md", "title: Housing", body);
        var approved = DigestOfHousing();

        _site.Write("static/images/team.png", "another picture nobody approved");

        Assert.NotEqual(approved, DigestOfHousing());
    }

    [Theory]
    [InlineData("![Our team]({{ \"/images/\" }}team.png)\n")]
    [InlineData("<img src=\"{{ \"/ima\" + \"ges/te\" + \"am.png\" }}\" alt=\"Our team\">\n")]
    [InlineData("![Our team](/images/{{ constituency.slug | string.slice 0 0 }}team.png)\n")]
    public void A_picture_whose_address_a_template_builds_changed_after_approval_voids_it(string body)
    {
        // The page's text never holds the address whole: only the article as rendered does.
        _site.Write("static/images/team.png", "the approved picture");
        _site.Page("pages/housing.md", "title: Housing", body);
        var approved = DigestOfHousing();

        _site.Write("static/images/team.png", "another picture nobody approved");

        Assert.NotEqual(approved, DigestOfHousing());
    }

    [Fact]
    public async Task A_picture_whose_address_a_template_builds_swapped_after_approval_holds_the_page_as_published()
    {
        _site.Write("static/images/team.png", "the approved picture");
        _site.Page("pages/housing.md", "title: Housing", "![Our team]({{ \"/images/\" }}team.png)\n");
        Approve(AgentId, "housing");
        var published = await PublishAsync();
        Assert.All(published.PageApprovals, a => Assert.Equal(ApprovalStatus.Approved, a.State.Status));

        // The page itself is not rendered again, as nothing it reads changed: its published article is what is bound.
        _site.Write("static/images/team.png", "another picture nobody approved");
        var held = await PublishAsync(TestSite.Now.AddMinutes(1));

        Assert.True(held.Succeeded, string.Join('\n', held.Diagnostics));
        Assert.All(held.PageApprovals, a => Assert.Equal((ApprovalStatus.Awaiting, true), (a.State.Status, a.State.Voided)));
    }

    [Fact]
    public async Task A_page_of_slashes_is_approved_in_the_time_its_length_takes()
    {
        // Each slash begins an address that could run to the end of the text.
        _site.Write("static/images/team.png", "the approved picture");
        _site.Page("pages/housing.md", "title: Housing", "![Our team](/images/team.png)\n\n" + new string('/', 500_000) + "\n");

        var digest = Task.Run(DigestOfHousing);

        Assert.Same(digest, await Task.WhenAny(digest, Task.Delay(TimeSpan.FromSeconds(60))));
    }

    [Fact]
    public void Another_share_picture_after_approval_voids_it()
    {
        _site.Write("static/images/team.png", "one").Write("static/images/other.png", "two");
        _site.Page("pages/housing.md", "title: Housing\nimage: /images/team.png", "Homes.\n");
        var approved = DigestOfHousing();

        _site.Page("pages/housing.md", "title: Housing\nimage: /images/other.png", "Homes.\n");

        Assert.NotEqual(approved, DigestOfHousing());
    }

    [Fact]
    public async Task A_page_showing_no_file_of_the_site_is_bound_to_its_article_alone_as_approvals_given_before_were()
    {
        // Published as a site that needs no approval would publish it, for the fragment to compare with.
        _site.Write("site.yaml", TestSite.SiteYaml);
        await _site.PublishAsync(force: true);
        var (articles, _, _) = TestSite.Services.GetRequiredService<Publisher>().PageArticles(_site.Load(), TestSite.Now);

        var article = Assert.Single(articles["housing"]["battersea"]);

        Assert.Equal(LondonTories.Publishing.Content.Hashing.Sha256Hex(File.ReadAllBytes(Path.Combine(_site.OutDir, "web/battersea/housing/fragment.html"))), article.Sha256);
    }
}
