namespace LondonTories.Publishing.Diagnostics;

/// <summary>Suggests the nearest known name for a misspelt one.</summary>
public static class DidYouMean
{
    public static string? Suggest(string input, IEnumerable<string> candidates) =>
        // Allow roughly one edit in three characters, so 'publish_date' finds 'publish_at' but 'x' finds nothing.
        Suggest(input, candidates, Math.Max(2, input.Length / 3));

    /// <summary>The nearest of <paramref name="candidates"/> at most <paramref name="allowed"/> edits away, or null.</summary>
    public static string? Suggest(string input, IEnumerable<string> candidates, int allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(input, candidate);
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= allowed ? best : null;
    }

    public static string Hint(string? suggestion) => suggestion is null ? string.Empty : $"Did you mean '{suggestion}'?";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
