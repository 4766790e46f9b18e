using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class WholeFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wholefile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8_700)]
    [InlineData(5_000_000)]
    public void A_file_is_written_whole_and_its_time_is_the_one_a_listing_of_its_folder_shows(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = Path.Combine(_folder, "index.html");

        var written = WholeFile.Write(path, bytes, FileMode.CreateNew);

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(File.GetLastWriteTimeUtc(path).Ticks, written);
        var listed = new DirectoryInfo(_folder).EnumerateFiles().Single();
        Assert.Equal(written, listed.LastWriteTimeUtc.Ticks);
    }

    [Fact]
    public void Create_replaces_a_longer_file_with_exactly_the_new_bytes()
    {
        var path = Path.Combine(_folder, "feed.json");
        File.WriteAllBytes(path, new byte[10_000]);

        WholeFile.Write(path, "{}"u8, FileMode.Create);

        Assert.Equal("{}"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Create_new_refuses_a_file_already_there_and_leaves_it_as_it_was()
    {
        var path = Path.Combine(_folder, "taken");
        File.WriteAllText(path, "first");

        Assert.Throws<IOException>(() => WholeFile.Write(path, "second"u8, FileMode.CreateNew));
        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public void Failures_are_the_exceptions_the_runtime_s_own_file_calls_throw()
    {
        var missing = Path.Combine(_folder, "no-such-folder", "index.html");
        Assert.Equal(
            Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(missing, [1])).GetType(),
            Assert.ThrowsAny<IOException>(() => WholeFile.Write(missing, [1], FileMode.Create)).GetType());

        // A folder where the file should be.
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "page")).FullName;
        Assert.Equal(
            Assert.ThrowsAny<Exception>(() => File.WriteAllBytes(folder, [1])).GetType(),
            Assert.ThrowsAny<Exception>(() => WholeFile.Write(folder, [1], FileMode.Create)).GetType());
        Assert.Throws<ArgumentOutOfRangeException>(() => WholeFile.Write(Path.Combine(_folder, "x"), [1], FileMode.Append));
    }
}
