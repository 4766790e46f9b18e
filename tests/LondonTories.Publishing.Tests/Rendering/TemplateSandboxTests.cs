using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Templates;
using LondonTories.Publishing.Tests.Support;
using Scriban.Runtime;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>Templates see the documented model and nothing else, and a runaway template is an error, never a hang.</summary>
public sealed class TemplateSandboxTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task The_model_reaches_body_title_and_summary()
    {
        _site.Page("pages/model.md", "title: Register in {{ constituency.name }}\nsummary: Electors {{ constituency.electorate }}",
            "{{ constituency.slug }}|{{ constituency.gss_code }}|{{ constituency.boroughs | array.join \",\" }}|{{ constituency.tags | array.join \",\" }}|" +
            "{{ constituency.association.email }}|{{ constituency.data.council }}|{{ site.title }}|{{ site.base_url }}|{{ site.language }}|" +
            "{{ page.slug }}|{{ page.url }}|{{ language }}\n");

        await _site.PublishAsync();
        var html = _site.Output("web/battersea/model/index.html");

        Assert.Contains("<h1>Register in Battersea</h1>", html);
        Assert.Contains("Electors 72827", html);
        Assert.Contains("battersea|E14001081|Wandsworth|inner-london,south|office@battersea.example.org.uk|Wandsworth Council|London Conservatives|https://www.example.org.uk|en|model|https://www.example.org.uk/battersea/model/|en", html);
    }

    [Fact]
    public async Task An_unknown_variable_is_an_error_on_its_line()
    {
        _site.Page("pages/typo.md", "title: Typo", "First line.\n{{ constituency.nmae }}\n");

        var result = await _site.PublishAsync();

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-runtime", diagnostic.Code);
        Assert.Equal(5, diagnostic.Location.Line);
        Assert.Equal(5, diagnostic.Subjects.Length);
        Assert.Contains("(for battersea, beckenham-and-penge and 3 more)", diagnostic.ToString());
        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("{{ 1 / 0 }}")]
    [InlineData("{{ constituency.electorate / (constituency.electorate - constituency.electorate) }}")]
    [InlineData("{{ \"Share: \" + (0.0 / 0) }}")]
    [InlineData("{{ 10 // 0 }}")]
    public async Task A_calculation_that_divides_by_zero_is_an_error_on_its_line_not_infinity_on_the_page(string expression)
    {
        // It was published as "Infinity" (or "NaN") on every seat's page, without a word.
        _site.Page("pages/sums.md", "title: Sums", $"First line.\n{expression}\n");

        var result = await _site.PublishAsync();

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-runtime", diagnostic.Code);
        Assert.Equal(5, diagnostic.Location.Line);
        Assert.Contains("divide", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("zero", diagnostic.Hint, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
        Assert.False(_site.Exists("web/battersea/sums/index.html"));
    }

    [Fact]
    public async Task A_layout_that_divides_by_zero_is_an_error_in_the_layout()
    {
        _site.Page("pages/housing.md", "title: Housing");
        _site.Write("layouts/page.html", "<html><body><main>{{ content }}</main>\n<p>{{ 100 / 0 }}%</p><footer>{{ imprint.text }}</footer></body></html>\n");

        var result = await _site.PublishAsync();

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("template-runtime", diagnostic.Code);
        Assert.EndsWith("layouts/page.html", diagnostic.Location.Path, StringComparison.Ordinal);
        Assert.Equal(2, diagnostic.Location.Line);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task An_endless_loop_is_stopped_and_reported()
    {
        _site.Page("pages/loop.md", "title: Loop", "{{ while true }}x{{ end }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("loop.md") && d.Message.Contains("loop", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_regular_expression_that_runs_too_long_is_stopped_with_a_hint_and_not_run_again_in_the_same_publish()
    {
        // Each seat, and each page of a layout, waited for the pattern again: 74 s for the sample site
        // with such a pattern in a footer, and the engine's own words for it.
        var sandbox = new TemplateSandbox();
        var template = TextTemplate.Parse("Before.\n{{ name | regex.match \"^(a+)+$\" }}\n", SourceLocation.StartOf("pages/pattern.md"), new DiagnosticBag());
        var run = new DiagnosticBag();

        // Nested repeats over text that nearly matches: the engine backtracks past its limit.
        Assert.Null(sandbox.Render(template, new ScriptObject { ["name"] = new string('a', 40) + "!" }, run, "battersea"));
        var error = Assert.Single(run.ToImmutableSorted());
        Assert.Equal(("template-timeout", 2), (error.Code, error.Location.Line));
        Assert.Contains("regular expression", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Regex engine", error.Message, StringComparison.Ordinal);
        Assert.Contains("(a+)+", error.Hint, StringComparison.Ordinal);

        // Another seat's text would match at once, but the run has already failed on this template.
        Assert.Null(sandbox.Render(template, new ScriptObject { ["name"] = "aaa" }, run, "tooting"));
        Assert.Equal("battersea", Assert.Single(Assert.Single(run.ToImmutableSorted()).Subjects));

        // The next publish runs it again.
        Assert.Equal("Before.\n[\"aaa\", \"aaa\"]\n", sandbox.Render(template, new ScriptObject { ["name"] = "aaa" }, new DiagnosticBag(), "tooting"));
    }

    [Fact]
    public async Task Runaway_recursion_is_stopped_and_reported()
    {
        _site.Page("pages/recursion.md", "title: Recursion", "{{ func f; f; end; f }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("recursion.md"));
    }

    [Fact]
    public async Task Runaway_output_is_stopped_and_reported()
    {
        _site.Page("pages/output.md", "title: Output", "{{ for i in 1..900 }}{{ \"x\" | string.pad_right 1000 }}{{ end }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("output.md"));
    }

    [Fact]
    public async Task No_dotnet_object_or_wall_clock_is_reachable()
    {
        _site.Page("pages/escape.md", "title: Escape", "{{ date.now }}\n");
        _site.Page("pages/escape2.md", "title: Escape", "{{ constituency.GetType }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("escape.md"));
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("escape2.md"));
    }

    [Fact]
    public async Task Templates_cannot_change_the_shared_model()
    {
        _site.Page("pages/assign.md", "title: Assign", "{{ constituency.name = \"Hacked\" }}\n");
        _site.Page("pages/name.md", "title: Name", "Name: {{ constituency.name }}\n");

        var result = await _site.PublishAsync();

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("assign.md"));
        Assert.DoesNotContain("Hacked", string.Join("\n", result.Diagnostics.Select(d => d.Message)));
    }

    [Fact]
    public async Task Includes_are_not_allowed_in_pages()
    {
        _site.Page("pages/include.md", "title: Include", "{{ include \"../site.yaml\" }}\n");

        var result = await _site.PublishAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path.EndsWith("include.md"));
    }
}
