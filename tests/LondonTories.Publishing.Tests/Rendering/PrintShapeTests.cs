using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Templates;
using Scriban.Runtime;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>A template that only prints values by name is filled in without the engine, with exactly the engine's text and errors.</summary>
public sealed class PrintShapeTests
{
    private readonly TemplateSandbox _sandbox = new();

    private static ScriptObject Model(object? name = null) => new()
    {
        ["constituency"] = new ScriptObject
        {
            ["name"] = name ?? "Brentford & Isleworth",
            ["electorate"] = 72827,
            ["association"] = new ScriptObject { ["name"] = "Brentford Conservatives", ["email"] = "office@brentford.example.org.uk" },
            ["empty"] = null,
        },
        ["site"] = new ScriptObject { ["title"] = "London Conservatives" },
        ["language"] = "en",
    };

    [Theory]
    [InlineData("In {{ constituency.name }}, policy one.")]
    [InlineData("{{ constituency.name }}")]
    [InlineData("A {{ constituency.name }} and {{ constituency.name }} again, {{ language }}.\n")]
    [InlineData("Line one\n  {{~ constituency.name ~}}  \nline two {{- site.title -}} end\n")]
    [InlineData("Contact {{constituency.association.name}} at {{ constituency.association.email }}.")]
    [InlineData("{%{ {{ literal }} }%} {{ constituency.name }}")]
    [InlineData("Electors: {{ constituency.electorate }}")]
    [InlineData("Empty: [{{ constituency.empty }}]")]
    [InlineData("{{ constituency.name | string.upcase }}")]
    [InlineData("{{ if language == 'en' }}{{ constituency.name }}{{ end }}")]
    [InlineData("{{ constituency }} and {{ constituency.name }}")]
    public void Filling_in_gives_the_engines_text(string source)
    {
        var template = Parse(source);
        var viaEngine = _sandbox.RenderByEngine(template, Model(), new DiagnosticBag(), "battersea");

        Assert.Equal(viaEngine, _sandbox.Render(template, Model(), new DiagnosticBag(), "battersea"));
        Assert.NotNull(viaEngine);
    }

    [Fact]
    public void Only_a_template_that_prints_values_by_name_has_a_shape()
    {
        var shape = Parse("A {{ constituency.name }}, {{ language }} and {{ constituency.name }}.").ShapeFor(_sandbox);

        Assert.NotNull(shape);
        Assert.Equal(["A ", ", ", " and ", "."], shape.Pieces);
        Assert.Equal([0, 1, 0], shape.Printed);
        Assert.Equal(["constituency.name", "language"], shape.Paths.Select(p => string.Join('.', p)));
        Assert.Null(Parse("{{ constituency.name | string.upcase }}").ShapeFor(_sandbox));
        Assert.Null(Parse("{{ x = 1 }}{{ x }}").ShapeFor(_sandbox));
        Assert.Null(Parse("{{ for s in site }}{{ s }}{{ end }}").ShapeFor(_sandbox));
        Assert.Null(Parse($"{PrintShape.StandIn(0)} {{{{ language }}}}").ShapeFor(_sandbox));
    }

    [Fact]
    public void A_misspelt_name_is_reported_by_the_engine_as_before()
    {
        var template = Parse("First line.\n{{ constituency.nmae }}\n");
        var filled = new DiagnosticBag();
        var viaEngine = new DiagnosticBag();

        Assert.Null(_sandbox.Render(template, Model(), filled, "battersea"));
        Assert.Null(_sandbox.RenderByEngine(template, Model(), viaEngine, "battersea"));
        Assert.Equal(viaEngine.ToImmutableSorted().Select(d => d.ToString()), filled.ToImmutableSorted().Select(d => d.ToString()));
        Assert.Contains(filled.ToImmutableSorted(), d => d.Code == "template-runtime" && d.Location.Line == 3);
    }

    private static TextTemplate Parse(string source)
    {
        var bag = new DiagnosticBag();
        var template = TextTemplate.Parse(source, new SourceLocation("content/pages/p.md", 2, 1), bag);
        Assert.False(bag.HasErrors);
        return template;
    }
}
