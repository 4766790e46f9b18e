using LondonTories.Cli;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Cli;

/// <summary>Every verb has its own help and answers --version; a usage mistake shows that verb's usage only.</summary>
public sealed class CliHelpTests : IDisposable
{
    private static readonly string[] Verbs = ["validate", "publish", "posts", "spend", "preview", "push"];

    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    public static TheoryData<string, string> VerbsAndHelpFlags()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in Verbs)
        {
            data.Add(verb, "--help");
            data.Add(verb, "-h");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VerbsAndHelpFlags))]
    public async Task Each_verb_prints_its_own_help_and_exits_0(string verb, string flag)
    {
        var run = await _site.RunCliAsync(verb, flag);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.StartsWith($"Usage: londontories {verb} ", run.Stdout);
        Assert.All(Verbs.Where(v => v != verb), other => Assert.DoesNotContain($"londontories {other} ", run.Stdout));
        Assert.Contains("Exit codes:", run.Stdout);
    }

    [Fact]
    public async Task Help_wins_over_other_options_of_the_verb()
    {
        var run = await _site.RunCliAsync("publish", "--content", "nowhere", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("Usage: londontories publish ", run.Stdout);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("publish", "--version")]
    [InlineData("push", "--version")]
    [InlineData("validate", "--version")]
    public async Task Version_prints_one_line_and_exits_0(params string[] args)
    {
        var run = await _site.RunCliAsync(args);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"^londontories \d+\.\d+\.\d+\S*\n$", run.Stdout.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("publish", "--otu", "x")]
    [InlineData("publish", "--max-delete-share", "2")]
    [InlineData("posts", "--from", "soon")]
    [InlineData("validate", "stray")]
    [InlineData("push")]
    public async Task A_usage_mistake_prints_that_verbs_usage_only(params string[] args)
    {
        var run = await _site.RunCliAsync([.. args, "--content", _site.ContentDir]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains($"Usage: londontories {args[0]} ", run.Stderr);
        Assert.All(Verbs.Where(v => v != args[0]), other => Assert.DoesNotContain($"londontories {other} ", run.Stderr));
    }

    [Fact]
    public async Task An_unknown_verb_prints_every_verb_with_a_suggestion()
    {
        var run = await _site.RunCliAsync("pubish");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: unknown command 'pubish'. Did you mean 'publish'?", run.Stderr);
        Assert.All(Verbs, verb => Assert.Contains($"  {verb} ", run.Stderr));
    }

    [Theory]
    [InlineData("help", "publish")]
    [InlineData("help", "push")]
    public async Task Help_with_a_verb_prints_that_verbs_help(string help, string verb)
    {
        var run = await _site.RunCliAsync(help, verb);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith($"Usage: londontories {verb} ", run.Stdout);
    }
}
