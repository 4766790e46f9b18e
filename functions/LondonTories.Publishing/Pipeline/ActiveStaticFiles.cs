using System.Xml;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// Files under static/ are published as they are, at the site's own address. A web page there would
/// go out with no imprint, which the law asks of every page, and without the sanitiser that keeps
/// scripts out of editors' pages; a picture or an XML file that a browser opens by its address runs
/// any script it holds there. Those are refused; pictures, stylesheets and data that only show are not.
/// </summary>
internal static class ActiveStaticFiles
{
    // Elements that run code, or embed a page or a plug-in that can: in SVG, in XHTML inside XML, and XML Events.
    private static readonly HashSet<string> ActiveElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "foreignObject", "iframe", "frame", "frameset", "object", "embed", "applet", "handler", "listener",
    };

    // Written into an attribute, these run as code when followed or animated into a link.
    private static readonly string[] ActiveSchemes = ["javascript:", "vbscript:", "data:text/html", "data:application/xhtml"];

    /// <summary>Reports every such file under static/; true when there is any.</summary>
    public static bool Report(SiteContent content, DiagnosticBag diagnostics)
    {
        var displayRoot = content.DisplayRoot;
        var found = false;
        foreach (var file in content.StaticFiles)
        {
            var extension = Path.GetExtension(file.Path).ToLowerInvariant();
            var at = SourceLocation.StartOf(displayRoot + file.Path);
            if (extension == ".html")
            {
                found = true;
                diagnostics.Error(at, "static-page",
                    $"{file.Path} would be published as a web page exactly as written: without the imprint the law asks for on every page, and without the sanitiser that keeps scripts out of the site.",
                    $"Write it as a page under pages/ (pages/{Path.GetFileNameWithoutExtension(file.Path)}.md), which the layouts publish with the imprint; a search engine's ownership check can use a meta tag in a layout or a DNS record instead.");
            }
            else if (extension is ".svg" or ".xml" && ActivePart(file.Bytes) is var (line, column, what, malformed))
            {
                found = true;
                var place = new SourceLocation(at.Path, line, column);
                if (malformed)
                {
                    diagnostics.Error(place, "invalid-xml", $"{file.Path} is not well-formed XML here ({what}): browsers show an error in its place, and it cannot be checked for scripts.",
                        "Export or save it again from the program that made it, and open it in a browser to see that it shows.");
                }
                else
                {
                    diagnostics.Error(place, "active-file", $"{file.Path} holds {what}, which runs as a script on the site's address when the file is opened.",
                        extension == ".svg"
                            ? "Remove it, or export the picture again as plain SVG: no scripts, event attributes (onload, onclick...), javascript: links or embedded pages."
                            : "Remove it: a data file needs no scripts, event attributes, javascript: links or web pages; publish a page under pages/ instead.");
                }
            }
        }

        return found;
    }

    /// <summary>The first thing in the file that can run code, or where it stops being XML; null when there is neither.</summary>
    private static (int Line, int Column, string What, bool Malformed)? ActivePart(byte[] bytes)
    {
        var settings = new XmlReaderSettings
        {
            // Browsers expand an entity declared in the file itself, so a script may hide in one: expanded
            // here too, within bounds, and nothing is ever fetched.
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024 * 1024,
            IgnoreComments = true,
        };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        var lines = (IXmlLineInfo)reader;
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.ProcessingInstruction && reader.Name == "xml-stylesheet" && !reader.Value.Contains("text/css", StringComparison.OrdinalIgnoreCase))
                {
                    return (lines.LineNumber, lines.LinePosition, "an XSLT stylesheet instruction", false);
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (ActiveElements.Contains(reader.LocalName))
                {
                    return (lines.LineNumber, lines.LinePosition, $"a <{reader.LocalName}> element", false);
                }

                while (reader.MoveToNextAttribute())
                {
                    // Every event attribute is "on" and the event's name (onload, onclick, onbegin); a plain "on" is data.
                    if (reader.LocalName.Length > 2 && reader.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase) && reader.Prefix != "xmlns")
                    {
                        return (lines.LineNumber, lines.LinePosition, $"an {reader.LocalName} event attribute", false);
                    }

                    var value = string.Concat(reader.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
                    if (ActiveSchemes.FirstOrDefault(s => value.Contains(s, StringComparison.OrdinalIgnoreCase)) is { } scheme)
                    {
                        return (lines.LineNumber, lines.LinePosition, $"a {scheme} address in its {reader.Name} attribute", false);
                    }
                }
            }
        }
        catch (XmlException exception)
        {
            return (Math.Max(1, exception.LineNumber), Math.Max(1, exception.LinePosition), exception.Message.Split(" Line ", 2)[0].TrimEnd('.'), true);
        }

        return null;
    }
}
