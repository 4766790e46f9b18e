using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

public sealed class TranslationTests : IDisposable
{
    private readonly TestSite _site = new();

    public TranslationTests()
    {
        _site.Page("pages/housing.md", "title: Housing\nsummary: Homes for {{ constituency.name }}", "Homes in {{ constituency.name }}.\n")
            .Page("pages/housing.bn.md", "title: আবাসন\nsummary: \"{{ constituency.name }} এর জন্য বাড়ি\"", "{{ constituency.name }} এ বাড়ি।\n")
            .Page("pages/housing.ur.md", "title: رہائش", "{{ constituency.name }} میں گھر۔\n");
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task A_translation_is_published_only_for_seats_that_publish_its_language()
    {
        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(_site.Exists("web/bethnal-green-and-stepney/bn/housing/index.html"));
        Assert.False(_site.Exists("web/bethnal-green-and-stepney/ur/housing/index.html"));
        Assert.True(_site.Exists("web/tooting/ur/housing/index.html"));
        Assert.False(_site.Exists("web/battersea/bn/housing/index.html"));
        Assert.False(Directory.Exists(Path.Combine(_site.OutDir, "web/battersea/bn")));
        Assert.True(_site.Exists("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task Pages_carry_their_language_direction_and_links_to_each_other()
    {
        await _site.PublishAsync();
        var bengali = _site.Output("web/bethnal-green-and-stepney/bn/housing/index.html");
        var english = _site.Output("web/bethnal-green-and-stepney/housing/index.html");
        var urdu = _site.Output("web/tooting/ur/housing/index.html");

        Assert.Contains("<html lang=\"bn\" dir=\"ltr\">", bengali);
        Assert.Contains("বেথনাল", bengali.Replace("Bethnal Green and Stepney", "বেথনাল"));
        Assert.Contains("<html lang=\"ur\" dir=\"rtl\">", urdu);
        Assert.Contains("Tooting میں گھر۔", urdu);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"bn\" href=\"https://www.example.org.uk/bethnal-green-and-stepney/bn/housing/\">", english);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://www.example.org.uk/bethnal-green-and-stepney/housing/\">", bengali);
        Assert.DoesNotContain("hreflang=\"bn\"", _site.Output("web/battersea/housing/index.html"));
    }

    [Fact]
    public async Task A_translation_inherits_its_pages_audience_and_schedule()
    {
        _site.Page("pages/housing.md", "title: Housing\naudience: [tag:south]\npublish_at: 2027-01-01T09:00");

        await _site.PublishAsync(new DateTimeOffset(2027, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var afterEmbargo = _site.Exists("web/tooting/ur/housing/index.html");
        var eastExcluded = !_site.Exists("web/bethnal-green-and-stepney/bn/housing/index.html");
        await _site.PublishAsync(new DateTimeOffset(2026, 12, 31, 9, 0, 0, TimeSpan.Zero), force: true);

        Assert.True(afterEmbargo);
        Assert.True(eastExcluded);
        Assert.False(_site.Exists("web/tooting/ur/housing/index.html"));
    }

    [Fact]
    public void A_translation_may_not_change_its_slug_or_audience()
    {
        _site.Page("pages/housing.bn.md", "title: আবাসন\naudience: [battersea]");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("translation-key", diagnostic.Code);
        Assert.Equal(3, diagnostic.Location.Line);
    }

    [Fact]
    public async Task The_language_homes_list_the_translated_pages()
    {
        await _site.PublishAsync();

        var home = _site.Output("web/bethnal-green-and-stepney/bn/index.html");
        Assert.Contains("<html lang=\"bn\"", home);
        Assert.Contains("আবাসন", home);
    }
}
