using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Social;

/// <summary>channels.yaml: who posts where, checked at validate time; and the deliveries a post makes through it.</summary>
public sealed class ChannelTests : IDisposable
{
    private const string Channels = """
        channels:
          - id: facebook-battersea
            platform: facebook
            audience: [battersea]
            page_id: "1001"
            ad_account_id: act_2001
            secret: facebook-battersea
            ad_radius_km: 2.5
          - id: facebook-wandsworth
            platform: facebook
            audience: [borough:wandsworth]
            page_id: "1002"
            secret: facebook-wandsworth
          - id: x-london
            platform: x
            secret: x-london
          - id: mastodon-london
            platform: mastodon
            api_url: http://127.0.0.1:9/
            secret: mastodon-london
        """;

    private readonly TestSite _site = new();

    public ChannelTests() => _site.Page("pages/register.md", "title: Register in {{ constituency.name }}");

    public void Dispose() => _site.Dispose();

    private static Publisher Publisher => TestSite.Services.GetRequiredService<Publisher>();

    private (PostPlan Plan, System.Collections.Immutable.ImmutableArray<Publishing.Diagnostics.Diagnostic> Diagnostics) Plan() => Publisher.PlanPosts(_site.Load());

    [Fact]
    public void Each_seat_gets_its_most_specific_channel_per_platform_with_the_exact_delivery()
    {
        _site.Write("channels.yaml", Channels)
            .Write("static/social/card.jpg", "jpeg")
            .Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook, x]\naudience: [battersea, tooting]\nlink: register\nmedia: static/social/card.jpg\napproved_by: Agent\nsponsored: {budget_gbp: 30, end: 2026-12-07T21:00}",
                "Register in {{ constituency.name }}.\n");

        var (plan, diagnostics) = Plan();

        // A sponsored post's ad runs from the channel's ad account: the Wandsworth page has none.
        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("missing-ad-account", error.Code);
        Assert.Contains("facebook-wandsworth", error.Message);
        Assert.Equal(
            ["battersea facebook-battersea", "battersea x-london", "tooting facebook-wandsworth", "tooting x-london"],
            plan.Deliveries.Where(d => d.Language == "en").Select(d => $"{d.Seat} {d.ChannelId}").Order(StringComparer.Ordinal));
        var battersea = plan.Deliveries.Single(d => d.ChannelId == "facebook-battersea").Delivery;
        Assert.Equal(new Uri("https://graph.facebook.com/"), battersea.ApiUrl);
        Assert.Equal("1001", battersea.Account["page_id"]);
        Assert.Equal(new Uri("https://www.example.org.uk/social/card.jpg"), battersea.MediaUrl);
        Assert.Equal("https://www.example.org.uk/battersea/register/", battersea.Link);
        Assert.EndsWith("Promoted by Sam Okafor on behalf of London Conservatives, both of 4 Matthew Parker Street, London SW1H 9HQ.", battersea.Message);
        Assert.Equal(new LondonTories.Publishing.Platforms.SponsoredAd(30, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 21, 0, 0, TimeSpan.Zero),
            51.46640, -0.15703, 2.5, "London Conservatives"), battersea.Ad);
        Assert.Matches("^[a-z0-9]{32}$", battersea.Key);
        Assert.Null(plan.Deliveries.Single(d => d.ChannelId == "x-london" && d.Seat == "battersea").Delivery.Ad);
    }

    [Fact]
    public void A_sponsored_post_with_a_translation_runs_one_ad_per_seat_not_one_per_language()
    {
        // An ad per language spent the seat's budget once for each language it publishes.
        _site.Write("channels.yaml", Channels.Replace("audience: [borough:wandsworth]", "audience: [borough:wandsworth]\n    ad_account_id: act_2002", StringComparison.Ordinal))
            .Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [tooting]\napproved_by: Agent\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}",
                "Help with bills in {{ constituency.name }}.\n")
            .Write("social/paid.ur.md", "{{ constituency.name }} میں بلوں میں مدد۔\n");

        var (plan, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        var deliveries = plan.Deliveries.Where(d => d.Seat == "tooting" && d.ChannelId == "facebook-wandsworth").ToList();
        Assert.Equal(["en", "ur"], deliveries.Select(d => d.Language).Order(StringComparer.Ordinal));
        var paid = Assert.Single(deliveries, d => d.Delivery.Ad is not null);
        Assert.Equal("en", paid.Language);
        Assert.Equal(25m, paid.Delivery.Ad!.LifetimeBudgetGbp);
    }

    [Fact]
    public void A_seat_with_two_facebook_pages_runs_one_ad_not_one_per_page()
    {
        // An ad per Page spent the seat's budget once for each, while spend and the send guard counted it once.
        _site.Write("channels.yaml", Channels.Replace("  - id: facebook-wandsworth", """
              - id: facebook-battersea-candidate
                platform: facebook
                audience: [battersea]
                page_id: "1003"
                ad_account_id: act_2003
                secret: facebook-battersea-candidate
              - id: facebook-wandsworth
            """, StringComparison.Ordinal))
            .Page("social/paid.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Agent\nsponsored: {budget_gbp: 25, end: 2026-12-07T21:00}",
                "Help with bills in {{ constituency.name }}.\n");

        var (plan, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.Equal(["facebook-battersea", "facebook-battersea-candidate"], plan.Deliveries.Select(d => d.ChannelId).Order(StringComparer.Ordinal));
        var paid = Assert.Single(plan.Deliveries, d => d.Delivery.Ad is not null);
        Assert.Equal("facebook-battersea", paid.ChannelId);
        var warning = Assert.Single(diagnostics, d => d.Code == "one-ad-per-seat");
        Assert.Contains("facebook-battersea-candidate", warning.Message);
    }

    [Fact]
    public void A_channel_shared_by_seats_posts_a_message_they_share_once()
    {
        // The same words once per seat from one account: X refuses the repeats as duplicates, others show them all.
        _site.Write("channels.yaml", Channels)
            .Page("social/same.md", "schedule: 2026-11-30T09:00\nplatforms: [x, mastodon]\naudience: [battersea, tooting, bromley-and-biggin-hill]", "Polling day is Thursday.\n")
            .Page("social/local.md", "schedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea, tooting]", "Polling day in {{ constituency.name }}.\n");

        var (plan, diagnostics) = Plan();

        Assert.Equal(["battersea mastodon-london", "battersea x-london"],
            plan.Deliveries.Where(d => d.PostId == "same").Select(d => $"{d.Seat} {d.ChannelId}").Order(StringComparer.Ordinal));
        Assert.Equal(2, plan.Deliveries.Count(d => d.PostId == "local"));
        var note = Assert.Single(diagnostics, d => d.Code == "same-message");
        Assert.False(note.IsError);
        Assert.Contains("tooting", note.ToString(), StringComparison.Ordinal);
        Assert.Contains("bromley-and-biggin-hill", note.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_seat_with_no_channel_for_a_platform_is_a_warning_naming_the_seats()
    {
        _site.Write("channels.yaml", Channels)
            .Page("social/plain.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook, bluesky]\naudience: [battersea, bromley-and-biggin-hill]");

        var (_, diagnostics) = Plan();

        var facebook = Assert.Single(diagnostics, d => d.Code == "no-channel" && d.Message.Contains("facebook"));
        Assert.False(facebook.IsError);
        Assert.Equal("bromley-and-biggin-hill", string.Join(" ", facebook.Subjects));
        var bluesky = Assert.Single(diagnostics, d => d.Code == "no-channel" && d.Message.Contains("bluesky"));
        Assert.Equal("battersea bromley-and-biggin-hill", string.Join(" ", bluesky.Subjects));
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public async Task Posts_lists_each_seats_channels_and_the_missing_ones()
    {
        _site.Write("channels.yaml", Channels)
            .Page("social/plain.md", "schedule: 2030-11-30T09:00\nplatforms: [facebook]\naudience: [battersea, bromley-and-biggin-hill]");

        var run = await _site.RunCliAsync("posts", "--content", _site.ContentDir, "--out", _site.OutDir, "--now", "2030-11-30T09:30");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("    battersea: facebook-battersea: due\n", run.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("warning: no facebook channel in channels.yaml speaks for 1 seat of this post", run.Stdout);
        Assert.Contains("(for bromley-and-biggin-hill)", run.Stdout);
    }

    [Theory]
    [InlineData("    secret: EAAGm0PX4ZCpsBAKZCZBZAv1z2KtC3ZAgIZDZD\n", "secret-value")]
    [InlineData("    secret: 8f14e45fceea167a5a36dedd4bea2543f0d1c2b3\n", "secret-value")]
    [InlineData("    secret: Facebook Battersea\n", "invalid-secret-name")]
    public void A_secret_value_in_channels_yaml_is_an_error_that_never_repeats_it(string line, string code)
    {
        _site.Write("channels.yaml", "channels:\n  - id: x-london\n    platform: x\n" + line);

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.Code == code);
        Assert.Equal("channels.yaml:4:13", error.Location.ToString()[^"channels.yaml:4:13".Length..]);
        var value = line.Trim()["secret: ".Length..];
        Assert.DoesNotContain(diagnostics, d => d.ToString().Contains(value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("facebook", "page_id", "'../104729/feed'", "channels.yaml:4:14")]
    [InlineData("facebook", "page_id", "104729?fields=id", "channels.yaml:4:14")]
    [InlineData("facebook", "page_id", "'104729#x'", "channels.yaml:4:14")]
    [InlineData("facebook", "page_id", "EAAGm0PX4ZCpsBAKZCZBZAv1z2KtC3ZAgIZDZD", "channels.yaml:4:14")]
    [InlineData("instagram", "instagram_account_id", "'17841400000000001/media'", "channels.yaml:4:27")]
    [InlineData("instagram", "instagram_account_id", "'..'", "channels.yaml:4:27")]
    public void A_Meta_account_id_that_is_not_digits_is_an_error_at_its_line_that_never_repeats_it(string platform, string field, string value, string location)
    {
        _site.Write("channels.yaml", $"channels:\n  - id: meta\n    platform: {platform}\n    {field}: {value}\n    secret: meta\n");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("invalid-account-id", error.Code);
        Assert.Equal(location, error.Location.ToString()[^location.Length..]);
        Assert.StartsWith($"'{field}' must be the account's id in digits alone", error.Message, StringComparison.Ordinal);
        Assert.Contains("digits", error.Hint);
        Assert.DoesNotContain(diagnostics, d => d.ToString().Contains(value.Trim('\''), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("'204000000000001'")]
    [InlineData("act_")]
    [InlineData("'act_204/campaigns'")]
    [InlineData("'act_204?fields=id'")]
    [InlineData("'act_../me'")]
    [InlineData("ACT_204000000000001")]
    public void An_ad_account_id_not_written_as_act_and_digits_is_an_error_at_its_line_rather_than_a_rejection_when_the_ad_is_due(string value)
    {
        _site.Write("channels.yaml", $"channels:\n  - id: meta\n    platform: facebook\n    page_id: '104729'\n    ad_account_id: {value}\n    secret: meta\n");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("invalid-account-id", error.Code);
        Assert.Equal("channels.yaml:5:20", error.Location.ToString()[^"channels.yaml:5:20".Length..]);
        Assert.StartsWith("'ad_account_id' must be the account's id as act_ and its digits", error.Message, StringComparison.Ordinal);
        Assert.Contains("act_", error.Hint);
        // Never repeated (a token pasted there by mistake would be printed); the bare prefix is in the hint anyway.
        Assert.DoesNotContain(diagnostics, d => value != "act_" && d.ToString().Contains(value.Trim('\''), StringComparison.Ordinal));
    }

    [Fact]
    public void An_ad_account_id_as_act_and_digits_is_taken()
    {
        _site.Write("channels.yaml", "channels:\n  - id: meta\n    platform: facebook\n    page_id: '104729'\n    ad_account_id: act_204000000000001\n    secret: meta\n");

        var (_, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("  - id: fb\n    platform: facebok\n    page_id: '1'\n    secret: fb\n", "unknown-platform", "Did you mean 'facebook'?")]
    [InlineData("  - id: tw\n    platform: twitter\n    secret: tw\n", "unknown-platform", "Did you mean 'x'?")]
    [InlineData("  - id: ig\n    platform: insta\n    instagram_account_id: '2'\n    secret: ig\n", "unknown-platform", "Did you mean 'instagram'?")]
    [InlineData("  - id: fb\n    platform: facebook\n    page_idd: '1'\n    secret: fb\n", "unknown-key", "Did you mean 'page_id'?")]
    [InlineData("  - id: fb\n    platform: facebook\n    secret: fb\n", "missing-key", "needs 'page_id'")]
    [InlineData("  - id: ig\n    platform: instagram\n    page_id: '1'\n    instagram_account_id: '2'\n    secret: ig\n", "wrong-account-field", "takes instagram_account_id")]
    [InlineData("  - id: m\n    platform: mastodon\n    secret: m\n", "missing-key", "api_url")]
    [InlineData("  - id: t\n    platform: threads\n    secret: t\n", "missing-key", "a threads channel needs 'threads_user_id'")]
    [InlineData("  - id: t\n    platform: threads\n    threads_user_id: '7361250000000001'\n    page_id: '1'\n    secret: t\n", "wrong-account-field", "A threads channel takes threads_user_id.")]
    [InlineData("  - id: t\n    platform: threads\n    threads_user_id: '7361250000000001'\n    api_url: http://graph.threads.net/\n    secret: t\n", "insecure-url", "would send the channel's token unencrypted")]
    [InlineData("  - id: m\n    platform: mastodon\n    api_url: http://mastodon.example.org/\n    secret: m\n", "insecure-url",
        "api_url 'http://mastodon.example.org/' would send the channel's token unencrypted. Write it as https://mastodon.example.org/")]
    [InlineData("  - id: w\n    platform: webhook\n    url: http://hooks.example.org/in\n    secret: w\n", "insecure-url", "url 'http://hooks.example.org/in' would send")]
    [InlineData("  - id: w\n    platform: webhook\n    url: https://169.254.169.254/metadata\n    secret: w\n", "private-url", "url 'https://169.254.169.254/metadata' is on a private or internal network")]
    [InlineData("  - id: m\n    platform: mastodon\n    api_url: https://[fd12::7]/\n    secret: m\n", "private-url", "public https:// address")]
    [InlineData("  - id: x\n    platform: x\n    secret: x\n  - id: x\n    platform: x\n    secret: x\n", "duplicate-channel", "listed twice")]
    public void Channel_mistakes_are_errors_with_their_line_and_a_fix(string channels, string code, string expected)
    {
        _site.Write("channels.yaml", "channels:\n" + channels);

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.Code == code);
        Assert.True(error.IsError);
        Assert.Contains(expected, error.ToString());
        Assert.Contains("channels.yaml:", error.Location.ToString());
    }

    [Theory]
    [InlineData("me")]
    [InlineData("@londontories")]
    [InlineData("7361250000000001/threads")]
    public void A_threads_user_id_that_is_not_digits_is_an_error_at_its_line_with_the_fix(string user)
    {
        _site.Write("channels.yaml", $"channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"{user}\"\n    secret: threads-london\n")
            .Page("social/plain.md", "schedule: 2026-11-30T09:00\nplatforms: [threads]\naudience: [battersea]");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("invalid-account-id", error.Code);
        Assert.EndsWith("channels.yaml:4:22", error.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal("'threads_user_id' must be the account's id in digits alone.", error.Message);
        Assert.Equal("Copy the threads account's id as digits, quoted so YAML keeps it whole: 'threads_user_id: \"1234567890\"'.", error.Hint);
    }

    [Fact]
    public void A_threads_post_goes_out_through_its_channel_at_graph_threads_net()
    {
        _site.Write("channels.yaml", "channels:\n  - id: threads-london\n    platform: threads\n    threads_user_id: \"7361250000000001\"\n    secret: threads-london\n")
            .Page("social/plain.md", "schedule: 2026-11-30T09:00\nplatforms: [threads]\naudience: [battersea, tooting]\nlink: register", "Register in {{ constituency.name }}.\n");

        var (plan, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.IsError || d.Code == "no-channel");
        Assert.Equal(["battersea threads-london", "tooting threads-london"], plan.Deliveries.Select(d => $"{d.Seat} {d.ChannelId}").Order(StringComparer.Ordinal));
        var battersea = plan.Deliveries.Single(d => d.Seat == "battersea").Delivery;
        Assert.Equal("threads", battersea.Platform);
        Assert.Equal(new Uri("https://graph.threads.net/"), battersea.ApiUrl);
        Assert.Equal(new Dictionary<string, string> { ["threads_user_id"] = "7361250000000001" }, battersea.Account);
        Assert.Equal("https://www.example.org.uk/battersea/register/", battersea.Link);
        Assert.StartsWith("Register in Battersea.", battersea.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threads_post_with_no_threads_channel_for_a_seat_is_not_sent_there_and_says_so()
    {
        _site.Write("channels.yaml", "channels:\n  - id: threads-battersea\n    platform: threads\n    audience: [battersea]\n    threads_user_id: \"7361250000000001\"\n    secret: threads-battersea\n")
            .Page("social/plain.md", "schedule: 2026-11-30T09:00\nplatforms: [threads]\naudience: [battersea, tooting]");

        var (plan, diagnostics) = Plan();

        var warning = Assert.Single(diagnostics, d => d.Code == "no-channel");
        Assert.False(warning.IsError);
        Assert.Equal("no threads channel in channels.yaml speaks for 1 seat of this post; those seats' post is not sent to threads.", warning.Message);
        Assert.Equal("tooting", string.Join(" ", warning.Subjects));
        Assert.Equal("battersea", Assert.Single(plan.Deliveries).Seat);
    }

    [Theory]
    [InlineData("  - id: w\n    platform: webhook\n    url: http://alice:hunter2secret@hooks.example.org/x?sig=hunter2secret\n    secret: w\n", "url")]
    [InlineData("  - id: w\n    platform: webhook\n    url: https://alice:hunter2secret@hooks.example.org/x\n    secret: w\n", "url")]
    [InlineData("  - id: m\n    platform: mastodon\n    api_url: https://alice:hunter2secret@mastodon.example.org/\n    secret: m\n", "api_url")]
    [InlineData("  - id: m\n    platform: mastodon\n    api_url: http://alice:hunter2secret@127.0.0.1:9/\n    secret: m\n", "api_url")]
    public void A_channel_address_with_a_user_and_password_is_an_error_that_never_repeats_them(string channels, string key)
    {
        _site.Write("channels.yaml", "channels:\n" + channels);

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("credentials-in-url", error.Code);
        Assert.StartsWith($"{key} holds a user name and password", error.Message);
        Assert.Contains("secret", error.Hint);
        Assert.DoesNotContain(diagnostics, d => d.ToString().Contains("hunter2secret", StringComparison.Ordinal) || d.ToString().Contains("alice", StringComparison.Ordinal));
    }

    [Fact]
    public void An_insecure_channel_address_is_named_without_its_query()
    {
        _site.Write("channels.yaml", "channels:\n  - id: w\n    platform: webhook\n    url: http://hooks.example.org/x?token=hunter2secret\n    secret: w\n");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("insecure-url", error.Code);
        Assert.Contains("url 'http://hooks.example.org/x?…' would send", error.ToString());
        Assert.DoesNotContain("hunter2secret", error.ToString());
    }

    [Theory]
    [InlineData("", "media-required", 3)]
    [InlineData("\nmedia: static/social/card.svg", "media-type", 4)]
    public void An_instagram_post_needs_a_jpeg_and_is_told_so_at_the_line_to_change(string media, string code, int line)
    {
        // Both pointed at the file's first line: a missing image at 'platforms:', which asks for one, a wrong one at 'media:'.
        _site.Write("static/social/card.svg", "<svg/>")
            .Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: [instagram]{media}");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.Code == code);
        Assert.True(error.IsError);
        Assert.EndsWith("social/photo.md", error.Location.Path);
        Assert.Equal(line, error.Location.Line);
    }

    [Fact]
    public void A_pictures_description_goes_out_with_every_delivery_of_the_post_and_in_its_document()
    {
        _site.Write("channels.yaml", Channels)
            .Write("static/social/card.jpg", "jpeg")
            .Page("social/photo.md", "schedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]\nmedia: static/social/card.jpg\nmedia_alt: Volunteers at the Battersea Park stall", "Come and meet us.\n");

        var (plan, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.Code is "media-without-text" or "media-alt-without-media" or "invalid-media-alt" or "media-alt-too-long");
        var delivery = Assert.Single(plan.Deliveries).Delivery;
        Assert.Equal("Volunteers at the Battersea Park stall", delivery.MediaAlt);
        using var document = System.Text.Json.JsonDocument.Parse(delivery.Document);
        Assert.Equal("static/social/card.jpg", document.RootElement.GetProperty("media").GetString());
        Assert.Equal("Volunteers at the Battersea Park stall", document.RootElement.GetProperty("media_alt").GetString());
    }

    [Fact]
    public void A_picture_larger_than_bluesky_takes_is_a_warning_that_it_goes_out_without_it()
    {
        WriteBytes("static/social/card.png", [.. Png, .. new byte[1_000_000]]);
        _site.Page("social/photo.md", "schedule: 2026-11-30T09:00\nplatforms: [bluesky]\nlink: register\nmedia: static/social/card.png\nmedia_alt: A stall", "Come and meet us.\n");

        var (_, diagnostics) = Plan();

        var warning = Assert.Single(diagnostics, d => d.Code == "media-too-large");
        Assert.False(warning.IsError);
        Assert.Equal(5, warning.Location.Line);
        Assert.Equal("bluesky takes pictures of at most 1,000,000 bytes, and 'card.png' is 1,000,012, so this post goes out there without it.", warning.Message);
    }

    [Fact]
    public void A_platform_that_uploads_the_picture_is_handed_its_bytes()
    {
        _site.Write("channels.yaml", Channels + "\n  - id: bluesky-london\n    platform: bluesky\n    handle: london.example.org.uk\n    secret: bluesky-london\n");
        WriteBytes("static/social/card.png", Png);
        _site.Page("social/photo.md", "schedule: 2026-11-30T09:00\nplatforms: [bluesky, x]\naudience: [battersea]\nlink: register\nmedia: static/social/card.png\nmedia_alt: A stall", "Come and meet us.\n");

        var (plan, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.Equal(Png, plan.Deliveries.Single(d => d.ChannelId == "bluesky-london").Delivery.MediaBytes.ToArray());
        // X posts the text and link alone, and is told so; Bluesky, which shows the picture, is not named.
        Assert.Equal("x posts a post's text and link alone, so this post goes out there without 'card.png'; the link's card shows the linked page's picture instead.",
            Assert.Single(diagnostics, d => d.Code == "media-not-posted").Message);
    }

    [Theory]
    [InlineData("media: static/social/card.jpg", "media-without-text", false, 4,
        "the post's picture 'card.jpg' has no words for what it shows: where it goes out with the post, a screen reader announces it as an unnamed image.")]
    [InlineData("media: static/social/card.jpg\nmedia_alt: \"  \"", "media-without-text", false, 5,
        "the post's picture 'card.jpg' has no words for what it shows: where it goes out with the post, a screen reader announces it as an unnamed image.")]
    [InlineData("media_alt: Volunteers at a stall", "media-alt-without-media", false, 4,
        "media_alt describes the post's picture, but the post has no 'media', so it goes nowhere.")]
    [InlineData("media: static/social/card.jpg\nmedia_alt: A stall in {{ constituency.name }}", "invalid-media-alt", true, 5,
        "media_alt is sent as written, the same for every seat, so '{{' would go out as it stands.")]
    public void A_pictures_description_is_checked_at_its_line(string lines, string code, bool isError, int line, string message)
    {
        _site.Write("static/social/card.jpg", "jpeg")
            .Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: [x]\n{lines}", "Come and meet us.\n");

        var (_, diagnostics) = Plan();

        var found = Assert.Single(diagnostics, d => d.Code == code);
        Assert.Equal(isError, found.IsError);
        Assert.EndsWith("social/photo.md", found.Location.Path);
        Assert.Equal(line, found.Location.Line);
        Assert.Equal(message, found.Message);
    }

    [Fact]
    public void A_pictures_description_longer_than_the_platforms_take_is_an_error_with_its_length()
    {
        var alt = string.Concat(Enumerable.Repeat("A stall. ", 112)).TrimEnd();
        _site.Write("static/social/card.jpg", "jpeg")
            .Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: [x]\nmedia: static/social/card.jpg\nmedia_alt: {alt}", "Come and meet us.\n");

        var (_, diagnostics) = Plan();

        var error = Assert.Single(diagnostics, d => d.Code == "media-alt-too-long");
        Assert.True(error.IsError);
        Assert.Equal(5, error.Location.Line);
        Assert.Equal($"media_alt is {alt.Length:N0} characters; the platforms that show it take at most 1,000.", error.Message);
    }

    [Theory]
    [InlineData("[facebook, x, bluesky, webhook, tiktok, instagram, threads]", "facebook and x post a post's text and link alone, so this post goes out there without 'card.jpg'; the link's card shows the linked page's picture instead.")]
    [InlineData("[linkedin]", "linkedin posts a post's text and link alone, so this post goes out there without 'card.jpg'; the link's card shows the linked page's picture instead.")]
    [InlineData("[webhook, instagram, threads, tiktok]", null)]
    public void A_picture_the_platforms_do_not_post_is_a_warning_naming_them(string platforms, string? message)
    {
        // It was dropped without a word: the campaign expected the picture on Facebook and X.
        WriteBytes("static/social/card.jpg", Jpeg);
        _site.Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: {platforms}\nlink: register\nmedia: static/social/card.jpg\nmedia_alt: A stall", "Come and meet us.\n");

        var (_, diagnostics) = Plan();

        var found = diagnostics.Where(d => d.Code == "media-not-posted").ToList();
        if (message is null)
        {
            Assert.Empty(found);
            return;
        }

        var warning = Assert.Single(found);
        Assert.False(warning.IsError);
        Assert.Equal(5, warning.Location.Line);
        Assert.Equal(message, warning.Message);
        Assert.Equal("To show the picture in the card, give the page 'register' it as its 'image:' (image: /social/card.jpg).", warning.Hint);
    }

    [Fact]
    public void A_picture_the_linked_pages_card_shows_is_not_warned_about()
    {
        WriteBytes("static/social/card.jpg", Jpeg);
        _site.Page("pages/register.md", "title: Register in {{ constituency.name }}\nimage: /social/card.jpg\nimage_alt: A stall")
            .Page("social/photo.md", "schedule: 2026-11-30T09:00\nplatforms: [facebook, x]\nlink: register\nmedia: static/social/card.jpg\nmedia_alt: A stall", "Come and meet us.\n");

        var (_, diagnostics) = Plan();

        Assert.DoesNotContain(diagnostics, d => d.Code == "media-not-posted");
    }

    [Theory]
    [InlineData("card.gif", true)]
    [InlineData("card.webp", true)]
    [InlineData("card.png", false)]
    [InlineData("card.JPG", false)]
    public void A_threads_post_whose_media_threads_cannot_show_is_warned_that_it_goes_out_as_text(string file, bool warned)
    {
        _site.Write($"static/social/{file}", "GIF89a")
            .Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: [threads]\nmedia: static/social/{file}");

        var (_, diagnostics) = Plan();

        var found = diagnostics.Where(d => d.Code == "media-type").ToList();
        if (!warned)
        {
            Assert.Empty(found);
            return;
        }

        var warning = Assert.Single(found);
        Assert.False(warning.IsError);
        Assert.EndsWith("social/photo.md", warning.Location.Path);
        Assert.Equal(4, warning.Location.Line);
        Assert.Equal($"threads shows .jpg, .jpeg or .png images, so this post goes out there as its text and link alone, without '{file}'.", warning.Message);
    }

    private void WriteBytes(string path, byte[] bytes)
    {
        var full = Path.Combine(_site.ContentDir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];
    private static readonly byte[] WebP = [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8];

    [Theory]
    [InlineData("instagram", "card.jpg", "png", "a PNG image", true)]
    [InlineData("instagram", "card.jpeg", "webp", "a WebP image", true)]
    [InlineData("threads", "card.jpg", "text", "not an image", true)]
    [InlineData("threads", "card.png", "jpeg", "a JPEG image", true)]
    [InlineData("instagram", "card.jpg", "jpeg", null, false)]
    [InlineData("threads", "card.png", "png", null, false)]
    [InlineData("x", "card.jpg", "png", null, false)]
    public void A_picture_whose_bytes_are_not_what_its_name_says_is_an_error_for_a_platform_that_fetches_it_by_its_name(
        string platform, string file, string bytes, string? actually, bool error)
    {
        // Meta's servers fetch the picture from the site and refuse one that is not the JPEG or PNG it says it is, at the post's time.
        WriteBytes($"static/social/{file}", bytes switch { "png" => Png, "jpeg" => Jpeg, "webp" => WebP, _ => "a picture"u8.ToArray() });
        _site.Page("social/photo.md", $"schedule: 2026-11-30T09:00\nplatforms: [{platform}]\nmedia: static/social/{file}");

        var (_, diagnostics) = Plan();

        var found = diagnostics.Where(d => d.Code == "media-content").ToList();
        if (!error)
        {
            Assert.Empty(found);
            return;
        }

        var problem = Assert.Single(found);
        Assert.True(problem.IsError);
        Assert.Equal(4, problem.Location.Line);
        var named = Path.GetExtension(file) == ".png" ? "a PNG image" : "a JPEG image";
        Assert.Equal($"'{file}' is not {named} as its name says: its bytes are {actually}, and {platform} refuses it.", problem.Message);
        Assert.Equal(platform == "threads" && actually == "a JPEG image"
            ? "Rename it to card.jpg: that is what it is, and threads takes it."
            : $"Export it again as {named[2..^6]} and save it as {file}.", problem.Hint);
    }

    [Fact]
    public void The_preview_shows_each_channels_payload_without_any_secret()
    {
        _site.Write("channels.yaml", Channels)
            .Page("social/plain.md", "schedule: 2026-11-30T09:00\nplatforms: [x]\naudience: [battersea]");
        var content = _site.Load();
        var (plan, _) = Publisher.PlanPosts(content);

        var html = LondonTories.Publishing.Preview.PostsHtml.Body(plan, content, new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero), seat: null);

        Assert.Contains("(missed)", html);
        Assert.Contains("<h3>x-london (x, en)</h3>", html);
        Assert.Contains("&quot;api_url&quot;: &quot;https://api.x.com/&quot;", html);
        Assert.Contains("&quot;secret_name&quot;: &quot;x-london&quot;", html);
    }

    [Fact]
    public async Task Deliver_needs_a_storage_account_a_local_folder_never_contacts_a_platform()
    {
        var run = await _site.RunCliAsync("publish", "--content", _site.ContentDir, "--out", _site.OutDir, "--deliver");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --deliver sends posts to the platforms and needs --storage", run.Stderr);
        Assert.False(Directory.Exists(_site.OutDir));
    }

    [Theory]
    [InlineData(-1, DeliveryStatus.Scheduled)]
    [InlineData(0, DeliveryStatus.Due)]
    [InlineData(360, DeliveryStatus.Due)]
    [InlineData(361, DeliveryStatus.Missed)]
    public void One_function_gives_a_deliverys_status_from_its_time_alone(int minutesLate, DeliveryStatus expected)
    {
        var schedule = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, DeliveryStatuses.Of(schedule, schedule.AddMinutes(minutesLate), PostDelivery.DefaultGracePeriod, null));
    }

    [Theory]
    [InlineData(DeliveryStatus.Sent, 10_000, DeliveryStatus.Sent)]
    [InlineData(DeliveryStatus.Unknown, 10_000, DeliveryStatus.Unknown)]
    [InlineData(DeliveryStatus.Missed, 10, DeliveryStatus.Missed)]
    [InlineData(DeliveryStatus.Claimed, 10_000, DeliveryStatus.Claimed)]
    [InlineData(DeliveryStatus.Failed, 10, DeliveryStatus.Failed)]
    [InlineData(DeliveryStatus.Failed, 361, DeliveryStatus.Missed)]
    public void What_the_ledger_holds_settles_a_status_except_a_failure_past_its_grace(DeliveryStatus recorded, int minutesLate, DeliveryStatus expected)
    {
        var schedule = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var entry = new DeliveryEntry("post", "battersea", "en", "x-london") { Status = recorded };

        Assert.Equal(expected, DeliveryStatuses.Of(schedule, schedule.AddMinutes(minutesLate), PostDelivery.DefaultGracePeriod, entry));
    }
}
