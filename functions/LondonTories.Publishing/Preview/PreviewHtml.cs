using System.Globalization;
using System.Net;
using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Preview;

/// <summary>What the toolbar shows: where the editor is, in which language and at which moment.</summary>
public sealed record ToolbarState(string Path, string? Seat, string Language, string? Slug, DateTimeOffset Now, bool IsPinnedNow, long Version)
{
    public const string NowFormat = "yyyy-MM-dd'T'HH:mm";

    public string LocalNow(TimeZoneInfo zone) => SiteClock.ToLocal(Now, zone).ToString(NowFormat, CultureInfo.InvariantCulture);
}

/// <summary>
/// The preview's own markup: the editor toolbar and error overlay added to served pages (never to
/// published ones), and the links of the published pages pointed at the preview instead of the site.
/// </summary>
public static class PreviewHtml
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Points the site's absolute links at the preview and adds the toolbar, the overlay and the reload script.</summary>
    public static string Decorate(string html, Site site, string injected)
    {
        html = RelativeLinks(html, site);
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + injected : html.Insert(end, injected);
    }

    /// <summary>An absolute address on the site (<c>https://…/battersea/</c>) as a path on the preview (<c>/battersea/</c>).</summary>
    public static string RootRelative(string url, Site site)
    {
        var baseUrl = site.BaseUrl.TrimEnd('/');
        return url.StartsWith(baseUrl + "/", StringComparison.Ordinal) ? url[baseUrl.Length..] : url;
    }

    public static string Injected(SiteContent content, IReadOnlyList<(string Language, string Name)> languages, ToolbarState state, IReadOnlyCollection<Diagnostic> errors) =>
        Toolbar(content, languages, state) + Overlay(errors) + "<script src=\"/_preview/preview.js\"></script>\n";

    public static string Toolbar(SiteContent content, IReadOnlyList<(string Language, string Name)> languages, ToolbarState state)
    {
        var zone = content.Site.TimeZone;
        var html = new StringBuilder();
        html.Append("<link rel=\"stylesheet\" href=\"/_preview/preview.css\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"lt-preview\" class=\"lt-preview\" role=\"region\" aria-label=\"Editor preview\" data-version=\"{state.Version}\">\n");
        html.Append("<form class=\"lt-preview-form\" action=\"/_preview/go\" method=\"get\">\n");
        html.Append("<strong class=\"lt-preview-brand\">Preview</strong>\n");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"path\" value=\"{Encode(state.Path)}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"slug\" value=\"{Encode(state.Slug)}\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"shown\" value=\"{state.LocalNow(zone)}\">\n");

        html.Append("<span class=\"lt-preview-field\"><label for=\"lt-seat-filter\">Find</label>");
        html.Append("<input id=\"lt-seat-filter\" type=\"search\" autocomplete=\"off\" placeholder=\"Seat or borough\" aria-controls=\"lt-seat\"></span>\n");
        html.Append("<span class=\"lt-preview-field\"><label for=\"lt-seat\">Seat</label><select id=\"lt-seat\" name=\"seat\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<option value=\"\"{(state.Seat is null ? " selected" : "")}>All London (hub)</option>\n");
        foreach (var borough in content.Constituencies.GroupBy(s => s.Boroughs.FirstOrDefault() ?? "London").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<optgroup label=\"{Encode(borough.Key)}\">\n");
            foreach (var seat in borough.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                var selected = seat.Slug == state.Seat ? " selected" : "";
                html.Append(CultureInfo.InvariantCulture, $"<option value=\"{Encode(seat.Slug)}\" data-boroughs=\"{Encode(string.Join(", ", seat.Boroughs))}\"{selected}>{Encode(seat.Name)}</option>\n");
            }

            html.Append("</optgroup>\n");
        }

        html.Append("</select></span>\n");
        html.Append("<span class=\"lt-preview-field\"><label for=\"lt-language\">Language</label><select id=\"lt-language\" name=\"language\">\n");
        foreach (var (language, name) in languages)
        {
            var selected = language == state.Language ? " selected" : "";
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{Encode(language)}\" lang=\"{Encode(language)}\"{selected}>{Encode(name)}</option>\n");
        }

        html.Append("</select></span>\n");
        // The night the clocks go back shows one wall-clock hour twice: which of the two this is, the field cannot say.
        var which = SiteClock.WhichOfTwice(state.Now, zone) is { } twice ? $"; {twice}" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"lt-preview-field\"><label for=\"lt-now\">Time ({Encode(zone.Id)}{Encode(which)})</label>");
        html.Append(CultureInfo.InvariantCulture, $"<input id=\"lt-now\" type=\"datetime-local\" name=\"now\" value=\"{state.LocalNow(zone)}\"></span>\n");
        html.Append("<button type=\"submit\" id=\"lt-show\">Show</button>\n");
        if (state.IsPinnedNow)
        {
            html.Append("<button type=\"submit\" name=\"reset\" value=\"1\" id=\"lt-reset-now\">Back to now</button>\n");
        }

        html.Append("<a href=\"/_preview/coverage\">Coverage</a>\n");
        html.Append("<a href=\"/_preview/posts\">Posts</a>\n");
        html.Append("<span id=\"lt-preview-status\" class=\"lt-preview-status\" role=\"status\"></span>\n");
        html.Append("</form>\n</div>\n");
        return html.ToString();
    }

    /// <summary>Every error with its place, over the last good render; the script keeps it current.</summary>
    public static string Overlay(IReadOnlyCollection<Diagnostic> errors)
    {
        if (errors.Count == 0)
        {
            return string.Empty;
        }

        var html = new StringBuilder();
        html.Append("<div id=\"lt-preview-errors\" class=\"lt-preview-errors\" role=\"alert\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"lt-preview-errors-title\"><strong>{errors.Count} content error{(errors.Count == 1 ? "" : "s")}</strong>: the preview shows the last good render until {(errors.Count == 1 ? "it is" : "they are")} fixed.</p>\n<ol>\n");
        foreach (var error in errors)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><code>{Encode(error.Location.ToString())}</code>: {Encode(error.Message)}");
            if (error.Hint is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"lt-preview-hint\">{Encode(error.Hint)}</span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ol>\n<button type=\"button\" class=\"lt-preview-errors-close\">Hide</button>\n</div>\n");
        return html.ToString();
    }

    /// <summary>A page of the preview itself (coverage, a bad request), in the preview's own frame.</summary>
    public static string Page(string title, string language, string body) => $"""
        <!DOCTYPE html>
        <html lang="{Encode(language)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(title)}</title>
        <link rel="stylesheet" href="/assets/site.css">
        </head>
        <body class="lt-preview-page">
        <main id="main">
        {body}
        </main>
        </body>
        </html>
        """;

    private static string RelativeLinks(string html, Site site)
    {
        var baseUrl = site.BaseUrl.TrimEnd('/');
        html = html.Replace($"\"{baseUrl}/", "\"/", StringComparison.Ordinal);

        // A site published under a path links its own files from the domain's root through that path
        // (the stylesheet at /london/assets/site.css); the preview serves them at its root.
        var basePath = site.BasePath;
        return basePath.Length == 0 ? html : html.Replace($"\"{basePath}/", "\"/", StringComparison.Ordinal);
    }
}
