namespace LondonTories.Publishing.Content;

/// <summary>Splits a page into its YAML front matter and Markdown body.</summary>
public static class FrontMatter
{
    /// <summary>
    /// The front matter runs from a first line of <c>---</c> to the next line of <c>---</c> (or <c>...</c>);
    /// <paramref name="bodyLine"/> is the file line the body starts on.
    /// </summary>
    public static bool TrySplit(string text, out string yaml, out string body, out int bodyLine)
    {
        yaml = body = string.Empty;
        bodyLine = 1;
        // Spaces after the dashes are as invisible on the opening line as on the closing one.
        var firstEnd = text.IndexOf('\n');
        if ((firstEnd < 0 ? text : text[..firstEnd]).TrimEnd() != "---")
        {
            return false;
        }

        var start = firstEnd < 0 ? text.Length : firstEnd + 1;
        var position = start;
        var line = 2;
        while (position <= text.Length)
        {
            var end = text.IndexOf('\n', position);
            var current = end < 0 ? text[position..] : text[position..end];
            if (current.TrimEnd() is "---" or "...")
            {
                yaml = text[start..position];
                body = end < 0 ? string.Empty : text[(end + 1)..];
                bodyLine = line + 1;
                return true;
            }

            if (end < 0)
            {
                break;
            }

            position = end + 1;
            line++;
        }

        return false;
    }
}
