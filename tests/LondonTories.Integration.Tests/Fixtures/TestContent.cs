namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// A small content tree in a temporary folder: three seats (one publishing in Bengali), a few pages
/// with seat variables, an audience block, a translation, a draft and an embargoed page. Tests edit
/// it through <see cref="Write"/> and <see cref="Delete"/>.
/// </summary>
public sealed class TestContent : IDisposable
{
    /// <summary>The moment the tests publish at; the embargoed page goes live a day later.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public TestContent()
    {
        Root = Directory.CreateTempSubdirectory("londontories-content-").FullName;
        Write("site.yaml", """
            title: Test Conservatives
            base_url: https://test.example.org
            language: en
            timezone: Europe/London
            imprint:
              promoter: A Promoter
              address: 1 Test Street, London SW1A 1AA
            """);
        Write("constituencies.yaml", """
            constituencies:
              - slug: battersea
                name: Battersea
                boroughs: [Wandsworth]
                tags: [inner-london]
                association: { name: Battersea Conservatives, email: office@battersea.example.org }
              - slug: bromley
                name: Bromley and Biggin Hill
                boroughs: [Bromley]
                tags: [outer-london]
              - slug: bethnal-green
                name: Bethnal Green and Stepney
                boroughs: [Tower Hamlets]
                tags: [inner-london, diverse]
                languages: [bn]
            """);
        for (var i = 1; i <= 4; i++)
        {
            Write($"pages/topic-{i}.md", $$$"""
                ---
                title: "Topic {{{i}}} in {{ constituency.name }}"
                summary: What we do about topic {{{i}}}.
                weight: {{{i}}}
                ---
                Topic {{{i}}} matters in {{ constituency.boroughs | array.join ", " }}.

                ::: audience tag:outer-london
                Outer London residents see this paragraph.
                :::
                """);
        }

        Write("pages/topic-1.bn.md", """
            ---
            title: "বিষয় ১"
            ---
            বাংলায় বিষয় ১।
            """);
        Write("pages/draft.md", """
            ---
            title: Not ready
            draft: true
            ---
            Secret draft text.
            """);
        Write("pages/embargoed.md", """
            ---
            title: Announcement
            publish_at: 2026-12-01T12:00:00Z
            ---
            Embargoed announcement text.
            """);
    }

    public string Root { get; }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n") + "\n");
    }

    public void Delete(string path) => File.Delete(Path.Combine(Root, path));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
