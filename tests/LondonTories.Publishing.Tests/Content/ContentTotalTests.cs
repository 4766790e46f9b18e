using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>What a content source reads of a tree larger in all than a site's content may be: both sources choose the same way.</summary>
public sealed class ContentTotalTests
{
    [Fact]
    public void Every_text_file_is_read_and_media_in_path_order_while_the_content_stays_within_what_a_site_may_hold()
    {
        // Listed out of order, as a container lists what it was given: text files last.
        var media = Enumerable.Range(0, 300).Select(i => ($"static/photos/p{299 - i:000}.jpg", (long)ContentFile.MaxBytes));
        (string Path, long Size)[] listed = [.. media, ("site.yaml", 1_000), ("pages/housing.md", 2_000)];

        var read = ContentFile.WithinTotal(listed);

        Assert.True(read[^1] && read[^2]);
        var readMedia = listed.Where((file, i) => read[i] && file.Path.StartsWith("static/", StringComparison.Ordinal)).Select(f => f.Path).Order(StringComparer.Ordinal);
        // 3,000 bytes of text and 255 pictures of a mebibyte fit within 256 MiB; a 256th would not.
        Assert.Equal(Enumerable.Range(0, 255).Select(i => $"static/photos/p{i:000}.jpg"), readMedia);
    }

    [Fact]
    public void A_file_too_large_to_load_counts_only_as_much_as_is_read_of_it()
    {
        (string Path, long Size)[] listed = [("site.yaml", 1_000), ("static/film.mp4", 4L * 1024 * 1024 * 1024)];

        Assert.Equal(ContentFile.MaxBytes + 1L, ContentFile.ReadOf(listed[1].Size));
        Assert.Equal([true, true], ContentFile.WithinTotal(listed));
    }
}
