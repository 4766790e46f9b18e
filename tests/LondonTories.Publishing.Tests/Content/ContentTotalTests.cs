using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>What a content source reads of a tree larger in all than a site's content may be: both sources choose the same way.</summary>
public sealed class ContentTotalTests
{
    private static readonly long Mebibyte = ContentFile.MaxBytes;

    [Fact]
    public void The_sites_own_files_are_read_first_then_pages_then_media_in_path_order_while_the_content_stays_within_what_a_site_may_hold()
    {
        // Listed out of order, as a container lists what it was given: the site's own files last.
        var media = Enumerable.Range(0, 200).Select(i => ($"static/photos/p{199 - i:000}.jpg", Mebibyte));
        var pages = Enumerable.Range(0, 100).Select(i => ($"pages/bulk/p{99 - i:000}.md", Mebibyte));
        (string Path, long Size)[] listed = [.. media, .. pages, ("layouts/page.html", 2_000), ("site.yaml", 1_000)];

        var read = ContentFile.WithinTotal(listed);

        Assert.True(read[^1] && read[^2]);
        string[] Read(string prefix) => [.. listed.Where((file, i) => read[i] && file.Path.StartsWith(prefix, StringComparison.Ordinal)).Select(f => f.Path).Order(StringComparer.Ordinal)];
        // 3,000 bytes of the site's own files, then every page, then 155 pictures fit within 256 MiB; a 156th would not.
        Assert.Equal(100, Read("pages/").Length);
        Assert.Equal(Enumerable.Range(0, 155).Select(i => $"static/photos/p{i:000}.jpg"), Read("static/"));
    }

    [Fact]
    public void A_file_too_large_to_load_counts_only_as_much_as_is_read_of_it()
    {
        (string Path, long Size)[] listed = [("site.yaml", 1_000), ("static/film.mp4", 4L * 1024 * 1024 * 1024)];

        Assert.Equal(ContentFile.MaxBytes + 1L, ContentFile.ReadOf(listed[1].Size));
        Assert.Equal([true, true], ContentFile.WithinTotal(listed));
    }
}
