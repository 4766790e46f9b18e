using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Approvals;

/// <summary>What an approval of a post binds to: its words, schedule, platforms, budget and the picture itself.</summary>
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
}
