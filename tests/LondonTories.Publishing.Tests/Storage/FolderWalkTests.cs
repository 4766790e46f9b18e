using System.Text;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class FolderWalkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("folderwalk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Lists_every_plain_file_with_the_path_size_and_time_the_runtime_gives_it()
    {
        Write(".hidden", "x");
        Write("index.html", "<p>home</p>");
        Write("empty.txt", string.Empty);
        Write("web/barking/page-000/index.html", "<p>a page</p>");
        Write("web/barking/page-000/fragment.html", "<article></article>");
        Write("web/caf\u00e9/\u00e9t\u00e9.html", "composed");
        Write("web/caf\u00e9/e\u0301te\u0301.html", "decomposed");
        Write("web/\u4f26\u6566/\U0001F3DB.html", "wide");
        Write("web/with space/a\\b.html", "a backslash is part of a name here");
        Write("deep/a/b/c/d/e/f/g/h/leaf.json", "{}");
        Write("long/" + new string('n', 250) + ".html", "a name of 255 bytes");
        Directory.CreateDirectory(Path.Combine(_folder, "web", "empty-folder"));

        // Enough names in one folder that reading them takes several calls.
        for (var i = 0; i < 1_500; i++)
        {
            Write($"many/entry-with-a-longish-name-{i:D5}.html", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Times as files can carry them: to the tick, before 1970, far ahead.
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "index.html"), new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567));
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "empty.txt"), new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(42));
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "deep/a/b/c/d/e/f/g/h/leaf.json"), new DateTime(2100, 6, 1, 0, 0, 0, DateTimeKind.Utc));

        var (listed, walked) = Walk(_folder, string.Empty, recurse: true);

        Assert.Equal(OperatingSystem.IsLinux(), walked);
        if (walked)
        {
            Assert.Equal(RuntimeListing(_folder, SearchOption.AllDirectories), listed.Order(StringComparer.Ordinal));
            Assert.Equal(1_500 + 11, listed.Count);
        }
    }

    [Fact]
    public void Without_recursing_lists_the_folders_own_files_and_names_them_under_the_path_given()
    {
        Write("web/barking/index.html", "home");
        Write("web/barking/pages.json", "[]");
        Write("web/barking/page-000/index.html", "page");

        var (listed, walked) = Walk(Path.Combine(_folder, "web", "barking"), "web/barking", recurse: false);

        Assert.Equal(OperatingSystem.IsLinux(), walked);
        if (walked)
        {
            var expected = RuntimeListing(Path.Combine(_folder, "web", "barking"), SearchOption.TopDirectoryOnly).Select(f => "web/barking/" + f);
            Assert.Equal(expected, listed.Order(StringComparer.Ordinal));
            Assert.Equal(["web/barking/index.html", "web/barking/pages.json"], listed.Select(f => f.Split('|')[0]).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("file")]
    [InlineData("folder")]
    public void Gives_up_at_a_link_so_that_the_runtime_listing_refuses_it(string kind)
    {
        Write("web/barking/index.html", "home");
        var outside = Directory.CreateTempSubdirectory("folderwalk-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "not the site's");
            var link = Path.Combine(_folder, "web", "barking", "linked");
            if (kind == "file")
            {
                File.CreateSymbolicLink(link, Path.Combine(outside, "secret.txt"));
            }
            else
            {
                Directory.CreateSymbolicLink(link, outside);
            }

            Assert.False(Walk(_folder, string.Empty, recurse: true).Walked);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Gives_up_when_the_folder_itself_is_a_link()
    {
        Write("site/index.html", "home");
        var link = Path.Combine(_folder, "linked-site");
        Directory.CreateSymbolicLink(link, Path.Combine(_folder, "site"));

        Assert.False(Walk(link, string.Empty, recurse: true).Walked);
        Assert.Equal(OperatingSystem.IsLinux(), Walk(Path.Combine(_folder, "site"), string.Empty, recurse: true).Walked);
    }

    [Fact]
    public void Gives_up_at_an_entry_that_is_neither_a_file_nor_a_folder()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(Walk(_folder, string.Empty, recurse: true).Walked);
            return;
        }

        Write("web/index.html", "home");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_folder, "web", "listening.sock")));

        Assert.False(Walk(_folder, string.Empty, recurse: true).Walked);
    }

    [Fact]
    public void A_folder_that_does_not_exist_gives_up()
    {
        Assert.False(Walk(Path.Combine(_folder, "missing"), string.Empty, recurse: true).Walked);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    /// <summary>Each file as "path|length|ticks", its path relative to the folder listed.</summary>
    private static (List<string> Listed, bool Walked) Walk(string folder, string relative, bool recurse)
    {
        var listed = new List<string>();
        var walked = FolderWalk.TryList(folder, relative, recurse, (inFolder, name, length, modified) =>
            listed.Add($"{(inFolder.IsEmpty ? string.Empty : inFolder.ToString() + "/")}{name}|{length}|{modified}"));
        return (listed, walked);
    }

    private static IEnumerable<string> RuntimeListing(string folder, SearchOption option) =>
        new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = option == SearchOption.AllDirectories, AttributesToSkip = 0 })
            .Select(f => $"{Path.GetRelativePath(folder, f.FullName)}|{f.Length}|{f.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal);
}
