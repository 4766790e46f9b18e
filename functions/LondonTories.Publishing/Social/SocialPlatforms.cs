using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Social;

/// <summary>A network a post goes out on and the longest message it takes.</summary>
public sealed record SocialPlatform(string Name, int Limit, bool CountsLinksAsShort)
{
    /// <summary>Where its API answers unless a channel sets <c>api_url</c>; null where every account has its own server (a Mastodon instance, a webhook's URL).</summary>
    public Uri? DefaultApiUrl { get; init; }

    /// <summary>The account fields a channel on this platform must give.</summary>
    public ImmutableArray<string> AccountFields { get; init; } = [];

    /// <summary>Account fields that are a numeric id after a fixed prefix (most have none), which the client puts into a request's path.</summary>
    public ImmutableDictionary<string, string> IdAccountFields { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Account fields a channel may give.</summary>
    public ImmutableArray<string> OptionalAccountFields { get; init; } = [];

    /// <summary>A post without media cannot go out on it; media must have one of <see cref="MediaExtensions"/>.</summary>
    public bool NeedsMedia { get; init; }

    /// <summary>The media it shows; on a platform that does not need media, a post with other media goes out without it.</summary>
    public ImmutableArray<string> MediaExtensions { get; init; } = [];

    /// <summary>The largest picture it takes, in bytes, where it limits them: a larger one is left out of the post (Bluesky's is its reference server's lexicon's).</summary>
    public int? MediaByteLimit { get; init; }

    /// <summary>The picture at <paramref name="media"/>, of <paramref name="length"/> bytes where known, goes out with a post here: one of its formats, within its limit.</summary>
    public bool Shows(Uri media, int? length = null) =>
        MediaExtensions.Contains(Path.GetExtension(media.AbsolutePath).ToLowerInvariant()) && (length is null || MediaByteLimit is not { } most || length <= most);

    /// <summary>Posts reach it through a channel of channels.yaml and a platform client.</summary>
    public bool HasChannels { get; init; }

    /// <summary>The most bytes of UTF-8 a message may take, where the platform limits those as well as its characters.</summary>
    public int? ByteLimit { get; init; }

    /// <summary>The channel's secret signs what is sent and never goes with it.</summary>
    public bool SecretSigns { get; init; }

    /// <summary>How many different web addresses a post may hold, where the platform limits them.</summary>
    public int? LinkLimit { get; init; }
}

/// <summary>
/// The networks posts may name and how their length is counted. A message is measured in
/// user-perceived characters (grapheme clusters), as most networks count. X counts as its
/// twitter-text library does: code points, where Latin, Bengali, Arabic script and the other
/// scripts up to U+10FF weigh one and CJK and the rest two, an emoji two, and every link 23, the
/// length of its t.co link, with or without a scheme; Mastodon counts links with a scheme as 23 too.
/// </summary>
public static partial class SocialPlatforms
{
    /// <summary>The length X gives every link, whatever its real length.</summary>
    public const int ShortLinkLength = 23;

    private static ImmutableDictionary<string, string> Ids(params (string Field, string Prefix)[] fields) =>
        fields.ToImmutableDictionary(f => f.Field, f => f.Prefix, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SocialPlatform> Known = new SocialPlatform[]
    {
        new("facebook", 63_206, false) { HasChannels = true, DefaultApiUrl = new("https://graph.facebook.com/"), AccountFields = ["page_id"], OptionalAccountFields = ["ad_account_id"], IdAccountFields = Ids(("page_id", ""), ("ad_account_id", "act_")) },
        new("instagram", 2_200, false)
        {
            HasChannels = true, DefaultApiUrl = new("https://graph.facebook.com/"), AccountFields = ["instagram_account_id"], IdAccountFields = Ids(("instagram_account_id", "")), NeedsMedia = true, MediaExtensions = [".jpg", ".jpeg"],
        },
        new("x", 280, true) { HasChannels = true, DefaultApiUrl = new("https://api.x.com/") },
        new("linkedin", 3_000, false) { HasChannels = true, DefaultApiUrl = new("https://api.linkedin.com/"), AccountFields = ["organization"] },
        new("tiktok", 4_000, false),
        new("threads", 500, false) { HasChannels = true, DefaultApiUrl = new("https://graph.threads.net/"), AccountFields = ["threads_user_id"], IdAccountFields = Ids(("threads_user_id", "")), MediaExtensions = [".jpg", ".jpeg", ".png"], LinkLimit = 5 },
        new("bluesky", 300, false) { HasChannels = true, DefaultApiUrl = new("https://bsky.social/"), AccountFields = ["handle"], ByteLimit = 3000, MediaExtensions = [".jpg", ".jpeg", ".png"], MediaByteLimit = 1_000_000 },
        new("mastodon", 500, true) { HasChannels = true },

        // A signed JSON document for the party's own tools: no text limit of its own beyond Facebook's, the longest a person reads.
        new("webhook", 63_206, false) { HasChannels = true, AccountFields = ["url"], SecretSigns = true },
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [.. Known.Keys.Order(StringComparer.Ordinal)];

    public static bool IsKnown(string name) => Known.ContainsKey(name);

    // Names the networks go or went by that spelling alone cannot lead to: X was Twitter.
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["twitter"] = "x",
        ["tweet"] = "x",
        ["x.com"] = "x",
        ["twitter.com"] = "x",
        ["fb"] = "facebook",
        ["meta"] = "facebook",
        ["facebook.com"] = "facebook",
        ["ig"] = "instagram",
        ["insta"] = "instagram",
        ["bsky"] = "bluesky",
        ["bsky.app"] = "bluesky",
        ["linked-in"] = "linkedin",
        ["linked_in"] = "linkedin",
        ["fediverse"] = "mastodon",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The platform among <paramref name="names"/> that <paramref name="written"/> most likely means, by another name it goes by or by its spelling.</summary>
    public static string? Suggest(string written, IEnumerable<string> names)
    {
        var among = names.ToList();
        return Aliases.TryGetValue(written.Trim().ToLowerInvariant(), out var meant) && among.Contains(meant)
            ? meant
            : Diagnostics.DidYouMean.Suggest(written, among);
    }

    public static SocialPlatform Get(string name) => Known[name];

    /// <summary>The length of <paramref name="message"/> as <paramref name="platform"/> counts it.</summary>
    public static int Length(string message, string platform)
    {
        var rules = Known[platform];
        var length = 0;
        var position = 0;
        if (rules.CountsLinksAsShort)
        {
            // Mastodon shortens only addresses with a scheme; X every address it recognises.
            foreach (Match link in Link().Matches(message))
            {
                if (platform != "x" && !link.Groups["scheme"].Success)
                {
                    continue;
                }

                length += Count(message[position..link.Index], platform) + ShortLinkLength;
                position = link.Index + link.Length;
            }
        }

        return length + Count(message[position..], platform);
    }

    /// <summary>How many different web addresses <paramref name="text"/> holds, with or without their scheme, as Threads counts them.</summary>
    public static int DistinctLinks(string text) =>
        Link().Matches(text).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    /// <summary>The web addresses written with their scheme in <paramref name="text"/>, found as the length check finds them: trailing punctuation stays text.</summary>
    public static IEnumerable<(int Index, int Length)> WebAddresses(string text) =>
        Link().Matches(text).Where(m => m.Groups["scheme"].Success).Select(m => (m.Index, m.Length));

    private static int Count(string text, string platform)
    {
        if (platform == "bluesky")
        {
            return WithConjuncts(text.Normalize(NormalizationForm.FormC));
        }

        if (platform != "x")
        {
            return new StringInfo(text.Normalize(NormalizationForm.FormC)).LengthInTextElements;
        }

        var count = 0;
        var elements = StringInfo.GetTextElementEnumerator(text.Normalize(NormalizationForm.FormC));
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (IsEmoji(element))
            {
                count += 2;
                continue;
            }

            foreach (var rune in element.EnumerateRunes())
            {
                count += Weight(rune.Value);
            }
        }

        return count;
    }

    /// <summary>
    /// Characters as Intl.Segmenter counts them, which Bluesky's server uses: the text elements of
    /// <see cref="StringInfo"/>, but with Unicode 15.1's rule GB9c, which keeps a conjunct of the
    /// Brahmic scripts (a consonant, a virama, a consonant: Bengali ক্ষ, Gujarati સ્થ) as one.
    /// </summary>
    private static int WithConjuncts(string text)
    {
        var count = 0;
        var linked = false;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (!(linked && IsConjunctConsonant(char.ConvertToUtf32(element, 0))))
            {
                count++;
            }

            // Whether the element ends in a consonant, then marks and ZWJ with a virama among them.
            var state = 0;
            foreach (var rune in element.EnumerateRunes())
            {
                state = IsConjunctConsonant(rune.Value) ? 1
                    : state > 0 && IsConjunctLinker(rune.Value) ? 2
                    : state > 0 && (rune.Value == 0x200D || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) ? state
                    : 0;
            }

            linked = state == 2;
        }

        return count;
    }

    // Indic_Conjunct_Break=Linker: the viramas of the scripts whose conjuncts GB9c joins.
    private static bool IsConjunctLinker(int codePoint) => codePoint is 0x094D or 0x09CD or 0x0ACD or 0x0B4D or 0x0C4D or 0x0D4D;

    // Indic_Conjunct_Break=Consonant: the consonants of Devanagari, Bengali, Gujarati, Oriya, Telugu and Malayalam.
    private static bool IsConjunctConsonant(int codePoint) => codePoint is
        (>= 0x0915 and <= 0x0939) or (>= 0x0958 and <= 0x095F) or (>= 0x0978 and <= 0x097F)
        or (>= 0x0995 and <= 0x09A8) or (>= 0x09AA and <= 0x09B0) or 0x09B2 or (>= 0x09B6 and <= 0x09B9) or 0x09DC or 0x09DD or 0x09DF or 0x09F0 or 0x09F1
        or (>= 0x0A95 and <= 0x0AA8) or (>= 0x0AAA and <= 0x0AB0) or 0x0AB2 or 0x0AB3 or (>= 0x0AB5 and <= 0x0AB9) or 0x0AF9
        or (>= 0x0B15 and <= 0x0B28) or (>= 0x0B2A and <= 0x0B30) or 0x0B32 or 0x0B33 or (>= 0x0B35 and <= 0x0B39) or 0x0B5C or 0x0B5D or 0x0B5F or 0x0B71
        or (>= 0x0C15 and <= 0x0C28) or (>= 0x0C2A and <= 0x0C39) or (>= 0x0C58 and <= 0x0C5A)
        or (>= 0x0D15 and <= 0x0D3A);

    private static int Weight(int codePoint) =>
        codePoint is <= 0x10FF or (>= 0x2000 and <= 0x200D) or (>= 0x2010 and <= 0x201F) or (>= 0x2032 and <= 0x2037) ? 1 : 2;

    /// <summary>
    /// X counts an emoji two whatever it is built from: a keycap, a flag, a skin tone, a joined
    /// sequence, or a symbol asked to show as emoji. A symbol asked to show as text (U+FE0E) is not one.
    /// </summary>
    private static bool IsEmoji(string element)
    {
        var first = char.ConvertToUtf32(element, 0);
        if (first >= 0x1F000)
        {
            return true;
        }

        if (element.EnumerateRunes().Count() == 1)
        {
            return false;
        }

        if (first is '#' or '*' or (>= '0' and <= '9'))
        {
            return element.Contains('\u20E3', StringComparison.Ordinal);
        }

        return Weight(first) == 2 && !element.Contains('\uFE0E', StringComparison.Ordinal) &&
               element.EnumerateRunes().Skip(1).Any(r => r.Value is 0xFE0F or 0x200D or (>= 0x1F3FB and <= 0x1F3FF));
    }

    // An address as twitter-text finds one: not inside a word, e-mail address or hashtag; a host
    // ending in a top-level domain, where any two letters stand for a country's (over-counting a
    // lookalike is safer than under-counting, which the platform refuses at send time); a path that
    // leaves trailing punctuation and unbalanced brackets to the text; ASCII and Latin letters only,
    // so text in other scripts straight after an address stays text.
    private const string LinkPattern =
        @"(?<![a-z0-9@\uFF20$#\uFF03\u202A-\u202E])" +
        @"(?:(?<scheme>https?://)|(?<![-_./]))" +
        @"(?:[a-z0-9\u00C0-\u024F](?:[_-]*[a-z0-9\u00C0-\u024F])*\.)+" +
        @"(?:[a-z]{2}|com|org|net|edu|gov|mil|int|info|biz|name|pro|mobi|app|dev|xyz|online|site|website|web|store|shop|blog|news|london|scot|wales|cymru|asia|tech|cloud|page|link|live|life|world|today|email|network|digital|media|social|vote|voting|party|global|group|services|support|foundation|charity|ngo|ong|community|church|school|academy|university|health|care|help|club|events|press|agency|company|solutions|center|centre|city|town|home|family|works|tools|studio|design|photo|photos|video|radio|team|one|top|art|icu|bank|law|legal|jobs|careers|travel|museum|aero|coop|gay|eco|green|energy|house|land|money|finance|fund|gives|gift|love|free|wiki|zone|space|plus|fun|games|bio|ltd|limited|inc|llc|gmbh)" +
        @"(?![a-z0-9@+-])" +
        @"(?::[0-9]+)?" +
        @"(?:/(?:(?:[a-z0-9\p{IsCyrillic}\u00C0-\u024F!*';:=+,.$/%#\[\]\u2013_~@|&-]|\([^\s()]*\))*(?:[a-z0-9\p{IsCyrillic}\u00C0-\u024F=_#/+-]|\([^\s()]*\)))?)?" +
        @"(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]_.,~|-]*[a-z0-9_&=#/-])?";

    [GeneratedRegex(LinkPattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Link();
}
