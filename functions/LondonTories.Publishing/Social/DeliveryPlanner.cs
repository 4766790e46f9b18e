using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Platforms;

namespace LondonTories.Publishing.Social;

/// <summary>
/// One message for one channel, as the ledger tracks it: a post (by its identity), a seat, a language
/// and a channel, with the <see cref="Platforms.Delivery"/> that would go out.
/// </summary>
public sealed record PlannedDelivery(SeatPost Post, PostVersion Version, Channel Channel, Delivery Delivery)
{
    public string PostId => Post.Id;

    public string Seat => Post.Seat.Slug;

    public string Language => Version.Language;

    public string ChannelId => Channel.Id;

    public DateTimeOffset Schedule => Post.Schedule;

    /// <summary>The digest of the message: with the seat, language, channel and London day it recognises a post whose file was renamed.</summary>
    public string MessageSha256 { get; init; } = string.Empty;

    /// <summary>The London date the post is scheduled on, <c>yyyy-MM-dd</c>.</summary>
    public string Day { get; init; } = string.Empty;

    /// <summary>The other seats whose post reads exactly the same on this account, which this delivery also carries (<see cref="DeliveryPlanner"/> sends such a message once).</summary>
    public ImmutableArray<SeatPost> SharedWith { get; init; } = [];

    /// <summary>The same delivery under the identity the ledger fixed when it first went out.</summary>
    public PlannedDelivery WithIdentity(string identity) =>
        identity == Delivery.Key ? this : this with { Delivery = Delivery with { Key = DeliveryPlanner.KeyFor(identity, Seat, Language, ChannelId) } };
}

/// <summary>
/// Picks, for every seat's post and each of its platforms, the channels that speak for the seat (the
/// most specific audience wins, as with page variants), and checks what a platform needs of a post
/// before anything is sent: media where it requires media, an ad account and a seat centre for ads.
/// </summary>
public static class DeliveryPlanner
{
    public static ImmutableArray<PlannedDelivery> Plan(IReadOnlyList<SeatPost> posts, SiteContent content, DiagnosticBag diagnostics)
    {
        var site = content.Site;
        foreach (var post in content.Posts)
        {
            CheckMedia(post, content, diagnostics);
            CheckMediaBytes(post, content, diagnostics);
        }

        if (content.Channels.IsEmpty)
        {
            return [];
        }

        var deliveries = new List<PlannedDelivery>();
        foreach (var group in posts.GroupBy(p => p.Post))
        {
            var post = group.Key;
            var picture = post.Media is { } path && content.StaticFile(path) is { } file ? file.Bytes : ReadOnlyMemory<byte>.Empty;
            foreach (var platform in post.Platforms)
            {
                var unserved = new List<string>();
                var (unpaidChannels, unpaidSeats) = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                foreach (var seatPost in group)
                {
                    var channels = ChannelsFor(content.Channels, platform, seatPost.Seat);
                    if (channels.Count == 0)
                    {
                        unserved.Add(seatPost.Seat.Slug);
                        continue;
                    }

                    // A seat's budget buys one ad, from its first Page with an ad account; its other Pages post unpaid.
                    var adChannel = post.Sponsored is not null && platform == "facebook" ? channels.FirstOrDefault(c => c.Account.ContainsKey("ad_account_id")) ?? channels[0] : null;
                    foreach (var channel in channels)
                    {
                        var ad = post.Sponsored is { } sponsored && ReferenceEquals(channel, adChannel)
                            ? AdFor(post, sponsored, seatPost, channel, diagnostics)
                            : null;
                        if (adChannel is not null && !ReferenceEquals(channel, adChannel))
                        {
                            unpaidChannels.Add(channel.Id);
                            unpaidSeats.Add(seatPost.Seat.Slug);
                        }

                        var document = PostDelivery.Document(seatPost, site, post.Schedule);
                        foreach (var version in seatPost.Versions)
                        {
                            // One ad per seat, in the site's language: an ad per language spent the seat's
                            // budget once for each; the translations go out on the Page unpaid.
                            var delivery = new Delivery(
                                KeyFor(post.Id, seatPost.Seat.Slug, version.Language, channel.Id),
                                channel.Id,
                                channel.Platform,
                                channel.ApiUrl,
                                channel.Account,
                                version.Message,
                                version.Link,
                                version.Language,
                                post.Media is { } media ? new Uri(site.UrlFor("/" + StaticPath(media))) : null,
                                ReferenceEquals(version, seatPost.Main) ? ad : null,
                                document)
                            {
                                MediaAlt = post.Media is null ? null : post.MediaAlt,
                                MediaBytes = picture,
                            };
                            deliveries.Add(new PlannedDelivery(seatPost, version, channel, delivery)
                            {
                                MessageSha256 = Hashing.Sha256Hex(version.Message),
                                Day = SiteClock.ToLocal(post.Schedule, site.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                            });
                        }
                    }
                }

                if (unpaidChannels.Count > 0)
                {
                    diagnostics.Add(new Diagnostic(post.Location, "one-ad-per-seat",
                        $"a seat's budget runs one ad, so {string.Join(", ", unpaidChannels)} post{(unpaidChannels.Count == 1 ? "s" : string.Empty)} this sponsored post unpaid: another Page speaks for the same seat{(unpaidSeats.Count == 1 ? string.Empty : "s")} and runs the ad.",
                        "To run the ad from another Page, list its channel first in channels.yaml.", DiagnosticSeverity.Warning)
                    {
                        Subjects = [.. unpaidSeats],
                    });
                }

                if (unserved.Count > 0 && !SocialPlatforms.Get(platform).HasChannels)
                {
                    diagnostics.Warning(post.Location, "no-channel", $"no channel can post to {platform} yet, so this post is only filed for it, not sent.",
                        $"Post it on {platform} by hand, or take {platform} out of 'platforms'.");
                }
                else if (unserved.Count > 0)
                {
                    diagnostics.Add(new Diagnostic(post.Location, "no-channel",
                        $"no {platform} channel in channels.yaml speaks for {unserved.Count} seat{(unserved.Count == 1 ? string.Empty : "s")} of this post; those seats' post is not sent to {platform}.",
                        $"Add a channel on {platform} whose audience includes them, or take {platform} out of 'platforms'.", DiagnosticSeverity.Warning)
                    {
                        Subjects = [.. unserved],
                    });
                }
            }
        }

        return [.. Once(deliveries, diagnostics)];
    }

    /// <summary>
    /// A message several seats share on one account goes out once, as the first seat's: posted once per
    /// seat it repeats itself on the account's timeline, and X refuses the repeats as duplicates. Ads
    /// (targeted at each seat) and webhooks (which tell each seat's receiver) are per seat whatever they say.
    /// </summary>
    private static List<PlannedDelivery> Once(List<PlannedDelivery> deliveries, DiagnosticBag diagnostics)
    {
        var once = new List<PlannedDelivery>(deliveries.Count);
        var keptAt = new Dictionary<(string, string, string, string, string?, string?, string?), int>();
        var repeats = new Dictionary<string, (PlannedDelivery First, SortedSet<string> Channels, SortedSet<string> Seats)>(StringComparer.Ordinal);
        foreach (var delivery in deliveries)
        {
            var message = delivery.Delivery;
            if (message.Ad is not null || delivery.Channel.Platform == "webhook")
            {
                once.Add(delivery);
                continue;
            }

            var key = (delivery.PostId, delivery.ChannelId, delivery.Language, message.Message, message.Link, message.MediaUrl?.AbsoluteUri, message.MediaAlt);
            if (keptAt.TryAdd(key, once.Count))
            {
                once.Add(delivery);
                continue;
            }

            var at = keptAt[key];
            var kept = once[at] = once[at] with { SharedWith = once[at].SharedWith.Add(delivery.Post) };
            if (!repeats.TryGetValue(delivery.PostId, out var repeat))
            {
                repeats[delivery.PostId] = repeat = (kept, new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            }

            repeat.Channels.Add(delivery.ChannelId);
            repeat.Seats.Add(delivery.Seat);
        }

        foreach (var (kept, channels, seats) in repeats.Values)
        {
            diagnostics.Add(new Diagnostic(kept.Post.Post.Location, "same-message",
                $"the post reads the same for other seats as for {kept.Seat} on {string.Join(", ", channels)}, where one account speaks for them, so it goes out there once, as {kept.Seat}'s.",
                "To post it for each seat, let its text or link differ by seat (e.g. {{ constituency.name }}, or a link to a page).", DiagnosticSeverity.Warning)
            {
                Subjects = [.. seats],
            });
        }

        return once;
    }

    /// <summary>
    /// The idempotency key of a delivery: a record key, an Idempotency-Key, a webhook id. Derived from
    /// what identifies the delivery, so every retry of it carries the same one.
    /// </summary>
    public static string KeyFor(string identity, string seat, string language, string channel) =>
        Hashing.Sha256Hex($"{identity}\n{seat}\n{language}\n{channel}")[..32];

    /// <summary>The channels on <paramref name="platform"/> that speak for <paramref name="seat"/>: those whose audience names it most specifically.</summary>
    public static IReadOnlyList<Channel> ChannelsFor(IEnumerable<Channel> channels, string platform, Constituency seat)
    {
        var matches = channels.Where(c => c.Platform == platform).Select(c => (Channel: c, Match: c.Audience.MatchOf(seat))).Where(m => m.Match is not null).ToList();
        if (matches.Count == 0)
        {
            return [];
        }

        var best = matches.Max(m => m.Match);
        return [.. matches.Where(m => m.Match == best).Select(m => m.Channel)];
    }

    /// <summary>A post's media is a file under static/, published at the same path without the prefix.</summary>
    private static string StaticPath(string media) => media.StartsWith("static/", StringComparison.Ordinal) ? media["static/".Length..] : media;

    private static void CheckMedia(PostFile post, SiteContent content, DiagnosticBag diagnostics)
    {
        foreach (var platform in post.Platforms.Where(SocialPlatforms.IsKnown).Select(SocialPlatforms.Get).Where(p => !p.NeedsMedia && !p.MediaExtensions.IsEmpty))
        {
            if (post.Media is { } media && !platform.MediaExtensions.Contains(Path.GetExtension(media).ToLowerInvariant()))
            {
                var shown = $"{string.Join(", ", platform.MediaExtensions[..^1])} or {platform.MediaExtensions[^1]}";
                diagnostics.Warning(post.MediaLocation, "media-type", $"{platform.Name} shows {shown} images, so this post goes out there as its text and link alone, without '{Path.GetFileName(media)}'.",
                    $"Export the image as JPEG or PNG to show it on {platform.Name}.");
            }
        }

        // The other networks' clients post the text and link alone: a webhook's receiver has the picture in the document.
        var withoutPictures = post.Platforms.Where(SocialPlatforms.IsKnown).Select(SocialPlatforms.Get)
            .Where(p => p.HasChannels && !p.SecretSigns && p.MediaExtensions.IsEmpty).Select(p => p.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        // Where the linked page's own picture is the post's, its card shows it there all the same.
        if (post.Media is { } picture && withoutPictures.Count > 0
            && !content.Pages.Any(p => p.Slug == post.Link && !p.IsTranslation && p.Image?.TrimStart('/') == StaticPath(picture)))
        {
            var named = withoutPictures.Count == 1 ? withoutPictures[0] : $"{string.Join(", ", withoutPictures[..^1])} and {withoutPictures[^1]}";
            var file = Path.GetFileName(picture);
            diagnostics.Warning(post.MediaLocation, "media-not-posted",
                $"{named} post{(withoutPictures.Count == 1 ? "s" : string.Empty)} a post's text and link alone, so this post goes out there without '{file}'"
                    + (post.Link is null ? "." : "; the link's card shows the linked page's picture instead."),
                post.Link is { } page
                    ? $"To show the picture in the card, give the page '{page}' it as its 'image:' (image: /{StaticPath(picture)})."
                    : "Give the post a link to a page whose 'image:' is the picture, to show it in the link's card.");
        }

        foreach (var platform in post.Platforms.Where(SocialPlatforms.IsKnown).Select(SocialPlatforms.Get).Where(p => p.NeedsMedia))
        {
            if (post.Media is null)
            {
                diagnostics.Error(post.MediaLocation, "media-required", $"{platform.Name} takes only posts with an image: this post has no 'media'.",
                    $"Add e.g. 'media: static/social/{post.Id}.jpg' ({string.Join(" or ", platform.MediaExtensions)}), or take {platform.Name} out of 'platforms'.");
            }
            else if (!platform.MediaExtensions.Contains(Path.GetExtension(post.Media).ToLowerInvariant()))
            {
                diagnostics.Error(post.MediaLocation, "media-type", $"{platform.Name} takes {string.Join(" or ", platform.MediaExtensions)} images, not '{Path.GetFileName(post.Media)}'.",
                    $"Export the image as JPEG, or take {platform.Name} out of 'platforms'.");
            }
        }
    }

    /// <summary>
    /// Meta's servers fetch a post's picture from the site and refuse one whose bytes are not the JPEG
    /// or PNG its name says, at the post's time; its name alone passed every check before then.
    /// </summary>
    private static void CheckMediaBytes(PostFile post, SiteContent content, DiagnosticBag diagnostics)
    {
        if (post.Media is not { } media || content.StaticFile(media) is not { } file)
        {
            return;
        }

        var extension = Path.GetExtension(media).ToLowerInvariant();
        foreach (var platform in post.Platforms.Where(SocialPlatforms.IsKnown).Select(SocialPlatforms.Get).Distinct())
        {
            if (platform.MediaByteLimit is { } most && file.Bytes.Length > most && platform.MediaExtensions.Contains(extension))
            {
                diagnostics.Warning(post.MediaLocation, "media-too-large",
                    string.Create(CultureInfo.InvariantCulture, $"{platform.Name} takes pictures of at most {most:N0} bytes, and '{Path.GetFileName(media)}' is {file.Bytes.Length:N0}, so this post goes out there without it."),
                    "Export it smaller: a JPEG 1,200 pixels across is usually well under that.");
            }
        }

        var refusing = post.Platforms.Where(SocialPlatforms.IsKnown).Select(SocialPlatforms.Get)
            .Where(p => p.MediaExtensions.Contains(extension)).ToList();
        var named = ImageFormat.OfExtension(extension);
        var actual = ImageFormat.Of(file.Bytes);
        if (refusing.Count == 0 || named is null || actual == named)
        {
            return;
        }

        var name = Path.GetFileName(media);
        var platforms = string.Join(" and ", refusing.Select(p => p.Name));
        var renamed = actual is not null && refusing.All(p => p.MediaExtensions.Contains(actual.Extension)) ? Path.ChangeExtension(name, actual.Extension) : null;
        diagnostics.Error(post.MediaLocation, "media-content",
            $"'{name}' is not {named.Described} as its name says: its bytes are {actual?.Described ?? "not an image"}, and {platforms} {(refusing.Count == 1 ? "refuses" : "refuse")} it.",
            renamed is not null ? $"Rename it to {renamed}: that is what it is, and {platforms} {(refusing.Count == 1 ? "takes" : "take")} it." : $"Export it again as {named.Name} and save it as {name}.");
    }

    private static SponsoredAd? AdFor(PostFile post, Sponsorship sponsored, SeatPost seatPost, Channel channel, DiagnosticBag diagnostics)
    {
        if (!channel.Account.ContainsKey("ad_account_id"))
        {
            diagnostics.Error(channel.Location, "missing-ad-account", $"the sponsored post {post.Id} goes out on {channel.Id}, which has no 'ad_account_id' to run its ad from.",
                "Add the channel's Meta ad account id, e.g. 'ad_account_id: act_1234567890'.");
            return null;
        }

        if (SeatCentres.Find(seatPost.Seat.GssCode) is not { } centre)
        {
            diagnostics.ErrorFor(seatPost.Seat.Slug, post.Location, "no-seat-centre",
                "a sponsored post's ad is targeted around the seat's centre, and this seat's gss_code names no London seat of 2024.",
                "Give the seat its ONS code (gss_code) in constituencies.yaml.");
            return null;
        }

        var imprint = seatPost.Imprint;
        return new SponsoredAd(sponsored.BudgetGbp, sponsored.Start, sponsored.End, centre.Latitude, centre.Longitude, channel.AdRadiusKm, imprint.OnBehalfOf ?? imprint.Promoter);
    }
}
