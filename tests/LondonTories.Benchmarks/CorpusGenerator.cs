using System.Globalization;
using System.Text;

namespace LondonTories.Benchmarks;

/// <summary>
/// A synthetic corpus shaped like real campaign content: pages with seat variables, audience blocks
/// by tag and borough, tables and lists, a few with raw HTML, over the real 75 seats.
/// </summary>
public static class CorpusGenerator
{
    private static readonly string[] Boroughs = ["bromley", "wandsworth", "tower-hamlets", "croydon", "barnet", "ealing", "newham", "camden"];

    public static void Write(string contentDir, string siteYaml, string constituenciesYaml, int pageCount)
    {
        Directory.CreateDirectory(Path.Combine(contentDir, "pages"));
        File.WriteAllText(Path.Combine(contentDir, "site.yaml"), siteYaml);
        File.WriteAllText(Path.Combine(contentDir, "constituencies.yaml"), constituenciesYaml);
        for (var i = 0; i < pageCount; i++)
        {
            var folder = Path.Combine(contentDir, "pages", $"topic-{i % 10}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"page-{i:D3}.md"), Page(i, edit: 0));
        }
    }

    /// <summary>The text of page <paramref name="i"/>; a different <paramref name="edit"/> changes one sentence.</summary>
    public static string Page(int i, int edit)
    {
        var borough = Boroughs[i % Boroughs.Length];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            ---
            title: "Policy {i}: what it means for {(i % 10 == 0 ? "London" : "{{ constituency.name }}")}"
            summary: "Our plan number {i} for London's communities."
            weight: {i}
            ---
            In {(i % 10 == 0 ? "every seat" : "{{ constituency.name }}")}, policy {i} starts with listening. Revision {edit}.

            ## What we will do

            - Work with {(i % 10 == 0 ? "the council" : "{{ constituency.data.council }}")} on local priorities.
            - Hold monthly surgeries and publish what we hear.
            - Report back on progress every quarter.

            | Area | Commitment |
            | --- | --- |
            | Housing | Brownfield first, family homes |
            | Transport | Reliable buses, step-free stations |
            | Safety | Visible neighbourhood policing |

            ::: audience tag:outer-london
            Outer London depends on the car and the bus: we will protect parking and bus routes.
            :::

            ::: audience tag:inner-london
            Inner London needs homes above shops and safer cycle routes.
            :::

            ::: audience borough:{borough}
            A word for residents of this borough about local plans.
            :::

            ::: except tag:diverse
            We will run street stalls every weekend this month.
            :::

            ## Get in touch

            Contact {(i % 10 == 0 ? "your local association" : "{{ constituency.association.name }} at {{ constituency.association.email }}")}.

            """);
        if (i % 10 == 5)
        {
            text.Append("The <abbr title=\"Greater London Authority\">GLA</abbr> shares responsibility here.\n");
        }

        for (var paragraph = 0; paragraph < 6; paragraph++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nParagraph {paragraph} of policy {i}: London's communities deserve a voice, *practical* help and **clear** commitments they can hold us to. ");
            text.Append("We publish our plans openly, and we measure ourselves against them at every election.\n");
        }

        return text.ToString();
    }
}
