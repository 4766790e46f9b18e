using System.Text;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>Mistakes that used to publish silently: misspelt or unclosed blocks, wrong encodings, control characters.</summary>
public sealed class EditorMistakeTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private Diagnostic SingleError() => Assert.Single(_site.Load().Diagnostics, d => d.IsError);

    private void WriteBytes(string path, byte[] bytes)
    {
        var full = Path.Combine(_site.ContentDir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    [Theory]
    [InlineData("# Housing in {{ constituency.name }}\n\nHomes.\n", 4)]
    [InlineData("Homes.\n\nHousing\n=======\n\nMore.\n", 6)]
    public void A_top_level_heading_in_a_page_is_warned_that_the_layout_already_shows_the_title_as_one(string body, int line)
    {
        // Published without a word: the title stood twice at the top of every seat's page, two <h1>s apiece.
        _site.Page("pages/housing.md", "title: Housing in {{ constituency.name }}", body);

        var warning = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "top-level-heading"), (warning.Severity, warning.Code));
        Assert.Equal((line, 1), (warning.Location.Line, warning.Location.Column));
        Assert.Contains("'##'", warning.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("![](/images/team.svg)")]
    [InlineData("![ ](/images/team.svg \"Our team\")")]
    public void A_picture_without_words_for_it_is_warned_at_its_place(string picture)
    {
        // Published without a word: a screen reader announced an unnamed image on every seat's page.
        _site.Write("static/images/team.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .Page("pages/team.md", "title: Team", $"Text.\n\n{picture}\n");

        var warning = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "image-without-text"), (warning.Severity, warning.Code));
        Assert.Equal((6, 1), (warning.Location.Line, warning.Location.Column));
        Assert.Contains("![", warning.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_picture_described_in_words_or_by_a_template_is_not_warned_of()
    {
        _site.Write("static/images/team.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .Page("pages/team.md", "title: Team", "![Our team in Battersea](/images/team.svg)\n\n![{{ constituency.name }} volunteers](/images/team.svg)\n");

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public void A_top_level_heading_is_not_warned_of_where_the_page_layout_shows_no_title_heading_of_its_own()
    {
        _site.Write("layouts/page.html", "<html><body><main>{{ content }}</main><p>{{ imprint.text }}</p></body></html>")
            .Page("pages/housing.md", "title: Housing", "# Housing\n\nHomes.\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code == "top-level-heading");
    }

    [Fact]
    public void Section_headings_and_a_post_s_heading_are_not_warned_of()
    {
        _site.Page("pages/housing.md", "title: Housing", "## Homes\n\n### Rents\n\nText.\n")
            .Write("social/homes.md", "---\nschedule: 2026-12-20T09:00\nplatforms: [bluesky]\n---\n# Homes for Battersea\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code == "top-level-heading");
    }

    [Theory]
    [InlineData("publish_at", "Give the time as well, e.g. 'publish_at: 2026-12-01T09:00'.")]
    [InlineData("expire_at", "Give the time as well, e.g. 'expire_at: 2026-12-01T09:00', or 'expire_at: 2026-12-01T23:59' for the end of that day.")]
    [InlineData("publishDate", "Give the time as well, e.g. 'publishDate: 2026-12-01T09:00'.")]
    public void A_page_time_written_as_a_date_alone_is_warned_that_it_means_midnight(string key, string hint)
    {
        // Read as 00:00 without a word: a page went out at midnight, or came down as its last day began.
        _site.Page("pages/dated.md", $"title: Dated\n{key}: 2026-12-01");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "date-without-time");

        Assert.False(warning.IsError);
        Assert.EndsWith("pages/dated.md", warning.Location.Path.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal(3, warning.Location.Line);
        Assert.Equal($"{key}: '2026-12-01' has no time of day, so it is read as 00:00, midnight at the start of that day.", warning.Message);
        Assert.Equal(hint, warning.Hint);
    }

    [Theory]
    [InlineData("audiance", "audience")]
    [InlineData("Audience", "audience")]
    [InlineData("exept", "except")]
    public void A_misspelt_block_keyword_is_an_error_at_its_opening_line_with_a_suggestion(string keyword, string suggestion)
    {
        _site.Page("pages/blocks.md", "title: Blocks", $"Intro.\n\n::: {keyword} borough:bromley\nFor Bromley.\n:::\n");

        var error = SingleError();

        Assert.Equal("unknown-block", error.Code);
        Assert.Equal((6, 1), (error.Location.Line, error.Location.Column));
        Assert.Contains($"'{keyword}'", error.Message);
        Assert.Equal($"Did you mean '{suggestion}'?", error.Hint);
    }

    [Fact]
    public void A_misspelt_block_keyword_in_a_post_is_an_error_too()
    {
        _site.Write("social/misspelt.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\n---\nHello.\n\n::: audiance tag:south\nSouth.\n:::\n");

        var error = SingleError();

        Assert.Equal("unknown-block", error.Code);
        Assert.Equal(7, error.Location.Line);
    }

    [Fact]
    public void An_unclosed_audience_block_is_an_error_at_its_opening_line()
    {
        _site.Page("pages/open.md", "title: Open", "Intro.\n\n::: audience battersea\nOnly Battersea.\n\nEveryone, but swallowed.\n");

        var error = SingleError();

        Assert.Equal("unclosed-block", error.Code);
        Assert.Equal((6, 1), (error.Location.Line, error.Location.Column));
        Assert.Contains("never closed", error.Message);
        Assert.Contains("':::'", error.Hint);
    }

    [Fact]
    public void An_unclosed_block_inside_a_closed_one_is_reported_too()
    {
        _site.Page("pages/nested.md", "title: Nested", "::: except battersea\n::: audience tag:south\nSouth.\n:::\n");

        var error = SingleError();

        // The one ':::' closes the outer block, and the inner one with it.
        Assert.Equal("unclosed-block", error.Code);
        Assert.Equal(5, error.Location.Line);
    }

    [Fact]
    public void Other_blocks_stay_allowed()
    {
        _site.Page("pages/note.md", "title: Note", "::: callout\nImportant.\n:::\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_windows_1252_file_names_the_line_and_column_that_is_not_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("---\ntitle: Quotes\n---\nFirst line.\nIt").Concat(new byte[] { 0x92 }).Concat(Encoding.UTF8.GetBytes("s café.\n")).ToArray();
        WriteBytes("pages/quotes.md", bytes);

        var error = SingleError();

        Assert.Equal("not-utf8", error.Code);
        Assert.EndsWith("content/pages/quotes.md:5:3", error.Location.ToString().Replace('\\', '/'));
        Assert.Contains("0x92", error.Message);
        Assert.Contains("UTF-8", error.Hint);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_utf16_file_is_reported_as_utf16_not_as_missing_front_matter(bool bigEndian)
    {
        WriteBytes("pages/wide.md", new UnicodeEncoding(bigEndian, byteOrderMark: true).GetPreamble()
            .Concat(new UnicodeEncoding(bigEndian, false).GetBytes("---\ntitle: Wide\n---\nText.\n")).ToArray());

        var error = SingleError();

        Assert.Equal("utf16", error.Code);
        Assert.Equal((1, 1), (error.Location.Line, error.Location.Column));
        Assert.Contains("UTF-16", error.Message);
        Assert.Contains("save it as UTF-8", error.Hint);
    }

    [Fact]
    public void A_utf16_site_yaml_is_reported_as_utf16_and_not_as_missing()
    {
        WriteBytes("site.yaml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(TestSite.SiteYaml)]);

        var error = SingleError();

        Assert.Equal("utf16", error.Code);
        Assert.EndsWith("site.yaml", error.Location.Path);
    }

    [Theory]
    [InlineData("Body with a \0 NUL.", 5, 13, "U+0000")]
    [InlineData("Body with an \u001b[31m escape.", 5, 14, "U+001B")]
    [InlineData("Body with a C1 \u0085 control.", 5, 16, "U+0085")]
    public void Control_characters_are_refused_with_their_position(string line, int lineNumber, int column, string name)
    {
        WriteBytes("pages/control.md", Encoding.UTF8.GetBytes($"---\ntitle: Control\n---\nFirst.\n{line}\n"));

        var error = SingleError();

        Assert.Equal("control-character", error.Code);
        Assert.Equal((lineNumber, column), (error.Location.Line, error.Location.Column));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void A_control_character_in_site_yaml_is_refused()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("title: London Conservatives", "title: London\u0007Conservatives"));

        var error = SingleError();

        Assert.Equal("control-character", error.Code);
        Assert.Equal((1, 14), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void Tabs_carriage_returns_and_a_utf8_bom_are_fine()
    {
        WriteBytes("pages/windows.md", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("---\r\ntitle: Windows\r\n---\r\nA\ttab.\r\n")]);

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    /// <summary>The first bytes of a JPEG: not UTF-8, and full of NULs.</summary>
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    [Theory]
    [InlineData("pages/policy/photo.jpg", "not-a-page")]
    [InlineData("photo.jpg", "not-content")]
    [InlineData("social/photo.jpg", "not-a-post")]
    [InlineData("strings/photo.jpg", "unknown-strings-file")]
    public void A_picture_outside_static_is_one_warning_saying_where_pictures_go_and_is_not_read_as_text(string path, string code)
    {
        _site.Page("pages/register.md", "title: Register");
        WriteBytes(path, Jpeg);

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal(code, diagnostic.Code);
        Assert.False(diagnostic.IsError);
        Assert.EndsWith(path, diagnostic.Location.Path);
        Assert.Contains("static/images/photo.jpg", diagnostic.Hint);
        Assert.Contains("/images/photo.jpg)", diagnostic.Hint);
    }

    [Theory]
    [InlineData("pages/policy/photo.jpg")]
    [InlineData("photo.jpg")]
    [InlineData("social/photo.jpg")]
    public void For_a_site_under_a_path_the_picture_hint_names_the_address_a_browser_needs(string path)
    {
        // A page's picture is read as a browser reads it: under the site's path, the address from the domain's root leads elsewhere.
        _site.PublishUnderAPath();
        _site.Page("pages/register.md", "title: Register");
        WriteBytes(path, Jpeg);

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Contains("static/images/photo.jpg", diagnostic.Hint);
        Assert.Contains("![what it shows](/london/images/photo.jpg)", diagnostic.Hint);
    }

    [Fact]
    public async Task A_picture_in_pages_does_not_stop_a_publish_and_the_hints_way_of_showing_one_works()
    {
        _site.Page("pages/register.md", "title: Register", "![A polling station](/images/photo.jpg)\n");
        WriteBytes("pages/policy/photo.jpg", Jpeg);
        WriteBytes("static/images/photo.jpg", Jpeg);

        var result = await _site.PublishAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("src=\"/images/photo.jpg\"", _site.Output("web/battersea/register/index.html"));
        Assert.True(_site.Exists("web/images/photo.jpg"));
    }

    [Fact]
    public void Other_files_beside_site_yaml_stay_quietly_ignored()
    {
        _site.Page("pages/register.md", "title: Register");
        WriteBytes("notes.txt", [0x92, 0x00]);

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Theory]
    [InlineData("Pages/new.md", "pages/new.md")]
    [InlineData("page/new.md", "pages/new.md")]
    [InlineData("new.md", "pages/new.md")]
    [InlineData("Social/2026/new.md", "social/2026/new.md")]
    [InlineData("layout/page.html", "layouts/page.html")]
    public void A_page_post_or_layout_in_a_folder_nothing_reads_is_a_warning_naming_where_it_belongs(string path, string belongs)
    {
        // It was published without a word, as if the page did not exist.
        _site.Page("pages/register.md", "title: Register");
        _site.Write(path, path.EndsWith(".html", StringComparison.Ordinal) ? "<main>{{ content }}</main>\n" : "---\ntitle: New\n---\nText.\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("not-content", diagnostic.Code);
        Assert.False(diagnostic.IsError);
        Assert.EndsWith(path, diagnostic.Location.Path);
        Assert.Contains($"move it to {belongs}", diagnostic.Hint);
    }

    [Theory]
    [InlineData("pages/register.md~")]
    [InlineData("pages/register.md.bak")]
    public void An_editors_backup_beside_a_page_is_not_told_to_take_the_pages_name(string path)
    {
        _site.Page("pages/register.md", "title: Register");
        _site.Write(path, "---\ntitle: Register\n---\nOld text.\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("not-a-page", diagnostic.Code);
        Assert.DoesNotContain("Rename it to register.md", diagnostic.Hint);
        Assert.Contains("backup", diagnostic.Hint);
    }

    [Theory]
    [InlineData("pages/trains.md.txt", "Rename it to trains.md ")]
    [InlineData("pages/trains.txt", "Rename it to trains.md ")]
    public void A_page_saved_with_an_extension_added_to_md_is_told_the_name_it_meant(string path, string hint)
    {
        // A text editor's own '.txt' after '.md' was told to become trains.md.md.
        _site.Write(path, "---\ntitle: Trains\n---\nBy train.\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("not-a-page", diagnostic.Code);
        Assert.Contains(hint, diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_written_with_an_upper_case_extension_beside_one_of_that_name_is_not_told_to_take_its_name()
    {
        // Renamed as the hint said, it would have replaced the page beside it.
        _site.Page("pages/register.md", "title: Register");
        _site.Write("pages/register.Md", "---\ntitle: Register again\n---\nOther text.\n");

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal("not-a-page", diagnostic.Code);
        Assert.DoesNotContain("Rename it to register.md", diagnostic.Hint);
        Assert.Contains("pages/register.md is already a page", diagnostic.Hint);
    }

    [Fact]
    public async Task An_include_in_a_page_body_says_includes_work_in_layouts_only()
    {
        _site.Page("pages/register.md", "title: Register", "First line.\n\nThen {{ include \"partials/nothing.html\" }} here.\n");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-include", error.Code);
        Assert.Equal((6, 9), (error.Location.Line, error.Location.Column));
        Assert.DoesNotContain("TemplateLoader", error.Message);
        Assert.Contains("layouts/", error.Hint);
    }

    [Fact]
    public void A_page_image_missing_from_static_is_an_error_at_its_line_naming_the_nearest_picture()
    {
        // It passed, and every seat's page carried an og:image that led nowhere.
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing\nimage: /images/housng.jpg");

        var error = SingleError();

        Assert.Equal("missing-image", error.Code);
        Assert.EndsWith("pages/housing.md", error.Location.Path);
        Assert.Equal((3, 8), (error.Location.Line, error.Location.Column));
        Assert.Contains("'/images/housng.jpg'", error.Message);
        Assert.Contains("static/", error.Message);
        Assert.Equal("Did you mean '/images/housing.jpg'?", error.Hint);
    }

    [Theory]
    [InlineData("image: /images/housing.jpg", "image-without-text", false, 3, 8,
        "the page's picture '/images/housing.jpg' has no words for what it shows: shared on a social site, its card's picture is announced as an unnamed image.")]
    [InlineData("image: /images/housing.jpg\nimage_alt: New homes in {{ constituency.name }}", "invalid-image-alt", true, 4, 12,
        "image_alt is shown as written, the same for every seat, so '{{' would appear as it stands.")]
    [InlineData("image_alt: New homes", "image-alt-without-image", false, 3, 12,
        "image_alt describes the page's picture, but the page has none: no 'image:' and no picture in its text.")]
    public void A_page_pictures_words_are_checked_at_their_line(string lines, string code, bool isError, int line, int column, string message)
    {
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", $"title: Housing\n{lines}");

        var found = Assert.Single(_site.Load().Diagnostics, d => d.Code == code);

        Assert.Equal(isError, found.IsError);
        Assert.EndsWith("pages/housing.md", found.Location.Path);
        Assert.Equal((line, column), (found.Location.Line, found.Location.Column));
        Assert.Equal(message, found.Message);
    }

    [Fact]
    public void Card_picture_words_longer_than_x_shows_are_a_warning_with_their_length()
    {
        var alt = string.Concat(Enumerable.Repeat("New homes. ", 40)).TrimEnd();
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", $"title: Housing\nimage: /images/housing.jpg\nimage_alt: {alt}");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "long-image-alt");

        Assert.False(warning.IsError);
        Assert.Equal((4, 12), (warning.Location.Line, warning.Location.Column));
        Assert.Equal($"image_alt is {alt.Length} characters, and X shows at most 420 of a card picture's words.", warning.Message);
    }

    [Theory]
    [InlineData("/images/housing.svg", true)]
    [InlineData("https://cdn.example.org.uk/housing.SVG?v=2", true)]
    [InlineData("/images/housing.jpg", false)]
    public void An_svg_card_picture_is_a_warning_that_social_sites_show_none(string image, bool warned)
    {
        // X's cards take JPG, PNG, WEBP and GIF: an SVG left every shared page without its picture.
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Write("static/images/housing.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        _site.Page("pages/housing.md", $"title: Housing\nimage: {image}\nimage_alt: New homes");

        var found = _site.Load().Diagnostics.Where(d => d.Code == "image-type").ToList();

        if (!warned)
        {
            Assert.Empty(found);
            return;
        }

        var warning = Assert.Single(found);
        Assert.False(warning.IsError);
        Assert.Equal((3, 8), (warning.Location.Line, warning.Location.Column));
        Assert.Equal("social sites do not show an SVG as a card picture (X takes JPG, PNG, WEBP or GIF), so the page is shared without one.", warning.Message);
    }

    [Fact]
    public void A_translation_with_a_picture_of_its_own_does_not_borrow_the_words_for_the_originals()
    {
        // The original's words describe the original's picture, not the one the translation shows instead.
        WriteBytes("static/images/housing.jpg", Jpeg);
        WriteBytes("static/images/housing-bn.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing\nimage: /images/housing.jpg\nimage_alt: New homes by the river")
            .Page("pages/housing.bn.md", "title: আবাসন\nimage: /images/housing-bn.jpg");

        var content = _site.Load();

        var warning = Assert.Single(content.Diagnostics, d => d.Code == "image-without-text");
        Assert.EndsWith("pages/housing.bn.md", warning.Location.Path);
        Assert.Null(content.Pages.Single(p => p.Language == "bn").ImageAlt);
        Assert.Equal("New homes by the river", content.Pages.Single(p => p.Language is null).ImageAlt);
    }

    [Theory]
    [InlineData("caf\u00e9", "cafe\u0301")]
    [InlineData("cafe\u0301", "caf\u00e9")]
    public void A_page_image_whose_accents_are_encoded_otherwise_than_the_files_says_so_not_did_you_mean_the_same_name(string written, string file)
    {
        // A name saved on a Mac writes é as e and an accent: the hint read "Did you mean '/images/café.jpg'?" for '/images/café.jpg'.
        WriteBytes($"static/images/{file}.jpg", Jpeg);
        _site.Page("pages/housing.md", $"title: Housing\nimage: /images/{written}.jpg");

        var error = SingleError();

        Assert.Equal("missing-image", error.Code);
        Assert.Equal($"static/images/{file}.jpg has this name with its accents encoded otherwise (é as one character in one, as e and an accent in the other), " +
                     "and addresses tell the two apart: type the file's name again, so that both are written alike.", error.Hint);
    }

    [Fact]
    public async Task A_slug_that_is_a_seats_language_is_an_error_at_the_slug_it_was_given()
    {
        // Reported at the file's first line: in a long front matter, the slug to change was left to be found.
        _site.Page("pages/bangla.md", "title: Bangla\nsummary: For Bengali speakers.\nslug: bn");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("slug-clash", error.Code);
        Assert.EndsWith("pages/bangla.md", error.Location.Path);
        Assert.Equal((4, 7), (error.Location.Line, error.Location.Column));
        Assert.Equal("Choose another slug.", error.Hint);
    }

    [Fact]
    public async Task A_file_name_that_is_a_seats_language_is_told_to_rename_the_file_or_give_a_slug()
    {
        _site.Page("pages/ur.md", "title: Urdu");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("slug-clash", error.Code);
        Assert.Equal((1, 1), (error.Location.Line, error.Location.Column));
        Assert.Equal("The slug comes from the file's name: rename the file, or give the page a slug of its own, e.g. slug: ur-page.", error.Hint);
    }

    [Fact]
    public void A_page_image_written_with_the_sites_path_as_a_pages_text_writes_it_is_told_the_address_image_takes()
    {
        // The body names a picture as a browser needs it, /london/images/…; image: is read from the site's root,
        // and its hint said to put the picture at static/london/images/housing.jpg, a second copy under another address.
        _site.PublishUnderAPath();
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing\nimage: /london/images/housing.jpg");

        var error = SingleError();

        Assert.Equal("missing-image", error.Code);
        Assert.Equal((3, 8), (error.Location.Line, error.Location.Column));
        Assert.Equal("image: names a picture from the site's own root, without its path /london: write image: /images/housing.jpg.", error.Hint);
    }

    [Fact]
    public void A_page_image_with_no_picture_near_its_name_says_where_to_put_it()
    {
        _site.Page("pages/housing.md", "title: Housing\nimage: images/estate.jpg");

        var error = SingleError();

        Assert.Equal("missing-image", error.Code);
        Assert.Contains("static/images/estate.jpg", error.Hint);
    }

    [Theory]
    [InlineData("/images/housing.jpg")]
    [InlineData("images/housing.jpg")]
    [InlineData("/images/housing.jpg?v=2")]
    [InlineData("https://cdn.example.org.uk/estate.jpg")]
    [InlineData("https://cdn.example.org.uk/estate%20two.jpg?w=1200&h=630")]
    [InlineData("\"/images/{{ constituency.slug }}.jpg\"")]
    public void A_page_image_under_static_elsewhere_on_the_web_or_made_by_a_template_passes(string image)
    {
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", $"title: Housing\nimage: {image}\nimage_alt: New homes by the river");

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Theory]
    [InlineData("http://example.org/a.jpg", "https://")]
    [InlineData("HTTP://example.org/a.jpg", "https://")]
    [InlineData("data:image/png;base64,AAAA", "https://")]
    [InlineData("javascript:alert(1)", "https://")]
    [InlineData("ftp://example.org/a.jpg", "https://")]
    [InlineData("//example.org/a.jpg", "https://")]
    [InlineData("https://", "site")]
    [InlineData("https:example.org/a.jpg", "site")]
    [InlineData("\"https://ex ample.org/a b.jpg\"", "%20")]
    [InlineData("https://example.org/a b.jpg", "%20")]
    [InlineData("https://example.org/a\"b.jpg", "%20")]
    [InlineData("https://example.org/<a>.jpg", "%20")]
    public void A_page_image_that_is_neither_under_static_nor_an_https_url_with_a_host_is_an_error_at_its_value(string image, string hint)
    {
        // It passed, and feeds and pages carried addresses such as https://www.example.org.uk/javascript:alert(1).
        _site.Page("pages/housing.md", $"title: Housing\nimage: {image}");

        var error = SingleError();

        Assert.Equal("invalid-image", error.Code);
        Assert.EndsWith("pages/housing.md", error.Location.Path);
        Assert.Equal((3, 8), (error.Location.Line, error.Location.Column));
        Assert.Contains($"'{image.Trim('"')}'", error.Message);
        Assert.Contains(hint, error.Hint);
        Assert.Contains("/images/", error.Hint);
    }

    [Fact]
    public void A_translation_is_checked_only_for_an_image_of_its_own()
    {
        WriteBytes("static/images/housing.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing\nimage: /images/housing.jpg");
        _site.Page("pages/housing.bn.md", "title: আবাসন\nimage: /images/housing-bn.jpg");

        var error = SingleError();

        Assert.Equal("missing-image", error.Code);
        Assert.EndsWith("pages/housing.bn.md", error.Location.Path);
    }

    [Fact]
    public void A_body_picture_missing_from_static_is_a_warning_at_its_place_as_links_are_not_errors()
    {
        WriteBytes("static/images/estate.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing", "Intro.\n\nSee ![the estate](/images/estat.jpg) and ![a map](https://cdn.example.org.uk/map.png).\n");

        var warning = Assert.Single(_site.Load().Diagnostics);

        Assert.False(warning.IsError);
        Assert.Equal("missing-image", warning.Code);
        Assert.Equal((6, 5), (warning.Location.Line, warning.Location.Column));
        Assert.Contains("'/images/estat.jpg'", warning.Message);
        Assert.Equal("Did you mean '/images/estate.jpg'?", warning.Hint);
    }

    [Theory]
    [InlineData("static/images/estate.jpg")]
    [InlineData("images/estate.jpg")]
    [InlineData("./images/estate.jpg")]
    [InlineData("../images/estate.jpg")]
    public void A_body_picture_written_relative_to_the_page_is_a_warning_with_its_address_from_the_root(string written)
    {
        // Relative to each seat's page (/battersea/housing/), where no picture is ever published: broken everywhere, without a word.
        WriteBytes("static/images/estate.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing", $"Intro.\n\n![the estate]({written})\n");

        var warning = Assert.Single(_site.Load().Diagnostics);

        Assert.False(warning.IsError);
        Assert.Equal("missing-image", warning.Code);
        Assert.Equal((6, 1), (warning.Location.Line, warning.Location.Column));
        Assert.Contains($"'{written}'", warning.Message);
        Assert.Contains("'/images/estate.jpg'", warning.Hint);
    }

    [Fact]
    public void A_body_picture_under_static_passes_whatever_its_name_holds()
    {
        WriteBytes("static/images/my photo.jpg", Jpeg);
        _site.Page("pages/housing.md", "title: Housing", "![A photo](/images/my%20photo.jpg#top)\n");

        Assert.Empty(_site.Load().Diagnostics);
    }

    [Fact]
    public async Task Two_strings_files_for_one_language_in_different_case_are_an_error_naming_both_not_a_crash()
    {
        _site.Page("pages/housing.md", "title: Housing")
            .Write("strings/BN.yaml", "skip_link: \"সরাসরি বিষয়বস্তুতে যান\"\n");

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        var error = SingleError();
        Assert.Equal("duplicate-strings", error.Code);
        Assert.EndsWith("content/strings/bn.yaml", error.Location.Path, StringComparison.Ordinal);
        Assert.Contains("strings/BN.yaml", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strings/bn.yml", "Rename it strings/bn.yaml")]
    [InlineData("strings/ur.YAML", "Rename it strings/ur.yaml")]
    [InlineData("strings/bengali-words.txt", "Rename it to <language code>.yaml")]
    public void A_strings_file_with_another_ending_is_told_the_name_it_is_read_by(string path, string hint)
    {
        _site.Page("pages/housing.md", "title: Housing").Write(path, "skip_to_content: মূল বিষয়বস্তুতে যান\n");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Code == "unknown-strings-file");

        Assert.StartsWith(hint, warning.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pages/café-policy.md", "cafe-policy")]
    [InlineData("pages/Housing Policy.md", "housing-policy")]
    public void A_file_whose_name_is_not_a_slug_is_told_to_rename_it_or_write_the_slug_in_its_front_matter(string path, string meant)
    {
        _site.Page(path, "title: Policy");

        var error = SingleError();

        Assert.Equal("invalid-slug", error.Code);
        Assert.Equal($"Rename the file {meant}.md, or keep its name and write 'slug: {meant}' in its front matter: a slug is lower-case letters, digits and single hyphens, at most 100 characters.", error.Hint);
    }

    [Fact]
    public void A_translation_named_with_its_language_in_capitals_is_told_how_translations_are_named()
    {
        _site.Page("pages/housing.md", "title: Housing")
            .Page("pages/housing.BN.md", "title: আবাসন");

        var error = SingleError();

        Assert.Equal("invalid-slug", error.Code);
        Assert.Contains("housing.bn.md", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pages/trains.md.md", "title: Trains", "pages/trains.md")]
    [InlineData("social/trains.md.md", "schedule: 2026-11-30T09:00\nplatforms: [x]", "social/trains.md")]
    public void A_file_saved_with_md_twice_is_told_to_drop_one_rather_than_called_a_translation_into_md(string path, string frontMatter, string meant)
    {
        // It was taken for a translation into a language 'md' of a page that does not exist.
        _site.Page(path, frontMatter);

        var error = SingleError();

        Assert.Equal("double-extension", error.Code);
        Assert.EndsWith(path, error.Location.Path, StringComparison.Ordinal);
        Assert.Equal("the file name ends in '.md' twice, so it is neither a page nor a translation.", error.Message);
        Assert.Contains($"Rename it {meant}", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--- \ntitle: Trains\n---\nBy train.\n")]
    [InlineData("---\t\ntitle: Trains\n---\nBy train.\n")]
    public void Spaces_after_the_opening_dashes_are_read_as_they_are_after_the_closing_ones(string text)
    {
        // The opening line had to be exactly '---', so the page was told to close what it had closed on line 3.
        _site.Write("pages/trains.md", text);

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal("Trains", Assert.Single(content.Pages, p => p.Slug == "trains").Title.Source);
    }

    private string Read(string path) => File.ReadAllText(Path.Combine(_site.ContentDir, path));

    private void WithAudiences()
    {
        _site.Page("pages/battersea-only.md", "title: Battersea\naudience: [battersea, tag:inner-london, borough:wandsworth]");
        _site.Write("channels.yaml", "channels:\n  - id: x-battersea\n    platform: x\n    audience: [battersea]\n    secret: x-battersea\n");
    }

    [Theory]
    [InlineData("constituencies.yml")]
    [InlineData("Constituencies.yaml")]
    public void Constituencies_under_another_name_is_one_error_that_says_to_rename_it_not_one_per_seat_named_elsewhere(string name)
    {
        WithAudiences();
        var seats = Read("constituencies.yaml");
        _site.Delete("constituencies.yaml");
        _site.Write(name, seats);

        var errors = _site.Load().Diagnostics.Where(d => d.IsError).ToList();

        var error = Assert.Single(errors);
        Assert.Equal("missing-file", error.Code);
        Assert.Equal($"Rename {name} to constituencies.yaml: only that name is read.", error.Hint);
    }

    [Fact]
    public void Channels_under_another_name_is_a_warning_that_says_to_rename_it_rather_than_no_posts_going_out()
    {
        WithAudiences();
        _site.Write("channels.yml", Read("channels.yaml"));
        _site.Delete("channels.yaml");

        var warning = Assert.Single(_site.Load().Diagnostics, d => d.Location.Path.EndsWith("channels.yml", StringComparison.Ordinal));

        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("channels.yml is not read: the file is named channels.yaml.", warning.Message);
        Assert.Equal("Rename it to channels.yaml.", warning.Hint);
    }

    [Theory]
    [InlineData("constituencies:\n\t- name: Battersea\n")]
    [InlineData("seats:\n  - name: Battersea\n")]
    public void A_constituencies_file_that_cannot_be_read_is_reported_alone_not_with_every_audience_that_names_a_seat(string text)
    {
        WithAudiences();
        _site.Write("constituencies.yaml", text);

        var errors = _site.Load().Diagnostics.Where(d => d.IsError).ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.EndsWith("constituencies.yaml", e.Location.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pages/housing-battersea.md", "[battersea]", "battersea")]
    [InlineData("pages/policy/housing-bromley.md", "[borough:bromley]", "bromley")]
    public void A_seats_version_of_a_page_written_without_its_slug_is_warned_that_it_makes_a_second_page(string path, string audience, string seat)
    {
        // Without 'slug: housing' the seat got both the London-wide page and this one, as housing-<seat>.
        _site.Page("pages/housing.md", "title: Housing");
        _site.Page(path, $"title: Housing in {seat}\naudience: {audience}");

        var content = _site.Load();

        var warning = Assert.Single(content.Diagnostics, d => d.Code == "variant-without-slug");
        Assert.False(warning.IsError);
        Assert.EndsWith(path, warning.Location.Path, StringComparison.Ordinal);
        Assert.Equal($"this page is housing-{seat}, a page of its own beside housing, so its seats get both.", warning.Message);
        Assert.Equal($"If it is their version of housing, add 'slug: housing' to its front matter; if it is a page of its own, give it 'slug: housing-{seat}' to say so.", warning.Hint);
    }

    [Theory]
    [InlineData("pages/housing-battersea.md", "title: Battersea's housing\nslug: housing\naudience: [battersea]")]
    [InlineData("pages/housing-battersea.md", "title: Battersea's own\nslug: housing-battersea\naudience: [battersea]")]
    [InlineData("pages/housing-faq.md", "title: Questions\naudience: [battersea]")]
    [InlineData("pages/housing-battersea.md", "title: Everyone's")]
    public void A_variant_with_its_slug_a_page_of_its_own_named_so_and_an_unrelated_name_are_not_warned(string path, string frontMatter)
    {
        _site.Page("pages/housing.md", "title: Housing");
        _site.Page(path, frontMatter);

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.Code == "variant-without-slug");
    }

    [Fact]
    public void A_stray_closing_line_is_told_to_be_deleted_not_closed_again()
    {
        // It was called an unclosed block, to be ended with another ':::', which opened one more.
        _site.Page("pages/blocks.md", "title: Blocks", "::: audience borough:bromley\nFor Bromley.\n:::\n\nPara.\n:::\n");

        var error = SingleError();

        Assert.Equal("unclosed-block", error.Code);
        Assert.Equal(9, error.Location.Line);
        Assert.Equal("this ':::' line closes no block: the block above it is closed already, so it opens a new one that runs to the end of the text.", error.Message);
        Assert.Equal("Delete the line, or, to start a block here, name it, e.g. '::: audience borough:bromley'.", error.Hint);
    }
}
