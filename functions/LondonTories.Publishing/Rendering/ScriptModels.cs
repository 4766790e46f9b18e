using System.Collections;
using System.Globalization;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using Scriban.Runtime;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// Builds the template model from content records: plain script objects with snake_case names,
/// frozen, so templates see data and never a .NET object.
/// </summary>
public static class ScriptModels
{
    public static ScriptObject Site(Site site) => Freeze(new ScriptObject
    {
        ["title"] = site.Title,
        ["base_url"] = site.BaseUrl,
        ["base_path"] = site.BasePath,
        ["language"] = site.Language,
        ["timezone"] = site.TimeZone.Id,
    });

    public static ScriptObject Imprint(Imprint imprint) => Freeze(new ScriptObject
    {
        ["text"] = imprint.Text,
        ["promoter"] = imprint.Promoter,
        ["address"] = imprint.Address,
        ["on_behalf_of"] = imprint.OnBehalfOf,
        ["on_behalf_of_address"] = imprint.OnBehalfOfAddress,
    });

    public static ScriptObject Constituency(Constituency seat, string homeUrl) => Freeze(new ScriptObject
    {
        ["slug"] = seat.Slug,
        ["name"] = seat.Name,
        ["gss_code"] = seat.GssCode,
        ["boroughs"] = Array(seat.Boroughs),
        ["borough_slugs"] = Array(seat.BoroughSlugs),
        ["tags"] = Array(seat.Tags),
        ["languages"] = Array(seat.Languages),
        ["electorate"] = seat.Electorate,
        ["url"] = homeUrl,
        ["association"] = Freeze(new ScriptObject
        {
            ["name"] = seat.Association.Name,
            ["email"] = seat.Association.Email,
            ["website"] = seat.Association.Website,
            ["address"] = seat.Association.Address,
        }),
        ["data"] = Plain(seat.Data),
    });

    /// <summary>Turns free-form YAML data (maps, lists, scalars) into script objects.</summary>
    public static object? Plain(object? value) => value switch
    {
        null => null,
        string or bool or long or int or double => value,
        IReadOnlyDictionary<string, object?> map => Freeze(map.Aggregate(new ScriptObject(), (o, kv) =>
        {
            o[kv.Key] = Plain(kv.Value);
            return o;
        })),
        IEnumerable list => new ScriptArray(list.Cast<object?>().Select(Plain)),
        _ => value.ToString(),
    };

    /// <summary>The model every body, title and summary template sees.</summary>
    public static ScriptObject Body(ScriptObject seat, ScriptObject site, ScriptObject page, string language) => new(4)
    {
        ["constituency"] = seat,
        ["site"] = site,
        ["page"] = page,
        ["language"] = language,
    };

    public static ScriptArray Array(IEnumerable<string> items) => new(items);

    /// <summary>
    /// A digest of every name and value a template can read in <paramref name="model"/>, in the order the
    /// model holds them; null when it holds a value of a kind not digested here, and whatever the
    /// digest would decide must then be done anyway.
    /// </summary>
    internal static string? Digest(ScriptObject model)
    {
        var text = new TextDigest();
        var complete = Append(text, model, depth: 0);
        // Taken either way: taking the digest is what hands the text's buffer back to its pool.
        var digest = text.ToHex();
        return complete ? digest : null;
    }

    // Each value marked with its kind and strings with their length, so no two models digest alike.
    private static bool Append(TextDigest text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append('n');
                return true;
            case string words:
                text.Append('s').Append(words.Length).Append(':').Append(words);
                return true;
            case bool truth:
                text.Append(truth ? 't' : 'f');
                return true;
            case int or long:
                text.Append('i').Append(Convert.ToInt64(value, CultureInfo.InvariantCulture)).Append(';');
                return true;
            case double number:
                text.Append('d').Append(number.ToString("R", CultureInfo.InvariantCulture)).Append(';');
                return true;
            case ScriptArray list when depth < MaxDigestDepth:
                text.Append('[');
                foreach (var item in list)
                {
                    if (!Append(text, item, depth + 1))
                    {
                        return false;
                    }
                }

                text.Append(']');
                return true;
            case ScriptObject map when depth < MaxDigestDepth:
                text.Append('{');
                foreach (var (name, item) in map)
                {
                    text.Append(name.Length).Append(':').Append(name);
                    if (!Append(text, item, depth + 1))
                    {
                        return false;
                    }
                }

                text.Append('}');
                return true;
            default:
                return false;
        }
    }

    private const int MaxDigestDepth = 16;

    public static ScriptObject Freeze(ScriptObject scriptObject)
    {
        scriptObject.IsReadOnly = true;
        return scriptObject;
    }
}
