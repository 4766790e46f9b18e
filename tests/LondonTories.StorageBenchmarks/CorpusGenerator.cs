using System.Globalization;
using System.Text;

namespace LondonTories.StorageBenchmarks;

/// <summary>
/// A content tree for measuring at scale: the 75 real seats and <c>pages</c> generated pages, each
/// using seat variables and audience blocks, so every seat gets its own version of every page.
/// </summary>
public static class CorpusGenerator
{
    private static readonly string[] Sentences =
    [
        "Residents told us what matters most on their doorstep.",
        "We will keep council tax down while protecting the services people rely on.",
        "Local businesses need high streets that are safe, clean and easy to reach.",
        "Every pound of public money should be spent as carefully as our own.",
        "Good schools, safe streets and reliable transport are what families ask for.",
        "Our councillors hold surgeries every month; come and tell us what you think.",
    ];

    private static readonly string[] Tags = ["outer-london", "inner-london", "east", "diverse", "south", "north", "west"];

    public static void Write(string root, string repositoryContent, int pages)
    {
        Directory.CreateDirectory(Path.Combine(root, "pages"));
        File.Copy(Path.Combine(repositoryContent, "site.yaml"), Path.Combine(root, "site.yaml"), overwrite: true);
        File.Copy(Path.Combine(repositoryContent, "constituencies.yaml"), Path.Combine(root, "constituencies.yaml"), overwrite: true);
        for (var i = 1; i <= pages; i++)
        {
            File.WriteAllText(Path.Combine(root, "pages", string.Create(CultureInfo.InvariantCulture, $"generated-{i:D3}.md")), Page(i));
        }
    }

    private static string Page(int i)
    {
        var text = new StringBuilder();
        text.Append("""
            ---
            title: "Topic N for {{ constituency.name }}"
            summary: 'What we are doing about topic N in {{ constituency.boroughs | array.join ", " }}.'
            weight: N
            ---
            ## Topic N in {{ constituency.name }}

            """.Replace("N", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).Append('\n');
        for (var p = 0; p < 4; p++)
        {
            text.Append(Sentences[(i + p) % Sentences.Length]).Append(' ')
                .Append("In {{ constituency.name }} that means working with {{ constituency.association.name }}. ")
                .Append(Sentences[(i * 7 + p) % Sentences.Length]).Append("\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"::: audience tag:{Tags[i % Tags.Length]}\n")
            .Append("This paragraph is for seats tagged ").Append(Tags[i % Tags.Length]).Append(" only.\n:::\n\n")
            .Append(CultureInfo.InvariantCulture, $"::: except tag:{Tags[(i + 3) % Tags.Length]}\n")
            .Append("Everyone but ").Append(Tags[(i + 3) % Tags.Length]).Append(" seats reads this.\n:::\n\n")
            .Append("- Electorate: {{ constituency.electorate }}\n- Council: {{ constituency.data.council }}\n");
        return text.ToString();
    }
}
