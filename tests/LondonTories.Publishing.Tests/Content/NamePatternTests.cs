using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>
/// Slugs and language tags also arrive from outside content, in request paths and queries
/// (<c>/api/constituencies/battersea%0A/changes</c>), where nothing trims them first.
/// </summary>
public sealed class NamePatternTests
{
    [Theory]
    [InlineData("battersea", true)]
    [InlineData("bethnal-green-and-stepney", true)]
    [InlineData("battersea\n", false)]
    [InlineData("battersea\r\n", false)]
    [InlineData("\nbattersea", false)]
    public void A_slug_is_the_whole_value_with_no_line_break_after_it(string value, bool valid) =>
        Assert.Equal(valid, Slug.IsValid(value));

    [Theory]
    [InlineData("en-GB", true)]
    [InlineData("bn", true)]
    [InlineData("en\n", false)]
    [InlineData("en-GB\n", false)]
    public void A_language_tag_or_code_is_the_whole_value_with_no_line_break_after_it(string value, bool valid)
    {
        Assert.Equal(valid, Languages.IsLanguageTag(value));
        Assert.Equal(valid && !value.Contains('-', StringComparison.Ordinal), Languages.IsLanguageCode(value));
    }

    [Theory]
    [InlineData("café-news", "cafe-news")]
    [InlineData("Straße & Öl", "strasse-and-ol")]
    [InlineData("Barking and Dagenham", "barking-and-dagenham")]
    [InlineData("নতুন", "")]
    public void A_slug_made_from_a_name_keeps_its_accented_letters_as_plain_ones(string name, string slug) =>
        Assert.Equal(slug, Slug.From(name));

    [Theory]
    [InlineData("নতুন")]
    [InlineData("!!!")]
    public void A_name_with_no_latin_letters_is_suggested_a_slug_that_is_not_empty(string name)
    {
        var suggestion = Slug.Suggestion(name);

        Assert.True(Slug.IsValid(suggestion), suggestion);
    }
}
