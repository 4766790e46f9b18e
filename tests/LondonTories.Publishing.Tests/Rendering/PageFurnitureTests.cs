using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>The built-in layouts' own words (links, labels, titles, dates) read in the page's language, from strings/&lt;lang&gt;.yaml.</summary>
public sealed partial class PageFurnitureTests : IDisposable
{
    private readonly TestSite _site = new();
    private readonly string _out = Directory.CreateTempSubdirectory("londontories-furniture-").FullName;

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public async Task No_sample_page_in_another_language_shows_English_furniture()
    {
        var publisher = TestSite.Services.GetRequiredService<Publisher>();
        var content = await publisher.LoadAsync(new FolderContentSource(TestSite.SampleContentDir), CancellationToken.None);
        var result = await publisher.PublishAsync(content, new LocalFolderTarget(_out), new PublishOptions { Now = TestSite.Now }, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "missing-strings" or "unknown-string");

        var languages = content.Constituencies.SelectMany(c => c.Languages).Distinct().ToList();
        var checkedPages = 0;
        foreach (var seat in content.Constituencies)
        {
            foreach (var language in seat.Languages)
            {
                var folder = Path.Combine(_out, "web", seat.Slug, language);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(folder, "index.html", SearchOption.AllDirectories))
                {
                    var furniture = Furniture(File.ReadAllText(file), seat, content.Site);
                    foreach (var english in EnglishPhrases())
                    {
                        Assert.False(furniture.Contains(english, StringComparison.Ordinal), $"{Path.GetRelativePath(_out, file)} shows '{english}': {furniture}");
                    }

                    checkedPages++;
                }
            }
        }

        Assert.Contains("bn", languages);
        Assert.Contains("ur", languages);
        Assert.True(checkedPages >= 20, $"only {checkedPages} pages in other languages were published");
        var bengali = File.ReadAllText(Path.Combine(_out, "web/bethnal-green-and-stepney/bn/index.html"));
        Assert.Contains("<a class=\"skip-link\" href=\"#main\">মূল বিষয়বস্তুতে যান</a>", bengali);
        Assert.Contains("<title>Bethnal Green and Stepney &#183; London Conservatives</title>", bengali);
    }

    [Fact]
    public async Task A_seat_language_without_a_strings_file_is_named_with_the_keys_it_needs_and_reads_in_English()
    {
        _site.Delete("strings/bn.yaml");
        _site.Page("pages/housing.md", "title: Housing").Page("pages/housing.bn.md", "title: আবাসন").Page("pages/housing.ur.md", "title: رہائش");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "missing-strings");
        Assert.False(warning.IsError);
        Assert.EndsWith("constituencies.yaml", warning.Location.Path, StringComparison.Ordinal);
        Assert.Contains("bethnal-green-and-stepney publishes in 'bn' but there is no", warning.Message, StringComparison.Ordinal);
        Assert.Contains("strings/bn.yaml", warning.Hint, StringComparison.Ordinal);
        Assert.All(SiteStrings.English.Keys, key => Assert.Contains(key, warning.Hint, StringComparison.Ordinal));
        Assert.Contains(">Skip to content</a>", _site.Output("web/bethnal-green-and-stepney/bn/housing/index.html"), StringComparison.Ordinal);
        Assert.Contains(">مرکزی مواد پر جائیں</a>", _site.Output("web/tooting/ur/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_strings_file_lacking_keys_names_them_and_fills_them_in_English()
    {
        _site.Write("strings/bn.yaml", "skip_to_content: মূল বিষয়বস্তুতে যান\n");
        _site.Page("pages/housing.md", "title: Housing").Page("pages/housing.bn.md", "title: আবাসন");

        var result = await _site.PublishAsync();

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "missing-strings");
        Assert.EndsWith("strings/bn.yaml", warning.Location.Path, StringComparison.Ordinal);
        Assert.Contains("more_for", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("skip_to_content", warning.Message, StringComparison.Ordinal);
        var page = _site.Output("web/bethnal-green-and-stepney/bn/housing/index.html");
        Assert.Contains(">মূল বিষয়বস্তুতে যান</a>", page, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"https://www.example.org.uk/\">London</a></li>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_strings_file_named_in_capitals_that_lacks_keys_is_warned_of_at_its_own_name()
    {
        _site.Delete("strings/bn.yaml").Write("strings/BN.yaml", "skip_to_content: মূল বিষয়বস্তুতে যান\n");
        _site.Page("pages/housing.md", "title: Housing");

        var result = await _site.PublishAsync();

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "missing-strings");
        Assert.EndsWith("strings/BN.yaml", warning.Location.Path, StringComparison.Ordinal);
        Assert.StartsWith($"{warning.Location.Path} lacks ", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_a_warning_at_its_line_with_the_key_it_resembles()
    {
        _site.Write("strings/bn.yaml", File.ReadAllText(Path.Combine(TestSite.SampleContentDir, "strings", "bn.yaml")) + "skip_to_contnet: মূল বিষয়বস্তুতে যান\n");

        var content = _site.Load();

        var warning = Assert.Single(content.Diagnostics, d => d.Code == "unknown-string");
        Assert.False(warning.IsError);
        var lines = File.ReadAllLines(Path.Combine(TestSite.SampleContentDir, "strings", "bn.yaml")).Length;
        Assert.Equal((lines + 1, 1), (warning.Location.Line, warning.Location.Column));
        Assert.EndsWith("strings/bn.yaml", warning.Location.Path, StringComparison.Ordinal);
        Assert.Equal("Did you mean 'skip_to_content'?", warning.Hint);
        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("{Seat} এর জন্য আরও", "{Seat}", "Did you mean '{seat}'?")]
    [InlineData("{সিট} এর জন্য আরও", "{সিট}", "It may use {seat}.")]
    public void A_placeholder_translated_or_capitalised_is_a_warning_not_published_as_written(string text, string written, string hint)
    {
        // Only lower-case ASCII names were read as placeholders, so these went out literally in every Bengali page's title.
        _site.Write("strings/bn.yaml", $"more_for: \"{text}\"\n");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "unknown-placeholder");

        Assert.Equal($"'more_for' uses {written}, which this text does not fill.", warning.Message);
        Assert.Equal(hint, warning.Hint);
    }

    [Fact]
    public void A_text_that_drops_a_placeholder_its_english_has_is_a_warning()
    {
        _site.Write("strings/bn.yaml", "more_for: \"আরও\"\n");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "missing-placeholder");

        Assert.Equal("'more_for' leaves out {seat}, which the English text fills: \"More for {seat}\".", warning.Message);
    }

    [Fact]
    public void A_placeholder_the_text_does_not_fill_is_a_warning()
    {
        _site.Write("strings/bn.yaml", "more_for: \"{constituency} এর জন্য আরও\"\n");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "unknown-placeholder");

        Assert.Equal(1, warning.Location.Line);
        Assert.Contains("{seat}", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_editor_can_change_an_English_text_and_the_pages_show_it()
    {
        _site.Write("strings/en.yaml", "more_for: \"Also in {seat}\"\n");
        _site.Page("pages/housing.md", "title: Housing").Page("pages/transport.md", "title: Transport");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("<h2>Also in Battersea</h2>", _site.Output("web/battersea/housing/index.html"), StringComparison.Ordinal);
        Assert.Contains("aria-label=\"More from Battersea\"", _site.Output("web/battersea/housing/index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_english_file_rewording_some_texts_is_no_warning_of_the_others()
    {
        // Every key it left out was listed as read in English, on English pages, as a text to add.
        _site.Write("strings/en.yaml", "more_for: \"Also in {seat}\"\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code == "missing-strings");
    }

    [Fact]
    public void A_strings_file_with_a_yaml_mistake_is_one_error_not_also_a_missing_file()
    {
        _site.Write("strings/bn.yaml", "skip_to_content: \"unterminated\n");

        var diagnostics = _site.Load().Diagnostics;

        var error = Assert.Single(diagnostics);
        Assert.Equal("yaml-syntax", error.Code);
        Assert.EndsWith("strings/bn.yaml", error.Location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_in_a_strings_file_reaches_the_page_as_text_in_elements_and_attributes()
    {
        _site.Write("strings/en.yaml", "more_for: \"<script>alert(1)</script> {seat}\"\nmore_from: '\"><script>alert(2)</script>'\n");
        _site.Page("pages/housing.md", "title: Housing").Page("pages/transport.md", "title: Transport");

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var page = _site.Output("web/battersea/housing/index.html");
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h2>&lt;script&gt;alert(1)&lt;/script&gt; Battersea</h2>", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_read_as_the_language_writes_them_in_the_site_time_zone()
    {
        var content = _site.Load();
        var at = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

        Assert.Equal("30 November 2026", content.Strings.For("en").Date(at, zone));
        Assert.Equal($"30 {CultureInfo.GetCultureInfo("bn").DateTimeFormat.GetMonthName(11)} 2026", content.Strings.For("bn").Date(at, zone));
        Assert.Equal("প্রকাশিত: 30 নভেম্বর 2026", content.Strings.For("bn").Format("published", date: content.Strings.For("bn").Date(at, zone)));
    }

    /// <summary>Each English default's own words, without its placeholders.</summary>
    private static IEnumerable<string> EnglishPhrases() =>
        SiteStrings.English.Where(e => e.Key != "date_format")
            .SelectMany(e => Placeholder().Split(e.Value))
            .Select(p => p.Trim(' ', '·', ':', '.'))
            .Where(p => p.Length > 1)
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// What the page shows outside its article, imprint and lists of page titles, and its aria labels, with the names that
    /// come from content (seat, site, association) taken out: the words the layout itself supplies.
    /// </summary>
    private static string Furniture(string html, Constituency seat, Site site)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll("article, .imprint, .association, .seat-name, nav.languages, .page-list, .more-pages ul, [aria-current=page], main > h1, main > .summary").ToList())
        {
            element.Remove();
        }

        var labels = document.QuerySelectorAll("[aria-label]").Select(e => e.GetAttribute("aria-label"));
        var text = string.Join("\n", labels.Append(document.Body?.TextContent).Append(document.Title));
        foreach (var name in (string[])[seat.Name, site.Title, seat.Association.Name])
        {
            text = text.Replace(name, " ", StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex Placeholder();
}
