using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;
using LondonTories.Publishing.Templates;
using Scriban.Runtime;

namespace LondonTories.Publishing.Tests.Rendering;

/// <summary>
/// A layout written with text, printed values, if, for and include runs without the engine, with
/// exactly the engine's bytes, the same reads of the page list, and the engine's errors.
/// </summary>
public sealed class LayoutProgramTests
{
    private readonly TemplateSandbox _sandbox = new();

    private static ScriptObject[] Entries(int count) =>
    [
        .. Enumerable.Range(1, count).Select(i => new ScriptObject
        {
            ["title"] = i == 2 ? "Tom & \"Jerry\" <b>" : $"Page {i}",
            ["slug"] = $"page-{i}",
            ["summary"] = i == 3 ? null : $"Summary {i}",
            ["url"] = $"/battersea/page-{i}/",
        }),
    ];

    private static ScriptObject Model(PageListView pages, string? summary = "A summary") => new()
    {
        ["site"] = new ScriptObject { ["title"] = "London <Conservatives>", ["base_url"] = "https://example.org" },
        ["page"] = new ScriptObject { ["title"] = "Page 1", ["slug"] = "page-1", ["summary"] = summary, ["weight"] = 3 },
        ["pages"] = pages,
        ["translations"] = new ScriptArray { new ScriptObject { ["language"] = "en" }, new ScriptObject { ["language"] = "bn" } },
        ["empty"] = new ScriptArray(),
        ["nothing"] = null,
        ["flag"] = true,
        ["count"] = 2,
        ["name"] = "Battersea",
        ["blank"] = string.Empty,
        ["content"] = "<p>Body\nover lines</p>\n",
    };

    public static TheoryData<string> Supported =>
    [
        "<h1>{{ page.title | html.escape }}</h1>\n{{ content }}\n",
        "{{ if page.summary }}S:{{ page.summary }}{{ else if page.title == \"x\" }}T{{ else }}U{{ end }}",
        "{{~ if blank ~}}\n  empty string is true\n{{~ end ~}}\n{{- if nothing -}} no {{- else -}} null is false {{- end -}}|",
        "{{ if nothing }}a{{ else }}{{ if flag }}b{{ end }}{{ end }}",
        "<ul>\n{{~ for p in pages offset:1 limit:2 ~}}\n  <li>{{ p.title | html.escape }}</li>\n{{~ end ~}}\n</ul>",
        "{{ for p in pages limit:7 }}{{ if p.slug != page.slug }}[{{ p.url }}]{{ end }}{{ end }}",
        "{{ for second in pages offset:1 limit:1 }}more{{ end }}",
        "{{ for p in pages }}{{ p.slug }},{{ end }}",
        "{{ for t in translations }}{{ for u in translations }}{{ t.language }}{{ u.language }} {{ end }}{{ end }}",
        "{{ for x in empty }}never{{ end }}{{ for x in nothing }}never{{ end }}done",
        "{{ if translations.size > 1 }}many{{ end }}{{ if count >= 2 }} two{{ end }}{{ if 3 < count }} no{{ end }}{{ if count == 2 }} eq{{ end }}",
        "{{ if name != \"\" }}named{{ end }}{{ if name == nothing }}null{{ end }}{{ if \"b\" > \"a\" }} ordered{{ end }}",
        "[{{ flag }}][{{ count }}][{{ nothing }}][{{ blank | html.escape }}][{{ nothing | html.escape }}][{{ site.title | html.escape }}]",
        "{%{ {{ not code }} }%} {{ name }}",
        "{{ for page in pages limit:2 }}{{ page.title }};{{ end }}{{ page.title }}",
        "{{ pages.size }} pages",
        "{{ include \"partials/item.html\" }}\n{{ for p in pages limit:3 }}{{ include \"partials/item.html\" }}{{ end }}",
        "A\n{{~ include \"partials/nested.html\" ~}}\nB",
    ];

    public static TheoryData<string> Unsupported =>
    [
        "  {{ include \"partials/item.html\" }}\n",
        "{{ for p in pages }}{{ for.index }}{{ end }}",
        "{{ x = 1 }}{{ x }}",
        "{{ pages | array.size }}",
        "{{ name | string.upcase }}",
        "{{ for p in pages reversed }}{{ p.slug }}{{ end }}",
        "{{ if flag && count }}x{{ end }}",
        "{{ pages[0].title }}",
        "{{ capture x }}y{{ end }}{{ x }}",
        "{{ include \"partials/missing.html\" }}",
        "{{ include \"partials/loop.html\" }}",
    ];

    [Theory]
    [MemberData(nameof(Supported))]
    public void A_layout_runs_without_the_engine_with_the_engines_bytes_and_reads(string source)
    {
        var layouts = Layouts(source);
        var layout = layouts[LayoutSet.Page];
        var program = layouts.ProgramFor(layout);
        Assert.NotNull(program);

        foreach (var (count, summary) in new (int, string?)[] { (0, "A summary"), (1, null), (3, string.Empty), (9, "A summary") })
        {
            var (engineList, programList) = (new PageListView(Entries(count)), new PageListView(Entries(count)));
            var viaEngine = _sandbox.RenderByEngine(layout, Model(engineList, summary), new DiagnosticBag(), "battersea", layouts, count);
            var viaProgram = program.Render(Model(programList, summary), _sandbox.Builtins, TemplateSandbox.LoopLimit, TemplateSandbox.OutputLimit);

            Assert.NotNull(viaEngine);
            Assert.Equal(viaEngine, viaProgram);
            Assert.Equal(engineList.Read, programList.Read);
        }
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void A_layout_using_more_is_left_to_the_engine(string source)
    {
        var layouts = Layouts(source);
        var layout = layouts[LayoutSet.Page];

        Assert.Null(layouts.ProgramFor(layout));
        AssertRenderedAsByTheEngine(layouts, () => Model(new PageListView(Entries(3))), 3);
    }

    [Theory]
    [InlineData("{{ page.titel }}")]
    [InlineData("{{ undefined_name }}")]
    [InlineData("{{ nothing.title }}")]
    [InlineData("{{ page }}")]
    [InlineData("{{ translations }}")]
    [InlineData("{{ if name == count }}x{{ end }}")]
    [InlineData("{{ for c in name }}{{ c }}{{ end }}")]
    [InlineData("{{ site.base_url | html.escape }}{{ date.now }}")]
    public void What_a_layout_meets_at_run_time_and_the_program_does_not_treat_is_rendered_and_reported_by_the_engine(string source)
    {
        var layouts = Layouts(source);
        var layout = layouts[LayoutSet.Page];
        Assert.NotNull(layouts.ProgramFor(layout));

        AssertRenderedAsByTheEngine(layouts, () => Model(new PageListView(Entries(3))), 3);
    }

    [Fact]
    public void A_layout_past_the_loop_limit_is_stopped_by_the_engine_as_before()
    {
        var layouts = Layouts("{{ for a in pages }}{{ for b in pages }}{{ for c in pages }}.{{ end }}{{ end }}{{ end }}");
        var layout = layouts[LayoutSet.Page];
        Assert.NotNull(layouts.ProgramFor(layout));
        var diagnostics = new DiagnosticBag();

        Assert.Null(_sandbox.Render(layout, Model(new PageListView(Entries(11))), diagnostics, "battersea", layouts, 11));
        Assert.Contains(diagnostics.ToImmutableSorted(), d => d.Code == "template-runtime" && d.Message.Contains("limit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_that_names_a_function_the_program_stands_in_for_is_left_to_the_engine()
    {
        var model = Model(new PageListView(Entries(1)));
        model["html"] = new ScriptObject { ["escape"] = "not a function" };

        AssertRenderedAsByTheEngine(Layouts("{{ name | html.escape }}"), () => model, 1);
    }

    [Fact]
    public void The_built_in_page_layouts_run_as_programs()
    {
        var layouts = LayoutSet.Load([], new DiagnosticBag());

        // Every page of every seat is rendered through one of these; the golden files hold their bytes.
        Assert.NotNull(layouts.ProgramFor(layouts[LayoutSet.Page]));
        Assert.NotNull(layouts.ProgramFor(layouts[LayoutSet.NotFound]));
    }

    /// <summary>The page layout gives through <see cref="TemplateSandbox.Render"/> the engine's text and the engine's diagnostics.</summary>
    private void AssertRenderedAsByTheEngine(LayoutSet layouts, Func<ScriptObject> model, int items)
    {
        var layout = layouts[LayoutSet.Page];
        var (engine, rendered) = (new DiagnosticBag(), new DiagnosticBag());
        Assert.Equal(
            _sandbox.RenderByEngine(layout, model(), engine, "battersea", layouts, items),
            _sandbox.Render(layout, model(), rendered, "battersea", layouts, items));
        Assert.Equal(engine.ToImmutableSorted().Select(d => d.ToString()), rendered.ToImmutableSorted().Select(d => d.ToString()));
    }

    private static LayoutSet Layouts(string page)
    {
        var diagnostics = new DiagnosticBag();
        var layouts = LayoutSet.Load(
        [
            (LayoutSet.Page, "content/layouts/page.html", page),
            ("partials/item.html", "content/layouts/partials/item.html", "<i>{{ name }}</i>{{ for p in pages limit:1 }}{{ p.title | html.escape }}{{ end }}\n"),
            ("partials/nested.html", "content/layouts/partials/nested.html", "{{~ if flag ~}}\n  n:{{ include \"partials/item.html\" }}\n{{~ end ~}}\n"),
            // Under a condition, as one that includes itself wherever it is shown is an error when the layouts load.
            ("partials/loop.html", "content/layouts/partials/loop.html", "{{ if flag }}{{ include \"partials/loop.html\" }}{{ end }}"),
        ], diagnostics);
        Assert.False(diagnostics.HasErrors);
        return layouts;
    }
}
