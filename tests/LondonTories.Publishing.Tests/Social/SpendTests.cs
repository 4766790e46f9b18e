using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Social;

/// <summary>The spend verb: budgets per seat and in total against site.yaml's limits.</summary>
public sealed class SpendTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private void Setup(decimal budget)
    {
        _site.Write("site.yaml", TestSite.SiteYaml + """

            spend_limits:
              - name: Short campaign
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                fixed_gbp: 100
                per_elector_gbp: 0.001
                scope: seat
              - name: Paid social budget
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                fixed_gbp: 10000
                scope: total
            """);
        _site.Page("pages/help.md", "title: Help");
        _site.Write("social/paid.md", $"---\nschedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {{budget_gbp: {budget}, end: 2026-12-07T21:00}}\n---\nHelp is at hand.\n");
        _site.Write("social/outside.md", "---\nschedule: 2026-10-01T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 1000, end: 2026-10-07T21:00}\n---\nEarlier.\n");
    }

    [Fact]
    public async Task Validate_warns_of_a_limit_the_budgets_go_over_at_the_limits_line_as_spend_would_refuse_them()
    {
        // Only 'spend' said so: validate and publish called the content valid, and the posts were then held at their time.
        Setup(500);

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("site.yaml:10:5: warning: the spending limit 'Short campaign' is reached for battersea: £500.00 of £172.83 (289%).", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Sponsored posts over it are held, never sent; cut budgets or audiences ('spend' shows every figure). [spend-limit-reached]", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_says_nothing_of_spending_within_the_limits()
    {
        Setup(50);

        var run = await _site.RunCliAsync("validate", "--content", _site.ContentDir);

        Assert.DoesNotContain("spend-limit", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spend_within_the_limits_passes_and_sums_per_seat_and_in_total()
    {
        Setup(50);

        var run = await _site.RunCliAsync("spend", "--content", _site.ContentDir, "--from", "2026-11-01T00:00", "--to", "2027-01-01T00:00");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"battersea\s+£\s+50\.00", run.Stdout);
        Assert.Matches(@"total\s+£\s+50\.00", run.Stdout);
        Assert.Contains("ok: Short campaign", run.Stdout);
    }

    [Fact]
    public async Task Spend_without_a_window_says_it_covers_every_post_not_from_an_ellipsis_to_an_ellipsis()
    {
        Setup(50);

        var all = await _site.RunCliAsync("spend", "--content", _site.ContentDir);
        var from = await _site.RunCliAsync("spend", "--content", _site.ContentDir, "--from", "2026-11-01T00:00");
        var to = await _site.RunCliAsync("spend", "--content", _site.ContentDir, "--to", "2027-01-01T00:00");

        Assert.Equal(0, all.ExitCode);
        Assert.DoesNotContain("…", all.Stdout + from.Stdout + to.Stdout);
        Assert.StartsWith("Sponsored spend of every post, whenever scheduled:", all.Stdout);
        Assert.StartsWith("Sponsored spend from 2026-11-01 00:00 on (London time):", from.Stdout);
        Assert.StartsWith("Sponsored spend until 2027-01-01 00:00 (London time):", to.Stdout);
    }

    [Fact]
    public async Task Spend_names_the_window_by_the_site_clocks_where_they_are_not_London_ones()
    {
        Setup(50);
        _site.Write("site.yaml", File.ReadAllText(Path.Combine(_site.ContentDir, "site.yaml")).Replace("timezone: Europe/London", "timezone: Europe/Paris", StringComparison.Ordinal));

        var run = await _site.RunCliAsync("spend", "--content", _site.ContentDir, "--from", "2026-11-01T00:00", "--to", "2027-01-01T00:00");

        Assert.StartsWith("Sponsored spend from 2026-11-01 00:00 to 2027-01-01 00:00 (Europe/Paris time):", run.Stdout);
    }

    [Fact]
    public async Task Spend_over_80_percent_warns_and_at_the_limit_fails()
    {
        // Battersea's limit: £100 + 72,827 electors at 0.1p = £172.827.
        Setup(150);
        var near = await _site.RunCliAsync("spend", "--content", _site.ContentDir);
        Assert.Equal(0, near.ExitCode);
        Assert.Contains("warning: Short campaign", near.Stderr);
        Assert.Contains("battersea: £150.00 of £172.83 (87%): over 80% of the limit.", near.Stderr);

        Setup(173);
        var over = await _site.RunCliAsync("spend", "--content", _site.ContentDir);
        Assert.Equal(1, over.ExitCode);
        Assert.Contains("error: Short campaign", over.Stderr);
    }
    private void TotalLimitOf50(params (string Name, string Schedule, decimal Budget)[] posts)
    {
        _site.Write("site.yaml", TestSite.SiteYaml + """

            spend_limits:
              - name: Paid social budget
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                fixed_gbp: 50
                scope: total
            """);
        _site.Page("pages/help.md", "title: Help");
        foreach (var (name, schedule, budget) in posts)
        {
            _site.Write($"social/{name}.md", $"---\nschedule: {schedule}\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {{budget_gbp: {budget}, end: 2026-12-20T21:00}}\n---\nHelp is at hand.\n");
        }
    }

    [Fact]
    public async Task Spending_exactly_the_limit_is_a_warning_and_only_over_it_an_error()
    {
        TotalLimitOf50(("now", "2026-11-30T12:00", 25), ("later", "2026-12-10T09:00", 25));

        var at = await _site.RunCliAsync("spend", "--content", _site.ContentDir);

        Assert.Equal(0, at.ExitCode);
        Assert.Contains("warning: Paid social budget", at.Stderr);
        Assert.Contains("total: £50.00 of £50.00 (100%)", at.Stderr);
        Assert.DoesNotContain("error", at.Stderr);

        TotalLimitOf50(("now", "2026-11-30T12:00", 25), ("later", "2026-12-10T09:00", 25.01m));
        var over = await _site.RunCliAsync("spend", "--content", _site.ContentDir);
        Assert.Equal(1, over.ExitCode);
        Assert.Contains("error: Paid social budget", over.Stderr);
    }

    [Fact]
    public void A_post_is_held_only_when_the_spend_up_to_and_including_it_exceeds_the_limit()
    {
        // 'a-same' and 'b-same' share a time: the one ordered first is spent first.
        TotalLimitOf50(("early", "2026-11-30T09:00", 20), ("a-same", "2026-12-01T09:00", 20), ("b-same", "2026-12-01T09:00", 20), ("late", "2026-12-10T09:00", 5));
        var content = _site.Load();
        var seat = content.Constituencies.Single(c => c.Slug == "battersea");
        LimitCheck? Held(string id) => SpendReport.ExceededBy(content, content.Posts.Single(p => p.Id == id), seat);

        Assert.Null(Held("early"));
        Assert.Null(Held("a-same"));
        var held = Held("b-same");
        Assert.NotNull(held);
        Assert.Equal(60m, held.Spend);
        Assert.Equal(50m, held.Allowed);
        Assert.NotNull(Held("late"));
    }

    [Fact]
    public async Task A_limit_too_large_to_be_one_is_an_error_at_its_line_not_a_crash()
    {
        _site.Write("site.yaml", TestSite.SiteYaml + """

            spend_limits:
              - name: Short campaign
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                per_elector_gbp: 79228162514264337593543950335
            """);
        _site.Write("social/paid.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 40, end: 2026-12-07T21:00}\n---\nHelp is at hand.\n");

        var run = await _site.RunCliAsync("spend", "--content", _site.ContentDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"site\.yaml:\d+:\d+: error: per_elector_gbp '79228162514264337593543950335' is more than £1,000,000,000", run.Stderr.Replace('\\', '/'));
    }

    [Theory]
    [InlineData("8")]
    [InlineData("1.5")]
    public void A_rate_per_elector_of_pounds_rather_than_pence_is_a_warning_at_its_line(string written)
    {
        // Taken as it was: per_elector_gbp: 8, meant as 8p, set each seat's limit a hundred times too high.
        _site.Write("site.yaml", TestSite.SiteYaml + $"""

            spend_limits:
              - name: Short campaign
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                fixed_gbp: 11390
                per_elector_gbp: {written}
            """);

        var diagnostic = Assert.Single(_site.Load().Diagnostics);

        Assert.Equal((DiagnosticSeverity.Warning, "unlikely-limit"), (diagnostic.Severity, diagnostic.Code));
        Assert.Equal((14, 22), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"'{written}'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("0.08", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_electorate_below_zero_is_an_error_at_its_line_not_a_limit_below_nothing_that_any_spend_is_within()
    {
        // £11,390 + 0.08 × -272,827 electors would be a limit of £-10,436.16, against which £900,000 showed as within.
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace("electorate: 72827", "electorate: -272827"));
        _site.Write("site.yaml", TestSite.SiteYaml + """

            spend_limits:
              - name: Short campaign
                from: 2026-11-01T00:00
                to: 2027-01-01T00:00
                fixed_gbp: 11390
                per_elector_gbp: 0.08
            """);
        _site.Write("social/paid.md", "---\nschedule: 2026-11-30T09:00\nplatforms: [facebook]\naudience: [battersea]\napproved_by: Priya Shah\nsponsored: {budget_gbp: 900000, end: 2026-12-07T21:00}\n---\nHelp is at hand.\n");

        var run = await _site.RunCliAsync("spend", "--content", _site.ContentDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"constituencies\.yaml:\d+:\d+: error: electorate '-272827' is below zero", run.Stderr.Replace('\\', '/'));
        Assert.DoesNotContain("ok: Short campaign", run.Stdout);
    }
}
