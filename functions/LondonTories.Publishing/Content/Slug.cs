using System.Text;
using System.Text.RegularExpressions;

namespace LondonTories.Publishing.Content;

public static partial class Slug
{
    /// <summary>The one shape a slug may take: lower-case words of letters and digits joined by single hyphens.</summary>
    public static bool IsValid(string value) => Pattern().IsMatch(value);

    /// <summary>Turns a display name ("Barking and Dagenham", "Ealing, Southall") into its slug.</summary>
    public static string From(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingHyphen = false;
        foreach (var c in name.Replace("&", " and ", StringComparison.Ordinal).ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(c);
                pendingHyphen = false;
            }
            else if (c is ' ' or '-' or '_' or '/')
            {
                pendingHyphen = true;
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
