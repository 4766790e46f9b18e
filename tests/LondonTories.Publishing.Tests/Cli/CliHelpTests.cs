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

    [Theory]
    [InlineData("validate", "--content", "--now")]
    [InlineData("publish", "--content", "--out", "--now", "--force", "--max-delete-share", "--grace", "--storage", "--content-storage", "--deliver")]
    [InlineData("posts", "--content", "--out", "--from", "--to", "--seat", "--now", "--grace", "--storage", "--confirm", "--retract")]
    [InlineData("spend", "--content", "--from", "--to", "--storage")]
    [InlineData("preview", "--content", "--port", "--now")]
    [InlineData("push", "--storage", "--content", "--force", "--max-delete-share")]
    public async Task Each_verbs_help_names_every_option_it_takes(string verb, params string[] options)
    {
        var run = await _site.RunCliAsync(verb, "--help");

        var usage = string.Concat(run.Stdout.Split('\n').TakeWhile(line => line.Length > 0));
        Assert.All(options, option => Assert.Matches($@"[\[ |]{option}[\] ]", usage));
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("publish")]
    [InlineData("posts")]
    [InlineData("spend")]
    [InlineData("preview")]
    [InlineData("push")]
    [InlineData("approve")]
    [InlineData("runs")]
    [InlineData("rollback")]
    public async Task Each_verbs_help_explains_only_the_values_it_takes(string verb)
    {
        var run = await _site.RunCliAsync(verb, "--help");

        var lines = run.Stdout.Split('\n');
        var usage = string.Concat(lines.TakeWhile(line => line.Length > 0));
        var rest = string.Join("\n", lines.SkipWhile(line => line.Length > 0));
        Assert.All(["TIME", "DIR", "SPAN", "CONNECTION"], value =>
            Assert.True(usage.Contains(value, StringComparison.Ordinal) == rest.Contains(value, StringComparison.Ordinal),
                $"{verb} --help: {value} is {(usage.Contains(value, StringComparison.Ordinal) ? "taken but not explained" : "explained but not taken")}"));
    }

    [Fact]
    public async Task Publish_to_storage_takes_the_grace_period_as_a_folder_publish_does()
    {
        var run = await _site.RunCliAsync("publish", "--help");

        var storageForm = Assert.Single(run.Stdout.Split('\n'), line => line.Contains("--storage CONNECTION", StringComparison.Ordinal) && !line.Contains("--out", StringComparison.Ordinal));
        Assert.Contains("[--grace SPAN]", storageForm);
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
