using System.Text.Json;
using LondonTories.Publishing;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Social;

/// <summary>Social posts through the publish run on a local folder: schedule, grace, exactly once, imprint, lengths, links, translations.</summary>
public sealed class SocialPostTests : IDisposable
{
    private readonly TestSite _site = new();

    public SocialPostTests()
    {
        _site.Page("pages/register.md", "title: Register in {{ constituency.name }}");
        _site.Page("pages/register.ur.md", "title: رجسٹر کریں");
    }

    public void Dispose() => _site.Dispose();

    private TestSite Post(string name, string frontMatter, string body = "Check you can vote in {{ constituency.name }}.\n") =>
        _site.Write($"social/{name}.md", $"---\n{frontMatter.ReplaceLineEndings("\n").TrimEnd('\n')}\n---\n{body}");

    private JsonElement Document(string path) => JsonDocument.Parse(_site.Output(path)).RootElement;

    [Fact]
    public async Task A_post_on_the_first_morning_of_summer_time_goes_out_at_its_London_time_and_not_before()
    {
        Post("spring", "schedule: 2026-03-29T10:00\nplatforms: [facebook]\naudience: [battersea]");

        var early = await _site.PublishAsync(new DateTimeOffset(2026, 3, 29, 8, 59, 0, TimeSpan.Zero));
        Assert.True(early.Succeeded, string.Join("\n", early.Diagnostics));
        Assert.Equal(PostStatus.Scheduled, Assert.Single(early.Posts).Status);
        Assert.False(_site.Exists("social/2026/03/29/spring/battersea.json"));

        var due = await _site.PublishAsync(new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.Zero));
        Assert.True(Assert.Single(due.Posts).SentByThisRun);
        var document = Document("social/2026/03/29/spring/battersea.json");
        Assert.Equal("2026-03-29T09:00:00Z", document.GetProperty("scheduled_utc").GetString());
        Assert.Equal("2026-03-29T10:00:00+01:00", document.GetProperty("scheduled_london").GetString());
        Assert.Equal("2026-03-29T09:00:00Z", document.GetProperty("published_at").GetString());
    }

    [Fact]
    public async Task A_local_publish_says_its_posts_were_filed_as_documents_and_that_no_platform_was_contacted()
    {
        Post("filed", "schedule: 2026-11-30T09:00\nplatforms: [facebook, x]\naudience: [battersea, tooting]");

        var first = await _site.PublishAsync();
        var second = await _site.PublishAsync(TestSite.Now.AddMinutes(5));

        Assert.EndsWith(
            " Social posts: 2 filed as documents under social/, 0 filed before, 0 scheduled, 0 awaiting approval, 0 missed, 0 failed. No platform was contacted.",
            first.Summary);
        Assert.DoesNotContain(" sent", first.Summary, StringComparison.Ordinal);
        Assert.Contains(" Social posts: 0 filed as documents under social/, 2 filed before,", second.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_that_cannot_be_filed_fails_alone_naming_its_file_seat_document_and_reason()
    {
        Post("blocked", "schedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea, tooting]");
        // A folder where tooting's document must go: battersea's is filed all the same.
        Directory.CreateDirectory(Path.Combine(_site.OutDir, "social", "2026", "11", "30", "blocked", "tooting.json"));

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(_site.Exists("web/battersea/register/index.html"));
        var failed = Assert.Single(result.Posts, p => p.Status == PostStatus.Failed);
        Assert.Equal(("blocked", "tooting"), (failed.PostId, failed.Seat));
        Assert.Equal(Path.Combine(_site.ContentDir, "social", "blocked.md").Replace('\\', '/'), failed.Source);
        var failure = Assert.IsType<string>(failed.Failure);
        Assert.StartsWith("post blocked for tooting could not be filed as social/2026/11/30/blocked/tooting.json: ", failure);
        Assert.DoesNotContain('\n', failure);
        var filed = Assert.Single(result.Posts, p => p.Seat == "battersea");
        Assert.True(filed.SentByThisRun);
        Assert.Null(filed.Failure);
        Assert.EndsWith(" Social posts: 1 filed as documents under social/, 0 filed before, 0 scheduled, 0 awaiting approval, 0 missed, 1 failed. No platform was contacted.", result.Summary);
    }

    [Theory]
    [InlineData("schedule: 9999-12-31T23:59\nplatforms: [x]", "schedule: '9999-12-31T23:59' is outside the years a time may name: write one between 1970 and 2999, such as 2026-11-30T09:00.")]
    [InlineData("schedule: 2026-11-30T09:00\nplatforms: [facebook]\napproved_by: A\nsponsored:\n  budget_gbp: 40\n  end: 9999-12-31T23:59", "end: '9999-12-31T23:59' is outside the years a time may name: write one between 1970 and 2999, such as 2026-11-30T09:00.")]
    public async Task A_post_time_past_the_years_a_time_may_name_is_an_error_without_advice_meant_for_pages(string frontMatter, string expected)
    {
        Post("far", frontMatter);
        _site.Page("pages/forever.md", "title: Forever\nexpire_at: 9999-12-31T23:59");

        var result = await _site.PublishAsync();

        var errors = result.Diagnostics.Where(d => d.Code == "invalid-time").ToList();
        Assert.EndsWith(expected, Assert.Single(errors, e => e.Location.Path.EndsWith("far.md")).Message);
        Assert.EndsWith("(a page that never expires leaves expire_at out).", Assert.Single(errors, e => e.Location.Path.EndsWith("forever.md")).Message);
    }

    [Theory]
    [InlineData("schedule: 2026-12-20\nplatforms: [x]", "schedule", 2)]
    [InlineData("schedule: 2026-12-20T09:00\nplatforms: [facebook]\napproved_by: A\nsponsored:\n  budget_gbp: 40\n  end: 2026-12-21", "end", 7)]
    public async Task A_post_time_written_as_a_date_alone_is_warned_that_it_means_midnight(string frontMatter, string key, int line)
    {
        // Read as 00:00 without a word: a post went out at midnight, a promotion ended as its last day began.
        Post("dated", frontMatter);

        var result = await _site.PublishAsync();

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "date-without-time");
        Assert.False(warning.IsError);
        Assert.Equal(line, warning.Location.Line);
        Assert.StartsWith($"{key}: '{(key == "end" ? "2026-12-21" : "2026-12-20")}' has no time of day, so it is read as 00:00, midnight at the start of that day", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-29T01:30", "does not exist")]
    [InlineData("2026-10-25T01:30", "happens twice")]
    public async Task A_schedule_the_clocks_skip_or_repeat_is_an_error_naming_the_offsets(string schedule, string expected)
    {
        Post("night", $"schedule: {schedule}\nplatforms: [x]");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "invalid-time");
        Assert.Contains(expected, error.Message);
        Assert.Contains("content/social/night.md:2", error.ToString().Replace('\\', '/'));
    }

    [Fact]
    public async Task A_post_in_the_repeated_hour_of_October_given_with_its_offset_is_filed_under_its_London_date()
    {
        Post("autumn", "schedule: 2026-10-25T01:30+00:00\nplatforms: [facebook]\naudience: [battersea]");

        var result = await _site.PublishAsync(new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero));

        Assert.True(Assert.Single(result.Posts).SentByThisRun);
        Assert.Equal("2026-10-25T01:30:00+00:00", Document("social/2026/10/25/autumn/battersea.json").GetProperty("scheduled_london").GetString());
    }

    [Theory]
    [InlineData(359, null, PostStatus.Published)]
    [InlineData(361, null, PostStatus.Missed)]
    [InlineData(61, 1.0, PostStatus.Missed)]
    [InlineData(59, 1.0, PostStatus.Published)]
    public async Task A_late_post_goes_out_within_the_grace_period_and_is_missed_after_it(int minutesLate, double? graceHours, PostStatus expected)
    {
        Post("late", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]");
        var now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero).AddMinutes(minutesLate);
        var options = new LondonTories.Publishing.Pipeline.PublishOptions { Now = now, SocialGracePeriod = graceHours is { } h ? TimeSpan.FromHours(h) : PostDelivery.DefaultGracePeriod };

        var result = await TestSite.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>().PublishAsync(
            new LondonTories.Publishing.Storage.FolderContentSource(_site.ContentDir), new LondonTories.Publishing.Storage.LocalFolderTarget(_site.OutDir), options, CancellationToken.None);

        Assert.Equal(expected, Assert.Single(result.Posts).Status);
        Assert.Equal(expected == PostStatus.Published, _site.Exists("social/2026/11/30/late/battersea.json"));
    }

    [Theory]
    [InlineData(null, "6 hours")]
    [InlineData(60.0, "1 hour")]
    [InlineData(90.0, "90 minutes")]
    [InlineData(1.0, "1 minute")]
    [InlineData(0.0, "0 minutes")]
    public async Task The_summary_says_why_a_missed_post_was_not_sent(double? graceMinutes, string grace)
    {
        Post("late", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]");
        var options = new LondonTories.Publishing.Pipeline.PublishOptions
        {
            Now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero),
            SocialGracePeriod = graceMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : PostDelivery.DefaultGracePeriod,
        };

        var result = await TestSite.Services.GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>().PublishAsync(
            new LondonTories.Publishing.Storage.FolderContentSource(_site.ContentDir), new LondonTories.Publishing.Storage.LocalFolderTarget(_site.OutDir), options, CancellationToken.None);

        Assert.Equal(PostStatus.Missed, Assert.Single(result.Posts).Status);
        Assert.Contains($" 1 missed (its time passed more than {grace} before this run: a post is never sent that late),", result.Summary);
    }

    [Fact]
    public async Task A_publish_for_a_moment_later_than_the_clock_sends_no_post_and_the_post_still_goes_out_at_its_time()
    {
        Post("early", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]");
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var publisher = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddLondonToriesPublishing().BuildServiceProvider()
            .GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>();
        Task<LondonTories.Publishing.Pipeline.PublishResult> PublishAsync(DateTimeOffset? now) => publisher.PublishAsync(
            new LondonTories.Publishing.Storage.FolderContentSource(_site.ContentDir), new LondonTories.Publishing.Storage.LocalFolderTarget(_site.OutDir),
            new LondonTories.Publishing.Pipeline.PublishOptions { Now = now }, CancellationToken.None);

        var rehearsal = await PublishAsync(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));

        Assert.True(rehearsal.Rehearsal);
        Assert.Equal(PostStatus.Scheduled, Assert.Single(rehearsal.Posts).Status);
        Assert.False(_site.Exists("social/2026/11/30/early/battersea.json"));
        Assert.EndsWith("nothing went live.", rehearsal.Summary);

        clock.Now = new DateTimeOffset(2026, 11, 30, 9, 1, 0, TimeSpan.Zero);
        var due = await PublishAsync(null);

        Assert.True(Assert.Single(due.Posts).SentByThisRun);
        Assert.Equal("2026-11-30T09:01:00Z", Document("social/2026/11/30/early/battersea.json").GetProperty("published_at").GetString());
    }

    [Fact]
    public async Task A_rehearsal_counts_the_posts_due_by_its_moment_apart_from_those_still_scheduled()
    {
        Post("due", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]");
        Post("later", "schedule: 2026-12-10T09:00\nplatforms: [facebook]\naudience: [battersea]");
        var publisher = new ServiceCollection().AddSingleton<TimeProvider>(new FixedClock(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero))).AddLondonToriesPublishing().BuildServiceProvider()
            .GetRequiredService<LondonTories.Publishing.Pipeline.Publisher>();

        var rehearsal = await publisher.PublishAsync(
            new LondonTories.Publishing.Storage.FolderContentSource(_site.ContentDir), new LondonTories.Publishing.Storage.LocalFolderTarget(_site.OutDir),
            new LondonTories.Publishing.Pipeline.PublishOptions { Now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero) }, CancellationToken.None);

        Assert.True(rehearsal.Rehearsal);
        Assert.Contains(" Social posts: 0 filed as documents under social/, 0 filed before, 1 due by 2026-12-07 12:00Z but not filed in a rehearsal, 1 scheduled, 0 awaiting approval, 0 missed, 0 failed.", rehearsal.Summary);
        Assert.False(_site.Exists("social/2026/11/30/due/battersea.json"));
    }

    [Fact]
    public async Task A_post_goes_out_once_an_edit_afterwards_is_not_sent_and_removing_it_deletes_nothing()
    {
        Post("once", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, tooting]");
        var first = await _site.PublishAsync();
        Assert.Equal(2, first.Posts.Count(p => p.SentByThisRun));
        var sent = _site.Output("social/2026/11/30/once/battersea.json");

        Post("once", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, tooting]", "A corrected text.\n");
        var second = await _site.PublishAsync(TestSite.Now.AddMinutes(5));
        Assert.All(second.Posts, p => Assert.Equal(PostStatus.Published, p.Status));
        Assert.DoesNotContain(second.Posts, p => p.SentByThisRun);
        Assert.Equal(sent, _site.Output("social/2026/11/30/once/battersea.json"));

        _site.Delete("social/once.md");
        var third = await _site.PublishAsync(TestSite.Now.AddMinutes(10), force: true);
        Assert.True(third.Succeeded);
        Assert.Equal(sent, _site.Output("social/2026/11/30/once/battersea.json"));
    }

    [Fact]
    public async Task A_post_whose_time_moves_to_another_day_after_it_went_out_is_not_filed_again()
    {
        Post("once", "schedule: 2026-11-30T01:00\nplatforms: [facebook]\naudience: [battersea]");
        Assert.True(Assert.Single((await _site.PublishAsync(new DateTimeOffset(2026, 11, 30, 1, 5, 0, TimeSpan.Zero))).Posts).SentByThisRun);

        // Moved to the evening before, so still within the grace period: it went out all the same.
        Post("once", "schedule: 2026-11-29T23:30\nplatforms: [facebook]\naudience: [battersea]");
        var earlier = Assert.Single((await _site.PublishAsync(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero))).Posts);
        Assert.Equal((PostStatus.Published, false, "social/2026/11/30/once/battersea.json"), (earlier.Status, earlier.SentByThisRun, earlier.Path));
        Assert.False(_site.Exists("social/2026/11/29/once/battersea.json"));

        var posts = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-11-30T02:00:00Z");
        Assert.Contains("    battersea: published", posts.Stdout);

        Post("once", "schedule: 2026-12-01T09:00\nplatforms: [facebook]\naudience: [battersea]");
        var later = Assert.Single((await _site.PublishAsync(new DateTimeOffset(2026, 12, 1, 9, 5, 0, TimeSpan.Zero))).Posts);
        Assert.Equal((PostStatus.Published, false), (later.Status, later.SentByThisRun));
        Assert.False(_site.Exists("social/2026/12/01/once/battersea.json"));
    }

    [Theory]
    [InlineData("Europe/London", "2026-07-01 09:00 BST  summer", "2027-01-05 09:00 GMT  winter", "2 posts as of 2026-06-01 09:00 London time.")]
    [InlineData("Europe/Paris", "2026-07-01 09:00 UTC+02:00  summer", "2027-01-05 09:00 UTC+01:00  winter", "2 posts as of 2026-06-01 10:00 Europe/Paris time.")]
    [InlineData("America/New_York", "2026-07-01 09:00 UTC-04:00  summer", "2027-01-05 09:00 UTC-05:00  winter", "2 posts as of 2026-06-01 04:00 America/New_York time.")]
    public async Task Posts_name_the_times_by_the_site_clocks_and_call_them_BST_or_GMT_only_where_those_are_London_clocks(string zone, string summer, string winter, string footer)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("timezone: Europe/London", $"timezone: {zone}", StringComparison.Ordinal));
        Post("summer", "schedule: 2026-07-01T09:00\nplatforms: [facebook]\naudience: [battersea]");
        Post("winter", "schedule: 2027-01-05T09:00\nplatforms: [facebook]\naudience: [battersea]");

        var posts = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2026-06-01T08:00:00Z");

        Assert.Equal(0, posts.ExitCode);
        var lines = posts.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(summer, lines[0]);
        Assert.StartsWith(winter, lines[2]);
        Assert.Equal(footer, lines[^1]);
    }

    [Fact]
    public async Task Every_post_carries_the_imprint_in_its_message_and_a_post_may_name_its_own_promoter()
    {
        Post("own", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\nimprint:\n  promoter: Jo Patel\n  address: 1 Lavender Hill, London SW11 5QW\n  on_behalf_of: Battersea Conservatives\n  on_behalf_of_address: 2 Falcon Road, London SW11 2PL");
        Post("site", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]");

        await _site.PublishAsync();

        var own = Document("social/2026/11/30/own/battersea.json");
        const string ownImprint = "Promoted by Jo Patel, 1 Lavender Hill, London SW11 5QW, on behalf of Battersea Conservatives, 2 Falcon Road, London SW11 2PL.";
        Assert.Equal(ownImprint, own.GetProperty("imprint").GetString());
        Assert.EndsWith(ownImprint, own.GetProperty("message").GetString());
        Assert.EndsWith("Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.",
            Document("social/2026/11/30/site/battersea.json").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_imprint_without_promoter_or_address_is_an_error()
    {
        Post("bad", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\nimprint:\n  promoter: Jo Patel");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == "missing-key" && d.Message.Contains("'address'") && d.Location.Path.EndsWith("social/bad.md"));
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "social")));
    }

    [Fact]
    public async Task A_post_over_a_platforms_limit_is_an_error_naming_the_seat_and_the_length()
    {
        var text = new string('a', 150) + " {{ constituency.name }}";
        Post("long", "schedule: 2026-11-30T09:00\nplatforms: [x, facebook]\naudience: [battersea, bethnal-green-and-stepney]", text + "\n");

        var result = await _site.PublishAsync();

        var errors = result.Diagnostics.Where(d => d.Code == "post-too-long").ToList();
        var error = Assert.Single(errors);
        Assert.Contains("bethnal-green-and-stepney", error.Message);
        Assert.Contains("on x", error.Message);
        var imprint = "Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.".Length;
        Assert.Contains($"is {150 + 1 + "Bethnal Green and Stepney".Length + 2 + imprint} characters", error.Message);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public async Task A_threads_post_with_more_than_five_links_with_its_page_is_an_error_before_threads_refuses_it(int linksInText, bool refused)
    {
        // The seat's page is the post's own link; the same address written twice counts once, as Threads counts them.
        var text = "See " + string.Join(" and ", Enumerable.Range(1, linksInText).Select(i => $"https://example.org/{i}")) + " (again https://example.org/1).";
        Post("links", "schedule: 2026-11-30T09:00\nplatforms: [threads]\naudience: [battersea]\nlink: register", text + "\n");

        var result = await _site.PublishAsync();

        var errors = result.Diagnostics.Where(d => d.Code == "post-too-many-links").ToList();
        if (!refused)
        {
            Assert.Empty(errors);
            return;
        }

        var error = Assert.Single(errors);
        Assert.True(error.IsError);
        Assert.Equal("for battersea the post with its link has 6 different web addresses on threads, over its limit of 5.", error.Message);
        Assert.EndsWith("social/links.md", error.Location.Path);
    }

    [Fact]
    public async Task A_bluesky_post_within_its_300_characters_but_over_its_3000_bytes_is_an_error()
    {
        // Each family emoji is one character of seven code points, 25 bytes.
        var text = string.Concat(Enumerable.Repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 120));
        Post("families", "schedule: 2026-11-30T09:00\nplatforms: [bluesky]\naudience: [battersea]", text + "\n");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "post-too-long");
        Assert.Contains("on bluesky", error.Message);
        Assert.Contains("bytes", error.Message);
    }

    [Theory]
    [InlineData("Read https://www.example.org.uk/a/very/long/address/that/goes/on/and/on/for/ever/and/ever", "x", 5 + 23)]
    [InlineData("Read https://www.example.org.uk/a/very/long/address/that/goes/on/and/on/for/ever/and/ever", "facebook", 89)]
    [InlineData("住宅", "x", 4)]
    [InlineData("বাংলা", "x", 5)]
    [InlineData("👍🏽 yes", "bluesky", 5)]
    public void Lengths_are_counted_as_each_platform_counts_them(string message, string platform, int expected) =>
        Assert.Equal(expected, SocialPlatforms.Length(message, platform));

    // The reference server counts with Intl.Segmenter, which since Unicode 15.1 keeps an Indic conjunct
    // (consonant, virama, consonant) as one character: a Bengali or Gujarati post counts as it reads.
    [Theory]
    [InlineData("\u0995\u09CD\u09B7", 1)]
    [InlineData("\u0995\u09CD\u09B7\u09AE\u09BE", 2)]
    [InlineData("\u09A8\u09CD\u09A4\u09CD\u09B0", 1)]
    [InlineData("\u0AB8\u0ACD\u0AA5\u0ABE\u0AA8", 2)]
    [InlineData("\u0915\u094D\u0937\u0924\u094D\u0930\u093F\u092F", 3)]
    [InlineData("\u0995\u09CD\u200D\u09B7", 1)]
    [InlineData("\u0995\u09CD\u200C\u09B7", 2)]
    [InlineData("\u0995\u09CD x", 3)]
    public void Bluesky_counts_an_indic_conjunct_as_one_character(string message, int expected) =>
        Assert.Equal(expected, SocialPlatforms.Length(message, "bluesky"));

    // Counts as twitter-text gives them: X shortens every address it recognises, with or without a
    // scheme, to 23; Mastodon only those with a scheme. Punctuation after a link and text a link
    // cannot hold are counted as text.
    [Theory]
    [InlineData("Check gov.uk now", "x", 33)]
    [InlineData("(see bit.ly/abc)", "x", 29)]
    [InlineData("Read more (https://x.org/housing/).", "x", 36)]
    [InlineData("Read more at https://x.org/housing.", "x", 37)]
    [InlineData("Search https://x.org/find?q=rates&page=2, then vote", "x", 7 + 23 + 11)]
    [InlineData("https://x.org/。日本", "x", 29)]
    [InlineData("Write to office@gov.uk today", "x", 28)]
    [InlineData("Read www.example.org.uk/a/very/long/address/that/goes/on/and/on", "x", 5 + 23)]
    [InlineData("Check gov.uk now", "mastodon", 16)]
    [InlineData("Read more (https://x.org/housing/).", "mastodon", 36)]
    [InlineData("https://x.org/。日本", "mastodon", 26)]
    public void Links_are_counted_as_the_platforms_shorten_them(string message, string platform, int expected) =>
        Assert.Equal(expected, SocialPlatforms.Length(message, platform));

    // X counts every emoji two, however many code points it is built from.
    [Theory]
    [InlineData("x\u2764\uFE0F", 3)]
    [InlineData("x\u263A\uFE0F", 3)]
    [InlineData("x#\uFE0F\u20E3", 3)]
    [InlineData("x1\u20E3", 3)]
    [InlineData("x\U0001F1EC\U0001F1E7", 3)]
    [InlineData("x\U0001F44D\U0001F3FD", 3)]
    [InlineData("x\U0001F468\u200D\U0001F469\u200D\U0001F467", 3)]
    [InlineData("x\u26F9\uFE0F\u200D\u2640\uFE0F", 3)]
    [InlineData("x\u270A\U0001F3FD", 3)]
    [InlineData("x\u263A", 3)]
    [InlineData("x\u263A\uFE0E", 5)]
    [InlineData("x\u00A9", 2)]
    public void Every_emoji_counts_two_on_x(string message, int expected) =>
        Assert.Equal(expected, SocialPlatforms.Length(message, "x"));

    [Fact]
    public async Task Each_seat_links_to_its_own_page_in_its_language_and_gets_the_translation_it_publishes()
    {
        Post("reg", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, tooting]\nlink: register");
        _site.Write("social/reg.ur.md", "{{ constituency.name }} میں ووٹ کے لیے رجسٹر کریں۔\n");

        await _site.PublishAsync();

        var battersea = Document("social/2026/11/30/reg/battersea.json");
        Assert.Equal("https://www.example.org.uk/battersea/register/", battersea.GetProperty("link").GetString());
        Assert.Equal(0, battersea.GetProperty("translations").GetArrayLength());
        var tooting = Document("social/2026/11/30/reg/tooting.json");
        Assert.Equal("https://www.example.org.uk/tooting/register/", tooting.GetProperty("link").GetString());
        var urdu = Assert.Single(tooting.GetProperty("translations").EnumerateArray());
        Assert.Equal("ur", urdu.GetProperty("language").GetString());
        Assert.Equal("Tooting میں ووٹ کے لیے رجسٹر کریں۔", urdu.GetProperty("text").GetString());
        Assert.Equal("https://www.example.org.uk/tooting/ur/register/", urdu.GetProperty("link").GetString());
    }

    [Theory]
    [InlineData("link: registr", "link-missing", "register")]
    [InlineData("link: draft-page", "link-draft", "draft")]
    [InlineData("link: embargoed", "link-not-published", "battersea")]
    [InlineData("link: bromley-only", "link-not-published", "battersea")]
    public async Task A_link_to_a_missing_draft_or_unpublished_page_is_an_error(string link, string code, string mentioned)
    {
        _site.Page("pages/draft-page.md", "title: Draft\ndraft: true");
        _site.Page("pages/embargoed.md", "title: Later\npublish_at: 2026-12-01T09:00");
        _site.Page("pages/bromley-only.md", "title: Bromley\naudience: [borough:bromley]");
        Post("linked", $"schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\n{link}");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.Contains(mentioned, error.ToString());
        Assert.Contains("social/linked.md:5", error.ToString().Replace('\\', '/'));
    }

    [Fact]
    public async Task A_link_to_a_page_s_old_slug_names_the_page_it_now_is()
    {
        // Told only that there was no such page, with the nearest slug, which was not the renamed page's.
        _site.Page("pages/homes.md", "title: Homes\naliases: [housing-plans]");
        Post("linked", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\nlink: housing-plans");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "link-missing");
        Assert.Contains("pages/homes.md, which is published as 'homes' now", error.Message.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Contains("link: homes", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("link: gone", "link-missing")]
    [InlineData("link: draft-page", "link-draft")]
    [InlineData("link: embargoed", "link-not-published")]
    public async Task A_post_whose_time_has_passed_does_not_stop_the_site_when_its_page_goes(string link, string code)
    {
        // The post went out, or was missed, months ago and goes out no more: drafting, moving or
        // removing its page must not need an edit of old posts before anything can be published.
        _site.Page("pages/draft-page.md", "title: Draft\ndraft: true");
        _site.Page("pages/embargoed.md", "title: Later\npublish_at: 2026-12-01T09:00");
        Post("spring", $"schedule: 2026-03-28T18:00\nplatforms: [facebook]\naudience: [battersea]\n{link}");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.False(warning.IsError);
        Assert.Contains("time has passed, so it goes out no more", warning.ToString());
        Assert.True(File.Exists(Path.Combine(_site.OutDir, "web", "battersea", "index.html")));
    }

    [Fact]
    public async Task The_text_keeps_the_words_drops_the_markup_and_keeps_the_seats_audience_blocks()
    {
        Post("plain", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, bromley-and-biggin-hill]", """
            ## Register **now**

            Read [the guide](https://www.gov.uk/register-to-vote) or <b>call</b> us.

            - five minutes
            - free

            ::: audience borough:bromley
            Bromley: ask about postal votes.
            :::
            """);

        await _site.PublishAsync();

        Assert.Equal("Register now\n\nRead the guide (https://www.gov.uk/register-to-vote) or call us.\n\n• five minutes\n• free",
            Document("social/2026/11/30/plain/battersea.json").GetProperty("text").GetString());
        Assert.EndsWith("• free\n\nBromley: ask about postal votes.",
            Document("social/2026/11/30/plain/bromley-and-biggin-hill.json").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_link_to_the_sites_own_address_goes_out_in_full_and_one_that_leads_nowhere_is_warned_of()
    {
        // They went out as written, '(/battersea/register/)', which no reader can follow, and a misspelt one was never checked.
        Post("links", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]",
            "Read [how](/{{ constituency.slug }}/register/), [this](/battersea/regster/) and [that](../register/).\n");

        var result = await _site.PublishAsync();

        Assert.Equal("Read how (https://www.example.org.uk/battersea/register/), this (https://www.example.org.uk/battersea/regster/) and that (../register/).",
            Document("social/2026/11/30/links/battersea.json").GetProperty("text").GetString());
        var broken = Assert.Single(result.Diagnostics, d => d.Code == "broken-link");
        Assert.False(broken.IsError);
        Assert.Equal("the link '/battersea/regster/' leads to nothing this site publishes, so readers who follow it get 'not found'.", broken.Message);
        Assert.StartsWith("Did you mean '/{{ constituency.slug }}/register/'?", broken.Hint, StringComparison.Ordinal);
        var relative = Assert.Single(result.Diagnostics, d => d.Code == "relative-link");
        Assert.Equal("the link '../register/' is relative, and a post has no page of its own for it to lead from, so it goes out as written and leads nowhere.", relative.Message);
    }

    [Fact]
    public async Task A_sponsored_post_needs_an_approval_and_unknown_keys_and_platforms_get_suggestions()
    {
        Post("paid", "schedule: 2026-11-30T09:00\nplatforms: [facebok]\nsponsored: {budget_gbp: 40, end: 2026-12-07T21:00}\nschedual: x");

        var result = await _site.PublishAsync();

        Assert.Contains(result.Diagnostics, d => d.Code == "missing-approval");
        Assert.Contains(result.Diagnostics, d => d.Code == "unknown-platform" && d.ToString().Contains("facebook"));
        Assert.Contains(result.Diagnostics, d => d.Code == "unknown-key" && d.ToString().Contains("schedule"));
    }

    [Theory]
    [InlineData("twitter", "x")]
    [InlineData("Twitter", "x")]
    [InlineData("fb", "facebook")]
    [InlineData("ig", "instagram")]
    [InlineData("bsky", "bluesky")]
    [InlineData("linked-in", "linkedin")]
    public async Task A_platform_by_another_name_it_goes_by_is_told_the_name_to_write(string written, string meant)
    {
        Post("renamed", $"schedule: 2026-11-30T09:00\nplatforms: [{written}]");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "unknown-platform");
        Assert.Equal($"Did you mean '{meant}'?", error.Hint);
    }

    [Theory]
    [InlineData("/battersea/register/", "Did you mean 'link: register'?")]
    [InlineData("/tooting/ur/register/", "Did you mean 'link: register'?")]
    [InlineData("https://www.example.org.uk/battersea/register/", "Did you mean 'link: register'?")]
    [InlineData("https://www.gov.uk/register-to-vote", "Give the slug of a page under pages/")]
    [InlineData("Register to vote", "Give the slug of a page under pages/")]
    [InlineData("https://www.example.org.uk/battersea/", "Give the slug of a page under pages/")]
    public async Task A_link_written_as_a_page_address_is_told_the_slug_to_write(string written, string hint)
    {
        Post("linked", $"schedule: 2026-11-30T09:00\nplatforms: [facebook]\nlink: {written}");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "invalid-link");
        Assert.StartsWith(hint, error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sponsored_post_on_no_platform_that_runs_ads_is_warned_that_it_goes_out_unpaid_while_its_budget_counts()
    {
        Post("paid", "schedule: 2026-11-30T09:00\nplatforms: [x, bluesky]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 40, end: 2026-12-07T21:00}");
        Post("meta", "schedule: 2026-11-30T09:00\nplatforms: [facebook, x]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 40, end: 2026-12-07T21:00}");

        var result = await _site.PublishAsync();

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "sponsored-unpaid");
        Assert.False(warning.IsError);
        Assert.EndsWith("social/paid.md", warning.Location.Path.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Contains("x, bluesky", warning.Message, StringComparison.Ordinal);
        Assert.Contains("facebook", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promotion_that_ends_before_its_post_goes_out_is_an_error_at_its_end()
    {
        Post("paid", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: 40\n  start: 2026-11-01T09:00\n  end: 2026-11-20T09:00");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "sponsored-window");
        Assert.Contains("content/social/paid.md:9", error.ToString().Replace('\\', '/'));
        Assert.Contains("ends at 2026-11-20 09:00, before the post goes out at 2026-11-30 09:00 (London time)", error.Message);
        Assert.False(_site.Exists("social/2026/11/30/paid/battersea.json"));
    }

    [Fact]
    public async Task A_promotion_without_a_start_that_ends_before_its_post_is_told_so_not_blamed_on_a_start_it_never_wrote()
    {
        // It said "ends before it starts. Make 'end' later than 'start'", of a 'start' the post does not have.
        Post("paid", "schedule: 2026-12-20T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 25, end: 2026-12-19T09:00}");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.Code == "sponsored-window");
        Assert.Equal("the promotion ends at 2026-12-19 09:00, before the post goes out at 2026-12-20 09:00 (London time), so its ad could never run.", error.Message);
        Assert.Equal("Make 'end' later than 'schedule'.", error.Hint);
    }

    [Fact]
    public async Task A_site_on_other_clocks_is_told_its_posts_times_by_its_own_zone_not_as_London_time()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("timezone: Europe/London", "timezone: Europe/Paris", StringComparison.Ordinal));
        Post("paid", "schedule: 2026-12-20T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 25, end: 2026-12-19T09:00}");
        Post("vague", "schedule: soon\nplatforms: [facebook]\naudience: [battersea]");

        var result = await _site.PublishAsync();

        var window = Assert.Single(result.Diagnostics, d => d.Code == "sponsored-window");
        Assert.Equal("the promotion ends at 2026-12-19 09:00, before the post goes out at 2026-12-20 09:00 (Europe/Paris time), so its ad could never run.", window.Message);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("write it as 2026-11-30T09:00 (Europe/Paris time)", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("London time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_promotion_that_starts_before_its_post_goes_out_is_warned_that_its_ad_runs_from_the_post()
    {
        Post("paid", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: 40\n  start: 2026-11-23T09:00\n  end: 2026-12-07T21:00");
        Post("same", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored:\n  budget_gbp: 40\n  start: 2026-11-30T09:00\n  end: 2026-12-07T21:00");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "sponsored-window");
        Assert.False(warning.IsError);
        Assert.Contains("content/social/paid.md:8", warning.ToString().Replace('\\', '/'));
        Assert.Contains("starts at 2026-11-23 09:00, before the post goes out at 2026-11-30 09:00 (London time)", warning.Message);
        Assert.Contains("'start'", warning.Hint, StringComparison.Ordinal);
        Assert.True(_site.Exists("social/2026/11/30/paid/battersea.json"));
    }

    [Fact]
    public async Task A_post_whose_audience_blocks_leave_a_seat_no_words_is_an_error_naming_the_seats_not_a_link_and_imprint_alone()
    {
        Post("blocks", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, tooting]\nlink: register", "::: audience battersea\nOnly for Battersea.\n:::\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Code == "empty-post");
        Assert.Equal("tooting", Assert.Single(error.Subjects));
        Assert.Contains("content/social/blocks.md", error.ToString().Replace('\\', '/'));
        Assert.Contains("only the link and the imprint would go out", error.Message);
        Assert.False(_site.Exists("social/2026/11/30/blocks/tooting.json"));
    }
}
