using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Approvals;

/// <summary>What an approval of a post binds to: its words, schedule, platforms, budget, the picture itself and the accounts that send it.</summary>
public sealed class PostApprovalDigestTests : IDisposable
{
    private readonly TestSite _site = new();

    public PostApprovalDigestTests() =>
        _site.Write("static/social/card.jpg", "the approved picture")
            .Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\nmedia: static/social/card.jpg", "Register in {{ constituency.name }}.\n");

    public void Dispose() => _site.Dispose();

    private string Digest() =>
        PostApprovals.DigestOf(TestSite.Services.GetRequiredService<Publisher>().PlanPosts(_site.Load()).Posts.Posts.Where(p => p.Id == "paid"));

    [Fact]
    public void Another_picture_under_the_same_name_voids_the_approval()
    {
        var approved = Digest();
        Assert.Equal(approved, Digest());

        _site.Write("static/social/card.jpg", "another picture");

        Assert.NotEqual(approved, Digest());
    }

    [Fact]
    public void Another_description_of_the_picture_voids_the_approval()
    {
        // What a screen reader says of the picture goes out with the post, as its words do.
        _site.Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\nmedia: static/social/card.jpg\nmedia_alt: Volunteers at a street stall", "Register in {{ constituency.name }}.\n");
        var approved = Digest();

        _site.Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\nmedia: static/social/card.jpg\nmedia_alt: A polling station sign", "Register in {{ constituency.name }}.\n");

        Assert.NotEqual(approved, Digest());
    }

    [Theory]
    [InlineData("ad_account_id: act_2001", "ad_account_id: act_9999")]
    [InlineData("page_id: \"1001\"", "page_id: \"9999\"")]
    [InlineData("ad_radius_km: 2.5", "ad_radius_km: 40")]
    [InlineData("secret: facebook-battersea", "secret: facebook-other")]
    public void Another_account_sending_the_seats_post_voids_the_approval(string before, string after)
    {
        // The words and budget were approved to go out, and be paid for, as one Page and ad account.
        _site.Write("channels.yaml", Channels);
        var approved = Digest();

        _site.Write("channels.yaml", Channels.Replace(before, after, StringComparison.Ordinal));

        Assert.NotEqual(approved, Digest());
    }

    [Fact]
    public void A_change_to_an_account_for_other_seats_voids_nothing()
    {
        _site.Write("channels.yaml", Channels);
        var approved = Digest();

        _site.Write("channels.yaml", Channels.Replace("act_3001", "act_3999", StringComparison.Ordinal));

        Assert.Equal(approved, Digest());
    }

    private const string Channels = """
        channels:
          - id: facebook-battersea
            platform: facebook
            audience: [battersea]
            page_id: "1001"
            ad_account_id: act_2001
            secret: facebook-battersea
            ad_radius_km: 2.5
          - id: facebook-bromley
            platform: facebook
            audience: [bromley-and-biggin-hill]
            page_id: "3001"
            ad_account_id: act_3001
            secret: facebook-bromley

        """;
}
