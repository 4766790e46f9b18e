using System.Collections;
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

    public static ScriptObject Freeze(ScriptObject scriptObject)
    {
        scriptObject.IsReadOnly = true;
        return scriptObject;
    }
}
