using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class EntityTagsTests
{
    [Theory]
    [InlineData("\"a\", \"b\"")]
    [InlineData("\"a\", , \"b\"")]
    [InlineData(", \"a\",\"b\"")]
    [InlineData("\"a\",\"b\", ,")]
    [InlineData("W/\"a\",,W/\"b\"")]
    public void Empty_list_elements_are_ignored_as_the_rfc_requires(string header)
    {
        // RFC 9110 5.6.1.2: a recipient MUST parse and ignore a reasonable number of empty list elements.
        var tags = EntityTags.Parse(header);

        Assert.Equal(["\"a\"", "\"b\""], tags.Tags);
        Assert.True(tags.Matches("\"b\""));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("\"a\" \"b\"")]
    [InlineData("\"a")]
    [InlineData(",")]
    public void A_malformed_header_is_ignored(string header) => Assert.True(EntityTags.Parse(header).IsEmpty);
}
