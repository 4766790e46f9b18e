using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class FileSetDigestTests
{
    private static readonly (string Path, long Length, long Modified)[] Files =
    [
        ("web/index.html", 1200, 638_000_000_000_000_000),
        ("web/battersea/housing/index.html", 40_000, 638_000_000_000_000_001),
        ("web/battersea/housing/fragment.html", 3_000, 638_000_000_000_000_002),
        ("web/ealing-southall/pa/housing/index.html", 41_000, 638_000_000_000_000_003),
    ];

    private static string Of(IEnumerable<(string Path, long Length, long Modified)> files)
    {
        var digest = new FileSetDigest();
        foreach (var (path, length, modified) in files)
        {
            digest.Add(path, length, modified);
        }

        return digest.ToString();
    }

    [Fact]
    public void The_same_files_in_any_order_or_parts_give_the_same_digest()
    {
        var whole = Of(Files);
        var left = new FileSetDigest();
        var right = new FileSetDigest();
        left.Add("web/battersea/housing", "index.html", 40_000, 638_000_000_000_000_001);
        left.Add(string.Empty, "web/index.html", 1200, 638_000_000_000_000_000);
        right.Add("web/ealing-southall/pa/housing/index.html", 41_000, 638_000_000_000_000_003);
        right.Add("web/battersea/housing", "fragment.html", 3_000, 638_000_000_000_000_002);
        left.Add(right);

        Assert.Equal(whole, Of(Files.Reverse()));
        Assert.Equal(whole, left.ToString());
    }

    [Fact]
    public void A_file_added_removed_renamed_resized_or_retimed_changes_the_digest()
    {
        var digests = new[]
        {
            Of(Files),
            Of(Files.Append(("web/stray.html", 1, 1))),
            Of(Files.Skip(1)),
            Of(Files.Select((f, i) => i == 1 ? f with { Path = "web/battersea/housing/index.htm" } : f)),
            Of(Files.Select((f, i) => i == 1 ? f with { Length = f.Length + 1 } : f)),
            Of(Files.Select((f, i) => i == 1 ? f with { Modified = f.Modified - 1 } : f)),
            // Two files trading their times between them is a change too.
            Of(Files.Select((f, i) => i switch { 1 => f with { Modified = Files[2].Modified }, 2 => f with { Modified = Files[1].Modified }, _ => f })),
        };

        Assert.Equal(digests.Length, digests.Distinct().Count());
    }

    [Fact]
    public void A_path_longer_than_the_stack_buffers_is_digested_like_any_other()
    {
        var folder = string.Join('/', Enumerable.Repeat("a-long-folder-name", 30));
        var joined = new FileSetDigest();
        joined.Add(folder, "index.html", 10, 20);

        Assert.Equal(Of([($"{folder}/index.html", 10, 20)]), joined.ToString());
        Assert.NotEqual(Of([($"{folder}/index.htm", 10, 20)]), joined.ToString());
    }
}
