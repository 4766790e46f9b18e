using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Content;

/// <summary>
/// Checks a page's or post's Markdown body as the content is loaded. Markdown is rendering's to
/// parse and the content model keeps none of it, but a body's mistakes are reported with every
/// other problem in the content, before anything is rendered.
/// </summary>
public interface IBodyCheck
{
    /// <summary>
    /// Reports inline audience blocks misspelt, left open, without selectors or with unknown ones, in a
    /// post links that will be left out, and, given <paramref name="pictures"/>, pictures of this site that
    /// no file under static/ publishes, and, given <paramref name="titleHeading"/> (the page layout shows the
    /// title as the top-level heading), top-level headings. True when the body holds an inline audience block.
    /// </summary>
    bool Check(string body, int bodyLine, string displayPath, SelectorParser selectors, DiagnosticBag diagnostics, bool isPost = false, StaticPaths? pictures = null, bool titleHeading = false);
}
