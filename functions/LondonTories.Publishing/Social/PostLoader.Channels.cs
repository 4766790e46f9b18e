using System.Collections.Immutable;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LondonTories.Publishing.Social;

/// <summary>channels.yaml: the accounts posts go out on, checked with positions kept like every other file.</summary>
public sealed partial class PostLoader
{
    public const string ChannelsFile = "channels.yaml";

    private static readonly string[] ChannelKeys = ["id", "platform", "audience", "api_url", "secret", "ad_radius_km"];

    private static ImmutableArray<Channel> LoadChannels(IReadOnlyDictionary<string, string> texts, Func<string, string> display, SelectorParser selectors, DiagnosticBag diagnostics)
    {
        if (!texts.TryGetValue(ChannelsFile, out var text))
        {
            return [];
        }

        var path = display(ChannelsFile);
        var yamlText = new YamlText(text, path, 1, diagnostics);
        if (YamlFields.ParseMapping(yamlText, ChannelsFile) is not { } root)
        {
            return [];
        }

        var rootFields = new YamlFields(root, yamlText);
        rootFields.RejectUnknownKeys(["channels"], ChannelsFile);
        if (rootFields.Find("channels") is not YamlSequenceNode list)
        {
            diagnostics.Error(rootFields.Location, "missing-key", "channels.yaml must hold a 'channels:' list.",
                "Begin with 'channels:' and list each account as '- id: ...', with its platform, audience and secret.");
            return [];
        }

        var accountFields = SocialPlatforms.Names.Select(SocialPlatforms.Get).SelectMany(p => p.AccountFields.Concat(p.OptionalAccountFields)).Distinct().ToList();
        var allowed = ChannelKeys.Concat(accountFields).ToList();
        var channelPlatforms = SocialPlatforms.Names.Where(n => SocialPlatforms.Get(n).HasChannels).ToList();
        var channels = new List<Channel>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                diagnostics.Error(yamlText.LocationOf(item), "wrong-type", "each channel must be a mapping of fields.");
                continue;
            }

            var fields = new YamlFields(mapping, yamlText);
            fields.RejectUnknownKeys(allowed, "a channel");
            var id = fields.String("id", required: true, "a channel");
            if (id is not null && !Slug.IsValid(id))
            {
                diagnostics.Error(fields.LocationOf(fields.Find("id")!), "invalid-channel-id", $"'{id}' is not a valid channel id.",
                    $"Channel ids follow the slug rules: lower-case letters, digits and single hyphens, e.g. '{Slug.Suggestion(id)}'.");
                id = null;
            }

            if (id is not null && !seen.TryAdd(id, fields.KeyLocation("id")))
            {
                diagnostics.Error(fields.KeyLocation("id"), "duplicate-channel", $"the channel '{id}' is listed twice (first at line {seen[id].Line}).",
                    "Give each channel its own id: it names the channel's deliveries in the ledger.");
                id = null;
            }

            var platformName = fields.String("platform", required: true, "a channel");
            SocialPlatform? platform = null;
            if (platformName is not null)
            {
                if (channelPlatforms.Contains(platformName))
                {
                    platform = SocialPlatforms.Get(platformName);
                }
                else
                {
                    var suggestion = SocialPlatforms.Suggest(platformName, channelPlatforms);
                    diagnostics.Error(fields.LocationOf(fields.Find("platform")!), "unknown-platform", $"no channel can post to '{platformName}'.",
                        suggestion is null ? $"Channels post to {string.Join(", ", channelPlatforms)}." : DidYouMean.Hint(suggestion));
                }
            }

            var audience = fields.Find("audience") is not null ? ContentLoader.ReadAudience(fields, selectors, diagnostics) : AudienceRule.Everyone;
            var secret = ContentLoader.ReadSecretName(fields, diagnostics, "a channel", "facebook-battersea");

            var account = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var field in accountFields.Where(fields.Has))
            {
                if (platform is not null && !platform.AccountFields.Contains(field) && !platform.OptionalAccountFields.Contains(field))
                {
                    var own = platform.AccountFields.Concat(platform.OptionalAccountFields).ToList();
                    diagnostics.Error(fields.KeyLocation(field), "wrong-account-field", $"'{field}' is not an account field of {platform.Name}.",
                        own.Count == 0 ? $"A {platform.Name} channel needs no account fields." : $"A {platform.Name} channel takes {string.Join(", ", own)}.");
                }
                else if (fields.String(field) is { } value)
                {
                    // An account's id goes into the path of every request, where any other character could send the post and its token to another node.
                    // The value is not repeated: a token pasted here by mistake would be printed.
                    if (platform is not null && platform.IdAccountFields.TryGetValue(field, out var prefix) && !IsId(value, prefix))
                    {
                        diagnostics.Error(fields.LocationOf(fields.Find(field)!), "invalid-account-id",
                            prefix.Length == 0 ? $"'{field}' must be the account's id in digits alone." : $"'{field}' must be the account's id as {prefix} and its digits.",
                            prefix.Length == 0
                                ? $"Copy the {platform.Name} account's id as digits, quoted so YAML keeps it whole: '{field}: \"1234567890\"'."
                                : $"Copy the id with its prefix, as Meta's Ads Manager shows it: '{field}: {prefix}1234567890'.");
                    }
                    else
                    {
                        account[field] = value;
                    }
                }
            }

            foreach (var field in platform?.AccountFields.Where(f => !fields.Has(f)) ?? [])
            {
                diagnostics.Error(fields.Location, "missing-key", $"a {platform!.Name} channel needs '{field}'.", $"Add a line '{field}: ...' with the account's {field.Replace('_', ' ')}.");
            }

            var apiUrl = ReadApiUrl(fields, platform, account, diagnostics);
            var radius = Channel.DefaultAdRadiusKm;
            if (fields.Number("ad_radius_km", "a distance in kilometres from 1 to 80", "2.5 or 40") is { } r)
            {
                if (r is >= 1 and <= 80)
                {
                    radius = (double)r;
                }
                else
                {
                    diagnostics.Error(fields.LocationOf(fields.Find("ad_radius_km")!), "wrong-type", $"'ad_radius_km' must be a distance in kilometres from 1 to 80, not '{r.ToString(CultureInfo.InvariantCulture)}'.",
                        "Meta targets at least 1 km and at most 80 km around a point.");
                }
            }

            if (id is not null && platform is not null && secret is not null && apiUrl is not null)
            {
                channels.Add(new Channel(id, platform.Name, audience, apiUrl, account.ToImmutable(), secret, radius, fields.Location));
            }
        }

        return [.. channels];
    }


    private static Uri? ReadApiUrl(YamlFields fields, SocialPlatform? platform, IReadOnlyDictionary<string, string> account, DiagnosticBag diagnostics)
    {
        foreach (var key in new[] { "api_url", "url" })
        {
            if (fields.String(key) is not { } text)
            {
                continue;
            }

            // Addresses are named by ShownUrl only: a user, password or query in them may be a credential.
            var location = fields.LocationOf(fields.Find(key)!);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                diagnostics.Error(location, "invalid-url",
                    uri is null ? $"{key} is not an absolute https URL." : $"{key} '{ShownUrl.Of(uri)}' is not an absolute https URL.", "Write it as https://host/path.");
                return null;
            }

            if (ContentLoader.HoldsCredentials(uri, location, key, "A channel's credential lives in the secret store (Key Vault, an environment variable or dotnet user-secrets) under the name given in 'secret:'.", diagnostics))
            {
                return null;
            }

            if (ContentLoader.OnPrivateNetwork(uri, location, key, "private-url", "Give the platform's public https:// address.", diagnostics))
            {
                return null;
            }

            // Plain http only reaches a server on this machine (a rehearsal, a test); anywhere else it would carry the token in clear.
            if (uri is { Scheme: "http", IsLoopback: false })
            {
                diagnostics.Error(location, "insecure-url", $"{key} '{ShownUrl.Of(uri)}' would send the channel's token unencrypted.",
                    $"Write it as https{ShownUrl.Of(uri)["http".Length..]}; plain http is for a server on this machine only.");
                return null;
            }
        }

        if (fields.String("api_url") is { } api)
        {
            return new Uri(api);
        }

        if (platform?.DefaultApiUrl is { } fallback)
        {
            return fallback;
        }

        if (platform?.Name == "webhook" && account.TryGetValue("url", out var url))
        {
            return new Uri(url);
        }

        if (platform is not null && platform.Name != "webhook")
        {
            diagnostics.Error(fields.Location, "missing-key", $"a {platform.Name} channel needs 'api_url': the address of its server.",
                "Add e.g. 'api_url: https://mastodon.social/' for the instance the account is on.");
        }

        return null;
    }

    private static bool IsId(string value, string prefix) =>
        value.StartsWith(prefix, StringComparison.Ordinal) && value.Length > prefix.Length && value.AsSpan(prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
}
