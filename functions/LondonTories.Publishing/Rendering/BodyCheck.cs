using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering.AudienceBlocks;
using Markdig.Extensions.CustomContainers;
using Markdig.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>The body check content loading runs, parsing with the Markdown pipeline pages are rendered with.</summary>
internal sealed partial class BodyCheck(MarkdownRenderer markdown) : IBodyCheck
{
    public bool Check(string body, int bodyLine, string displayPath, SelectorParser selectors, DiagnosticBag diagnostics, bool isPost = false, StaticPaths? pictures = null, bool titleHeading = false)
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

            if (container.ClosingFencedCharCount == 0 && keyword.Trim().Length == 0)
            {
                // A ':::' meant to close a block already closed: another ':::' would only open one more.
                diagnostics.Error(opening, "unclosed-block", "this ':::' line closes no block: the block above it is closed already, so it opens a new one that runs to the end of the text.",
                    "Delete the line, or, to start a block here, name it, e.g. '::: audience borough:bromley'.");
            }
            else if (container.ClosingFencedCharCount == 0)
            {
                diagnostics.Error(opening, "unclosed-block", $"the block '::: {keyword}' opened here is never closed, so it runs to the end of the text.",
                    "End it with a line ':::' where the block's text ends.");
            }
        }

        HtmlLeftOut(document, bodyLine, displayPath, diagnostics, isPost);
        if (!isPost && titleHeading)
        {
            // The layouts show the title as the page's one top-level heading: an editor who opens with
            // '# Title', as Markdown elsewhere is written, shows it twice.
            foreach (var heading in document.Descendants<HeadingBlock>().Where(h => h.Level == 1))
            {
                // An underlined heading is placed at its words, not at its line of '='.
                var line = heading.IsSetext ? body.AsSpan(0, heading.Span.Start).Count('\n') : heading.Line;
                diagnostics.Warning(new SourceLocation(displayPath, bodyLine + line, heading.Column + 1), "top-level-heading",
                    "this is a top-level heading, and the layout already shows the page's title as one: each seat's page has two, and a title written here too shows twice.",
                    "Write the title in 'title:' alone, and sections as '##' headings.");
            }
        }

        // The sanitiser drops such an address without a word, and an editor's mistyped 'htps:' would be a dead link nobody was told of.
        foreach (var (url, line, column) in document.Descendants<Markdig.Syntax.Inlines.Inline>().Select(UrlOf))
        {
            if (url is null || LinkSchemes.IsAllowed(url))
            {
                continue;
            }

            var scheme = url[..url.IndexOf(':', StringComparison.Ordinal)].Trim();
            var kept = string.Join(", ", LinkSchemes.Allowed);
            diagnostics.Warning(new SourceLocation(displayPath, bodyLine + line, column + 1), "unsafe-link",
                isPost
                    ? $"a '{scheme}:' link is left out of the post: posts, like pages, keep only {kept} links."
                    : $"a '{scheme}:' link is published without its address on every seat's page, its words unlinked: pages keep only {kept} links.",
                LinkSchemes.Meant(url) is { } meant ? $"Did you mean '{meant}'?" : "Link to a web page instead.");
        }

        if (pictures is not null && body.Contains("![", StringComparison.Ordinal))
        {
            foreach (var picture in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => l.IsImage && l.Url is not null))
            {
                var location = new SourceLocation(displayPath, bodyLine + picture.Line, picture.Column + 1);
                if (!isPost && !HasWords(picture))
                {
                    // Its words are what a screen reader says, and what shows while it loads or if it does not.
                    diagnostics.Warning(location, "image-without-text",
                        $"the picture '{picture.Url}' has no words for what it shows, so a screen reader announces an unnamed image on every seat's page.",
                        "Write what it shows between the brackets, e.g. '![Volunteers at the Battersea market stall](/images/stall.jpg)'.");
                }

                var address = pictures.BodyAddressOf(picture.Url!, out var outside);
                if (outside)
                {
                    // Outside a site published under a path: told with the address meant once the page's links are known.
                    continue;
                }

                if (address is null && StaticPaths.AddressOf(picture.Url!, relativeIsRooted: true) is { } relative)
                {
                    // Relative to each seat's page (/battersea/housing/), where no picture is ever published.
                    var rooted = FromRoot(relative);
                    diagnostics.Warning(location, "missing-image",
                        $"the picture '{picture.Url}' is written relative to the page, whose address is another for every seat, so every seat's page shows it broken.",
                        pictures.Contains(rooted) ? $"Write it from the site's root, as '{pictures.BasePath}{rooted}'." : pictures.HintFor(rooted, fromDomainRoot: true));
                }
                else if (address is not null && !pictures.Contains(address))
                {
                    // A warning, as a link to a page that is not there is no error: the page still reads.
                    diagnostics.Warning(location, "missing-image",
                        $"the picture '{picture.Url}' is not a file under static/, so every seat's page shows it broken.", pictures.HintFor(address, fromDomainRoot: true));
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

    private static bool HasWords(Markdig.Syntax.Inlines.ContainerInline image) =>
        image.Descendants<Markdig.Syntax.Inlines.Inline>().Any(inline => inline switch
        {
            Markdig.Syntax.Inlines.LiteralInline literal => !literal.Content.IsEmptyOrWhitespace(),
            Markdig.Syntax.Inlines.CodeInline code => code.Content.Trim().Length > 0,
            _ => false,
        });

    /// <summary>
    /// Reports each tag that the page's sanitiser, or a post's plain text, leaves out: an editor who
    /// writes a placeholder such as &lt;your postcode&gt; means words, and would otherwise lose them unseen.
    /// </summary>
    private static void HtmlLeftOut(MarkdownDocument document, int bodyLine, string displayPath, DiagnosticBag diagnostics, bool isPost)
    {
        foreach (var node in document.Descendants())
        {
            var (text, line, column) = node switch
            {
                Markdig.Syntax.Inlines.HtmlInline inline => (inline.Tag, inline.Line, inline.Column),
                HtmlBlock block => (block.Lines.ToString(), block.Line, block.Column),
                _ => (null, 0, 0),
            };
            if (text is null)
            {
                continue;
            }

            foreach (System.Text.RegularExpressions.Match tag in OpeningTag().Matches(text))
            {
                var name = tag.Groups[1].Value;
                if (!isPost && HtmlSafety.Allows(name))
                {
                    continue;
                }

                var before = text.AsSpan(0, tag.Index);
                var lineInText = before.Count('\n');
                var location = new SourceLocation(displayPath, bodyLine + line + lineInText, lineInText == 0 ? column + 1 : tag.Index - before.LastIndexOf('\n'));
                var written = tag.Value.Length > 60 ? string.Concat(tag.Value.AsSpan(0, 57), "…") : tag.Value;
                var hint = $"To show it as written, put a backslash before the '<' (\\<{name} …>); otherwise write what it stands for.";
                if (isPost)
                {
                    diagnostics.Warning(location, "html-left-out", $"'{written}' is HTML, which a post cannot carry, so it is left out of the post.", hint);
                }
                else if (HtmlSafety.RemovesWithContent(name))
                {
                    diagnostics.Warning(location, "html-left-out", $"'{written}' is not HTML a page may carry, so it is left out of every seat's page, with what it holds.",
                        "Pages carry text, links, pictures and simple markup; a script, style, form or embedded frame is never published.");
                }
                else
                {
                    diagnostics.Warning(location, "html-left-out", $"'{written}' is not HTML a page may carry, so it is left out of every seat's page.", hint);
                }
            }
        }
    }

    /// <summary>An opening tag, from its '&lt;' to its '&gt;' or the end of its line.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<([A-Za-z][A-Za-z0-9-]*)[^>\n]*>?")]
    private static partial System.Text.RegularExpressions.Regex OpeningTag();

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
