using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Cli;

/// <summary>The preview's posts view shows each post per seat as it will go out.</summary>
public sealed class PostsViewTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void Each_post_shows_per_seat_with_its_imprint_london_time_and_lengths_against_limits()
    {
        _site.Page("pages/register.md", "title: Register in {{ constituency.name }}")
            .Page("pages/register.ur.md", "title: رجسٹر کریں")
            .Write("social/register.md", "---\nschedule: 2026-07-01T09:00\nplatforms: [x, facebook]\naudience: [tag:south]\nlink: register\n---\nCheck you can vote in {{ constituency.name }}.\n")
            .Write("social/register.ur.md", "---\n---\n{{ constituency.name }} میں ووٹ کے لیے رجسٹر کریں۔\n")
            .Write("social/long.md", "---\nschedule: 2026-07-02T09:00\nplatforms: [x]\naudience: [battersea]\n---\n" + new string('a', 300) + "\n");
        var content = _site.Load();
        var (posts, _) = TestSite.Services.GetRequiredService<Publisher>().PlanPosts(content);

        var html = PostsHtml.Body(posts, content, new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), seat: null);
        var tootingOnly = PostsHtml.Body(posts, content, new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), seat: "tooting");

        Assert.Contains("Wednesday 1 July 2026, 09:00 (+01:00)</strong> (due)", html);
        Assert.Contains("Thursday 2 July 2026, 09:00 (+01:00)</strong> (scheduled)", html);
        Assert.Contains("Check you can vote in Battersea.", html);
        Assert.Contains("Tooting میں ووٹ کے لیے رجسٹر کریں۔", html);
        Assert.Contains("dir=\"rtl\"", html);
        Assert.Contains("Promoted by Sam Okafor on behalf of London Conservatives", html);
        Assert.Matches(@"<li>x: \d+ / 280</li>", html);
        Assert.Matches(@"<li class=""lt-over"">x: [3-9]\d\d / 280</li>", html);
        Assert.Contains("Check you can vote in Tooting.", tootingOnly);
        Assert.DoesNotContain("Check you can vote in Battersea.", tootingOnly);
    }

    [Fact]
    public void A_posts_picture_shows_with_its_words_or_says_it_has_none()
    {
        // What an approver approves includes the picture and what a screen reader says of it.
        _site.Write("static/social/card.jpg", "jpeg")
            .Write("social/described.md", "---\nschedule: 2026-07-01T09:00\nplatforms: [x]\naudience: [battersea]\nmedia: static/social/card.jpg\nmedia_alt: Volunteers & friends at the stall\n---\nCome and meet us.\n")
            .Write("social/bare.md", "---\nschedule: 2026-07-02T09:00\nplatforms: [x]\naudience: [battersea]\nmedia: static/social/card.jpg\n---\nCome again.\n");
        var content = _site.Load();
        var (posts, _) = TestSite.Services.GetRequiredService<Publisher>().PlanPosts(content);

        var html = PostsHtml.Body(posts, content, new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), seat: null);

        Assert.Contains("<p class=\"lt-post-media\">Picture: card.jpg, described as “Volunteers &amp; friends at the stall”</p>", html);
        Assert.Contains("<p class=\"lt-post-media\">Picture: card.jpg, with no words for it (media_alt): a screen reader announces an unnamed image</p>", html);
    }
}
