using Azure.Storage.Blobs.Models;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Approvals;

/// <summary>Approvals on Azurite: bound to a person listed in site.yaml and to exactly what goes out.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalTests(AzuriteFixture azurite) : IDisposable
{
    public const string AgentId = "0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01";
    public const string BatterseaAgentId = "5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02";
    public const string StrangerId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03";

    private readonly TestContent _content = WithApprovers(new TestContent());

    public void Dispose() => _content.Dispose();

    /// <summary>Two approvers (the agent for every seat, Battersea's for its seat only) and a sponsored post due an hour before the tests' moment.</summary>
    public static TestContent WithApprovers(TestContent content)
    {
        content.Write("site.yaml", $$"""
            title: Test Conservatives
            base_url: https://test.example.org
            language: en
            timezone: Europe/London
            imprint:
              promoter: A Promoter
              address: 1 Test Street, London SW1A 1AA
            approvers:
              - id: {{AgentId}}
                name: Priya Shah (campaign agent)
                for: [sponsored, pages]
              - id: {{BatterseaAgentId}}
                name: Sam Okafor (Battersea agent)
                for: [sponsored]
                audience: [battersea]
            approval: {pages: false, sponsored: true}
            """);
        content.Write("social/winter-fuel.md", """
            ---
            schedule: 2026-11-30T11:00:00Z
            platforms: [facebook]
            link: topic-1
            sponsored:
              budget_gbp: 25
              end: 2026-12-07T21:00:00Z
            ---
            Winter fuel help for {{ constituency.name }}: read how to apply.
            """);
        return content;
    }

    private static SignedInUser Agent => new(AgentId, "Priya Shah");

    private static SignedInUser BatterseaAgent => new(BatterseaAgentId, "Sam Okafor");

    private async Task<SiteContent> LoadAsync(TestStorage storage) =>
        await storage.Services.GetRequiredService<Publisher>().LoadAsync(new FolderContentSource(_content.Root), CancellationToken.None);

    private async Task<ApprovalDecision> ApproveAsync(TestStorage storage, SignedInUser user, string item, string? seat = null)
    {
        var content = await LoadAsync(storage);
        Assert.False(content.HasErrors, string.Join('\n', content.Diagnostics));
        return await storage.Services.GetRequiredService<ApprovalDesk>()
            .ApproveAsync(content, user, new ApprovalRequest(item, seat), "test", storage.Storage.Approvals, CancellationToken.None);
    }

    private static async Task<List<string>> SocialBlobsAsync(TestStorage storage)
    {
        var names = new List<string>();
        var container = storage.Storage.Blobs.GetBlobContainerClient(SiteStorage.SocialContainer);
        if (await container.ExistsAsync())
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }

    [Fact]
    public async Task Publish_holds_an_unapproved_sponsored_post_and_sends_it_on_the_first_run_after_approval()
    {
        await using var storage = new TestStorage(azurite);

        var held = await storage.PublishAsync(_content);

        Assert.Equal(PublishRun.Published, held.Outcome);
        var outcomes = held.Result!.Posts.Where(p => p.PostId == "winter-fuel").ToList();
        Assert.Equal(["battersea", "bethnal-green", "bromley"], outcomes.Select(o => o.Seat).Order(StringComparer.Ordinal));
        Assert.All(outcomes, o => Assert.Equal((PostStatus.AwaitingApproval, false), (o.Status, o.Attempted)));
        Assert.EndsWith("winter-fuel for 3 seats: awaiting approval; Priya Shah (campaign agent) or Sam Okafor (Battersea agent) may approve it. No platform was contacted.", held.Summary);
        Assert.Empty(await SocialBlobsAsync(storage));
        var recorded = await storage.Storage.SocialLedger.ReadAllAsync(CancellationToken.None);
        Assert.Equal("awaitingapproval", recorded[("winter-fuel", "battersea")].Status);

        var decision = await ApproveAsync(storage, Agent, "winter-fuel");
        Assert.Equal(ApprovalOutcome.Approved, decision.Outcome);

        var sent = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(5));

        Assert.All(sent.Result!.Posts.Where(p => p.PostId == "winter-fuel"), o => Assert.Equal((PostStatus.Published, true), (o.Status, o.SentByThisRun)));
        Assert.Equal(
            ["2026/11/30/winter-fuel/battersea.json", "2026/11/30/winter-fuel/bethnal-green.json", "2026/11/30/winter-fuel/bromley.json"],
            (await SocialBlobsAsync(storage)).Order(StringComparer.Ordinal));
        var record = Assert.Single(await storage.Storage.Approvals.ReadAllAsync(CancellationToken.None));
        Assert.Equal(("post:winter-fuel", "battersea,bethnal-green,bromley", AgentId, "Priya Shah (campaign agent)", "test"),
            (record.Item, record.Seats, record.ApproverId, record.ApproverName, record.Via));
        Assert.Equal(64, record.Digest.Length);
    }

    [Fact]
    public async Task An_approval_for_one_digest_does_not_cover_an_edited_text()
    {
        await using var storage = new TestStorage(azurite);
        Assert.Equal(ApprovalOutcome.Approved, (await ApproveAsync(storage, Agent, "post:winter-fuel")).Outcome);

        _content.Write("social/winter-fuel.md", """
            ---
            schedule: 2026-11-30T11:00:00Z
            platforms: [facebook]
            link: topic-1
            sponsored:
              budget_gbp: 25
              end: 2026-12-07T21:00:00Z
            ---
            Winter fuel help for {{ constituency.name }}: apply by Friday.
            """);
        var run = await storage.PublishAsync(_content);

        var outcomes = run.Result!.Posts.Where(p => p.PostId == "winter-fuel").ToList();
        Assert.Equal(3, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((PostStatus.AwaitingApproval, true), (o.Status, o.Approval!.Voided)));
        Assert.Contains("awaiting approval (edited since it was approved)", run.Summary);
        Assert.Empty(await SocialBlobsAsync(storage));

        // A budget change voids it as surely as a text change.
        Assert.Equal(ApprovalOutcome.Approved, (await ApproveAsync(storage, Agent, "post:winter-fuel")).Outcome);
        _content.Write("social/winter-fuel.md", File.ReadAllText(Path.Combine(_content.Root, "social/winter-fuel.md")).Replace("budget_gbp: 25", "budget_gbp: 26", StringComparison.Ordinal).TrimEnd('\n'));
        var afterBudget = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        Assert.All(afterBudget.Result!.Posts.Where(p => p.PostId == "winter-fuel"), o => Assert.Equal(PostStatus.AwaitingApproval, o.Status));
        Assert.Empty(await SocialBlobsAsync(storage));
    }

    [Fact]
    public async Task An_unlisted_approver_is_refused_and_nothing_is_recorded()
    {
        await using var storage = new TestStorage(azurite);

        var decision = await ApproveAsync(storage, new SignedInUser(StrangerId, "Someone Else"), "winter-fuel");

        Assert.Equal(ApprovalOutcome.Refused, decision.Outcome);
        Assert.Equal($"Someone Else ({StrangerId}) is not an approver in site.yaml; ask the site's editors to add them under 'approvers'.", decision.Message);
        Assert.Empty(await storage.Storage.Approvals.ReadAllAsync(CancellationToken.None));
        var run = await storage.PublishAsync(_content);
        Assert.All(run.Result!.Posts.Where(p => p.PostId == "winter-fuel"), o => Assert.Equal(PostStatus.AwaitingApproval, o.Status));
    }

    [Fact]
    public async Task A_seat_scoped_approver_cannot_approve_another_seat_and_approves_only_their_own()
    {
        await using var storage = new TestStorage(azurite);

        var other = await ApproveAsync(storage, BatterseaAgent, "winter-fuel", seat: "bromley");
        Assert.Equal(ApprovalOutcome.Refused, other.Outcome);
        Assert.Equal("Sam Okafor (Battersea agent) approves for battersea only, not for bromley.", other.Message);
        Assert.Empty(await storage.Storage.Approvals.ReadAllAsync(CancellationToken.None));

        var own = await ApproveAsync(storage, BatterseaAgent, "winter-fuel");
        Assert.Equal(ApprovalOutcome.Approved, own.Outcome);
        Assert.Equal("battersea", own.Record!.Seats);

        var run = await storage.PublishAsync(_content);
        var statuses = run.Result!.Posts.Where(p => p.PostId == "winter-fuel").ToDictionary(p => p.Seat, p => p.Status);
        Assert.Equal(PostStatus.Published, statuses["battersea"]);
        Assert.Equal(PostStatus.AwaitingApproval, statuses["bromley"]);
        Assert.Equal(PostStatus.AwaitingApproval, statuses["bethnal-green"]);
        Assert.Equal(["2026/11/30/winter-fuel/battersea.json"], await SocialBlobsAsync(storage));
    }

    [Fact]
    public async Task A_page_edited_after_approval_stays_as_published_and_in_the_ledger_until_approved_again()
    {
        _content.Write("site.yaml", File.ReadAllText(Path.Combine(_content.Root, "site.yaml")).Replace("pages: false", "pages: true", StringComparison.Ordinal).TrimEnd('\n'));
        _content.Delete("social/winter-fuel.md");
        await using var storage = new TestStorage(azurite);
        var unapproved = await storage.PublishAsync(_content);
        Assert.DoesNotContain("web/battersea/topic-2/index.html", (await storage.ReadSiteAsync()).Keys);
        Assert.Contains(" Page topic-2 for 3 seats: awaiting approval; Priya Shah (campaign agent) may approve it.", unapproved.Summary);

        foreach (var topic in new[] { "topic-1", "topic-2", "topic-3", "topic-4" })
        {
            Assert.Equal(ApprovalOutcome.Approved, (await ApproveAsync(storage, Agent, $"page:{topic}")).Outcome);
        }

        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(1));
        var approved = await storage.ReadSiteAsync();
        var ledger = (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).Single(r => r.Page == "topic-2");

        _content.Write("pages/topic-2.md", "---\ntitle: Topic two, unapproved\n---\nWords nobody approved for {{ constituency.name }}.\n");
        var held = await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(2));

        Assert.Equal(PublishRun.Published, held.Outcome);
        Assert.Contains(" Page topic-2 for 3 seats (3 kept as published): awaiting approval (edited since it was approved); Priya Shah (campaign agent) may approve it.", held.Summary);
        var site = await storage.ReadSiteAsync();
        foreach (var path in new[] { "web/bromley/topic-2/index.html", "web/bromley/topic-2/fragment.html", "web/bethnal-green/topic-2/index.html" })
        {
            Assert.Equal(approved[path].Bytes, site[path].Bytes);
        }

        Assert.DoesNotContain(site.Values, f => System.Text.Encoding.UTF8.GetString(f.Bytes).Contains("unapproved", StringComparison.OrdinalIgnoreCase));
        var kept = (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).Single(r => r.Page == "topic-2");
        Assert.Equal((ledger.Sha256, ledger.LastPublished, (DateTimeOffset?)null), (kept.Sha256, kept.LastPublished, kept.Removed));

        Assert.Equal(ApprovalOutcome.Approved, (await ApproveAsync(storage, Agent, "page:topic-2")).Outcome);
        await storage.PublishAsync(_content, now: TestContent.Now.AddMinutes(3));

        var after = await storage.ReadSiteAsync();
        Assert.Contains("Words nobody approved for Bromley and Biggin Hill.", System.Text.Encoding.UTF8.GetString(after["web/bromley/topic-2/index.html"].Bytes));
        var updated = (await storage.Storage.Ledger.ReadSeatAsync("bromley", CancellationToken.None)).Single(r => r.Page == "topic-2");
        Assert.Equal(TestContent.Now.AddMinutes(3), updated.LastPublished);
    }
}
