using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>A misspelt name in a template gets a did-you-mean from the names the model offers at that point.</summary>
public sealed class TemplateSuggestionTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("{{ constituency.nmae }}", "Cannot get member with name nmae", "Did you mean 'name'?", 4)]
    [InlineData("{{ constituancy.name }}", "constituancy", "Did you mean 'constituency'?", 4)]
    [InlineData("{{ constituency.association.emial }}", "emial", "Did you mean 'email'?", 4)]
    [InlineData("{{ constituency.data.councl }}", "councl", "Did you mean 'council'?", 4)]
    [InlineData("{{ page.params.colour }}", "colour", "Did you mean 'color'?", 4)]
    [InlineData("{{ site.titel }}", "titel", "Did you mean 'title'?", 4)]
    [InlineData("{{ string.upcas \"x\" }}", "upcas", "Did you mean 'upcase'?", 4)]
    [InlineData("{{ \"x\" | string.capitalise }}", "capitalise", "Did you mean 'capitalize'?", 4)]
    [InlineData("{{ date.now | date.to_strin \"%Y\" }}", "to_strin", "Did you mean 'to_string'?", 4)]
    [InlineData("{{ constituency.name | upcase }}", "upcase", "Did you mean 'string.upcase'?", 4)]
    [InlineData("{{ page.title | truncate 10 }}", "truncate", "Did you mean 'string.truncate'?", 4)]
    [InlineData("{{ constituency.tags | join \", \" }}", "join", "Did you mean 'array.join'?", 4)]
    [InlineData("{{ constituency.tags | size }}", "size", "Functions of that name: array.size, object.size, string.size.", 4)]
    public async Task A_misspelt_name_suggests_the_nearest_one_the_model_offers(string expression, string message, string hint, int line)
    {
        _site.Page("pages/typo.md", "title: Typo\nparams:\n  color: blue", $"Colour {expression}.\n".Replace("\n", "\n", StringComparison.Ordinal));

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-runtime", error.Code);
        Assert.Equal(line + 2, error.Location.Line);
        Assert.Contains(message, error.Message);
        Assert.Equal(hint, error.Hint);
    }

    [Fact]
    public async Task A_name_far_from_any_offers_the_names_there_are()
    {
        _site.Page("pages/far.md", "title: Far", "{{ constituency.xyzzy }}\n");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains("slug", error.Hint);
        Assert.Contains("electorate", error.Hint);
    }

    [Theory]
    [InlineData("{{ if constituency.tags contains \"inner-london\" }}Inner{{ end }}", "constituency.tags", "a list", "array.contains constituency.tags")]
    [InlineData("{{ constituency.name upcase }}", "constituency.name", "text", "constituency.name | string.upcase")]
    public async Task Words_after_a_value_as_if_it_were_a_function_are_explained_in_the_templates_terms(string expression, string value, string kind, string example)
    {
        _site.Page("pages/call.md", "title: Call", $"{expression}\n");

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-runtime", error.Code);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains($"'{value}' is {kind}, not a function", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Scriban", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(example, error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title: Plan {{ constituency.nmae }}", 29)]
    [InlineData("title: 'Plan {{ constituency.nmae }}'", 30)]
    [InlineData("title: \"Plan {{ constituency.nmae }}\"", 30)]
    [InlineData("summary:   \"A {{ constituency.nmae }}\"\ntitle: Plan", 31)]
    public async Task An_error_in_a_title_or_summary_is_placed_at_its_column_whether_the_value_is_quoted_or_not(string frontMatter, int column)
    {
        _site.Page("pages/quoted.md", frontMatter);

        var result = await _site.PublishAsync();

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((2, column), (error.Location.Line, error.Location.Column));
    }
}
