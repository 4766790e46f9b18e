using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>The imprint reads exactly as written: no invisible character may reorder or hide any of it.</summary>
public sealed class ImprintCharacterTests : IDisposable
{
    private readonly TestSite _site = new();

    public ImprintCharacterTests() => _site.Page("pages/register.md", "title: Register");

    public void Dispose() => _site.Dispose();

    private Diagnostic SingleError() => Assert.Single(_site.Load().Diagnostics, d => d.IsError);

    [Theory]
    [InlineData('\u202E', "U+202E RIGHT-TO-LEFT OVERRIDE")]
    [InlineData('\u202A', "U+202A LEFT-TO-RIGHT EMBEDDING")]
    [InlineData('\u2066', "U+2066 LEFT-TO-RIGHT ISOLATE")]
    [InlineData('\u2069', "U+2069 POP DIRECTIONAL ISOLATE")]
    [InlineData('\u200B', "U+200B ZERO WIDTH SPACE")]
    [InlineData('\u200F', "U+200F RIGHT-TO-LEFT MARK")]
    [InlineData('\u2060', "U+2060 WORD JOINER")]
    [InlineData('\uFEFF', "U+FEFF ZERO WIDTH NO-BREAK SPACE")]
    [InlineData('\u061C', "U+061C ARABIC LETTER MARK")]
    public void An_invisible_format_character_in_the_site_imprint_is_an_error_at_it(char character, string name)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("promoter: Sam Okafor", $"promoter: \"Sam {character}Okafor\""));

        var error = SingleError();

        Assert.Equal("imprint-character", error.Code);
        Assert.Equal((6, 18), (error.Location.Line, error.Location.Column));
        Assert.Contains(name, error.Message);
        Assert.Contains("'promoter'", error.Message);
        Assert.Contains("Delete", error.Hint);
    }

    [Fact]
    public void An_escaped_override_is_an_error_at_the_value()
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("address: 4 Matthew Parker Street, London SW1H 9HQ", "address: \"\\u202E4 Matthew Parker Street\""));

        var error = SingleError();

        Assert.Equal("imprint-character", error.Code);
        Assert.Equal((8, 12), (error.Location.Line, error.Location.Column));
        Assert.Contains("U+202E", error.Message);
    }

    [Fact]
    public void An_override_in_a_posts_imprint_is_an_error_too()
    {
        _site.Write("social/hello.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [x]\nimprint: {promoter: \"\u202ERachel Denholm\", address: 4 Matthew Parker Street}\n---\nVote.\n");

        var error = SingleError();

        Assert.Equal("imprint-character", error.Code);
        Assert.Equal((4, 22), (error.Location.Line, error.Location.Column));
        Assert.Contains("U+202E RIGHT-TO-LEFT OVERRIDE", error.Message);
    }

    [Fact]
    public void Joiners_inside_a_bengali_name_are_part_of_its_spelling()
    {
        // র‍্যাচেল (Rachel) is spelt with a zero-width joiner after র.
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("promoter: Sam Okafor", "promoter: র\u200D্যাচেল ডেনহোম"));

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData('\u200C', "U+200C ZERO WIDTH NON-JOINER")]
    [InlineData('\u200D', "U+200D ZERO WIDTH JOINER")]
    public void A_joiner_in_latin_text_is_an_error(char character, string name)
    {
        _site.Write("site.yaml", TestSite.SiteYaml.Replace("promoter: Sam Okafor", $"promoter: Sam {character}Okafor"));

        var error = SingleError();

        Assert.Equal("imprint-character", error.Code);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Page_text_may_still_use_format_characters()
    {
        _site.Page("pages/ur.md", "title: \"\u2067اردو\u2069 text\"", "A \u200Djoined and \u202Bembedded\u202C line.\n");

        Assert.DoesNotContain(_site.Load().Diagnostics, d => d.IsError);
    }
}
