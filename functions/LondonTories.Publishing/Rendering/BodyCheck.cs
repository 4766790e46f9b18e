using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>The body check content loading runs, parsing with the Markdown pipeline pages are rendered with.</summary>
internal sealed class BodyCheck(MarkdownRenderer markdown) : IBodyCheck
{
    public bool Check(string body, int bodyLine, string displayPath, SelectorParser selectors, DiagnosticBag diagnostics, bool isPost = false, StaticPaths? pictures = null)
    {
        if (markdown.Parse(body, new SourceLocation(displayPath, bodyLine, 1), diagnostics) is not { } document)
        {
            return false;
        }

        foreach (var container in document.Descendants<CustomContainer>())
        {
            var opening = new SourceLocation(displayPath, bodyLine + container.Line, container.Column + 1);
            var keyword = container.Info ?? string.Empty;
            if (AudienceBlock.TryRead(container) is null && DidYouMean.Suggest(keyword, AudienceBlock.Keywords) is { } suggestion)
            {
                diagnostics.Error(opening, "unknown-block", $"unknown block keyword '{keyword}'.", DidYouMean.Hint(suggestion));
            }

            if (container.ClosingFencedCharCount == 0)
            {
                diagnostics.Error(opening, "unclosed-block", $"the block '::: {keyword}' opened here is never closed, so it runs to the end of the text.",
                    "End it with a line ':::' where the block's text ends.");
            }
        }

        if (isPost)
        {
            foreach (var (url, line, column) in document.Descendants<Markdig.Syntax.Inlines.Inline>().Select(UrlOf))
            {
                if (url is null || LinkSchemes.IsAllowed(url))
                {
                    continue;
                }

                var scheme = url[..url.IndexOf(':', StringComparison.Ordinal)].Trim();
                diagnostics.Warning(new SourceLocation(displayPath, bodyLine + line, column + 1), "unsafe-link",
                    $"a '{scheme}:' link is left out of the post: posts, like pages, keep only {string.Join(", ", LinkSchemes.Allowed)} links.",
                    "Link to a web page instead.");
            }
        }

        if (pictures is not null && body.Contains("![", StringComparison.Ordinal))
        {
            foreach (var picture in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => l.IsImage && l.Url is not null))
            {
                var location = new SourceLocation(displayPath, bodyLine + picture.Line, picture.Column + 1);
                var address = StaticPaths.AddressOf(picture.Url!, relativeIsRooted: false);
                if (address is null && StaticPaths.AddressOf(picture.Url!, relativeIsRooted: true) is { } relative)
                {
                    // Relative to each seat's page (/battersea/housing/), where no picture is ever published.
                    var rooted = FromRoot(relative);
                    diagnostics.Warning(location, "missing-image",
                        $"the picture '{picture.Url}' is written relative to the page, whose address is another for every seat, so every seat's page shows it broken.",
                        pictures.Contains(rooted) ? $"Write it from the site's root, as '{rooted}'." : pictures.HintFor(rooted));
                }
                else if (address is not null && !pictures.Contains(address))
                {
                    // A warning, as a link to a page that is not there is no error: the page still reads.
                    diagnostics.Warning(location, "missing-image",
                        $"the picture '{picture.Url}' is not a file under static/, so every seat's page shows it broken.", pictures.HintFor(address));
                }
            }
        }

        var blocks = AudienceBlock.FindAll(document);
        foreach (var block in blocks)
        {
            var location = new SourceLocation(displayPath, bodyLine + block.Line, block.Column + 1);
            if (block.Selectors.Count == 0)
            {
                diagnostics.Error(location, "empty-audience-block", $"'::: {block.Kind.ToString().ToLowerInvariant()}' needs at least one selector.",
                    "Write e.g. '::: audience borough:bromley' or '::: except battersea'.");
            }

            foreach (var selector in block.Selectors)
            {
                selectors.Parse(selector, location, diagnostics);
            }
        }

        return blocks.Count > 0;
    }

    private static (string? Url, int Line, int Column) UrlOf(Markdig.Syntax.Inlines.Inline inline) => inline switch
    {
        Markdig.Syntax.Inlines.LinkInline { IsImage: false } link => (link.Url, link.Line, link.Column),
        Markdig.Syntax.Inlines.AutolinkInline autolink => (autolink.Url, autolink.Line, autolink.Column),
        _ => (null, 0, 0),
    };

    /// <summary>The address a relative picture was most likely meant to have: its path from static/, or from the site's root.</summary>
    private static string FromRoot(string relative)
    {
        var path = relative.TrimStart('/');
        while (path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal))
        {
            path = path[(path.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }

        return "/" + (path.StartsWith("static/", StringComparison.Ordinal) ? path["static/".Length..] : path);
    }
}
