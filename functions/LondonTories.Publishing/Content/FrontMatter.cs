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
        if (!(text.StartsWith("---\n", StringComparison.Ordinal) || text == "---"))
        {
            return false;
        }

        var position = 4;
        var line = 2;
        while (position <= text.Length)
        {
            var end = text.IndexOf('\n', position);
            var current = end < 0 ? text[position..] : text[position..end];
            if (current.TrimEnd() is "---" or "...")
            {
                yaml = text[4..position];
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
