using System.Text;
using Azure.Core;
using LondonTories.Cli;
using LondonTories.Integration.Tests.Approvals;
using LondonTories.Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Integration.Tests.Cli;

/// <summary><c>approve</c>, <c>runs</c> and <c>rollback</c> against Azurite, as an editor runs them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountabilityCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestContent _content = ApprovalTests.WithApprovers(new TestContent());
    private readonly string _connection = azurite.NewAccount();

    public void Dispose() => _content.Dispose();

    /// <summary>
    /// Stands in for the Azure CLI, which cannot sign in here: a token shaped as Entra ID issues it
    /// for the given user. The command reads only its claims; the storage account verifies real ones.
    /// </summary>
    internal sealed class SignedInAs(string objectId, string name) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new AccessToken($"{Part("""{"alg":"none"}""")}.{Part($$"""{"oid":"{{objectId}}","name":"{{name}}"}""")}.", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>As the Azure CLI's credential answers where the CLI is missing or no one has signed in.</summary>
    private sealed class NotSignedIn(string reason) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException(reason);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(TokenCredential? credential, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None, services =>
        {
            services.AddSingleton<TimeProvider>(new TestClock(TestContent.Now));
            if (credential is not null)
            {
                services.AddSingleton(credential);
            }
        });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("Azure CLI not installed")]
    [InlineData("Please run 'az login' to set up account")]
    public async Task Approve_without_a_signed_in_user_says_to_sign_in_with_the_azure_cli_and_records_nothing(string reason)
    {
        var (exit, _, error) = await RunAsync(new NotSignedIn(reason), "approve", "winter-fuel", "--storage", _connection, "--content", _content.Root);

        Assert.Equal(ExitCodes.Usage, exit);
        var first = error.Split('\n')[0];
        Assert.Equal($"error: approve records who approves, and could not tell who you are ({reason}). Sign in as yourself with the Azure CLI ('az login'): a connection string opens the storage account, but does not say who you are.", first);
        Assert.DoesNotContain("give a connection string", error, StringComparison.Ordinal);
        var posts = await RunAsync(null, "posts", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T12:00:00Z");
        Assert.Contains("    approval: awaiting approval;", posts.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Approve_records_the_signed_in_user_and_refuses_one_not_listed()
    {
        var refused = await RunAsync(new SignedInAs(ApprovalTests.StrangerId, "Someone Else"), "approve", "winter-fuel", "--storage", _connection, "--content", _content.Root);
        Assert.Equal(1, refused.Exit);
        Assert.Equal($"error: Someone Else ({ApprovalTests.StrangerId}) is not an approver in site.yaml; ask the site's editors to add them under 'approvers'.", refused.Error.Trim());

        var other = await RunAsync(new SignedInAs(ApprovalTests.BatterseaAgentId, "Sam"), "approve", "winter-fuel", "--seat", "bromley", "--storage", _connection, "--content", _content.Root);
        Assert.Equal(1, other.Exit);

        var before = await RunAsync(null, "posts", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T12:00:00Z");
        Assert.Contains("    approval: awaiting approval; Priya Shah (campaign agent) or Sam Okafor (Battersea agent) may approve it\n", before.Out.ReplaceLineEndings("\n"));

        var approved = await RunAsync(new SignedInAs(ApprovalTests.AgentId, "Priya Shah"), "approve", "winter-fuel", "--storage", _connection, "--content", _content.Root);
        Assert.Equal((0, string.Empty), (approved.Exit, approved.Error));
        Assert.Equal("Priya Shah (campaign agent) approved the post 'winter-fuel' for all 3 of its seats, as it stands now.", approved.Out.Trim());

        var after = await RunAsync(null, "posts", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T12:00:00Z");
        Assert.Matches("    approval: approved by Priya Shah \\(campaign agent\\) at 2026-11-30 12:0\\dZ\n", after.Out.ReplaceLineEndings("\n"));

        var publish = await RunAsync(null, "publish", "--content", _content.Root, "--storage", _connection, "--now", "2026-11-30T12:00:00Z");
        Assert.Equal(0, publish.Exit);
        Assert.Contains("Social posts: 3 filed as documents under social/", publish.Out);
    }

    [Fact]
    public async Task Runs_lists_the_runs_and_rollback_restores_one_of_them()
    {
        Assert.Equal(0, (await RunAsync(null, "publish", "--content", _content.Root, "--storage", _connection)).Exit);
        _content.Write("pages/topic-2.md", "---\ntitle: A mistake\n---\nWrong.\n");
        Assert.Equal(0, (await RunAsync(null, "publish", "--content", _content.Root, "--storage", _connection)).Exit);

        var runs = await RunAsync(null, "runs", "--storage", _connection);
        Assert.Equal(0, runs.Exit);
        var lines = runs.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Take(2), line => Assert.Contains($"cli       {Environment.UserName}", line));
        Assert.StartsWith("2 runs on ", lines[2], StringComparison.Ordinal);
        var firstRun = lines[1].Split("  ", StringSplitOptions.RemoveEmptyEntries)[1];

        var rollback = await RunAsync(null, "rollback", "--to", firstRun, "--storage", _connection, "--content", _content.Root);
        Assert.Equal((0, string.Empty), (rollback.Exit, rollback.Error));
        Assert.StartsWith($"Rolled back to run {firstRun}: ", rollback.Out);

        var unknown = await RunAsync(null, "rollback", "--to", "nosuchrun", "--storage", _connection);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("'runs' lists the runs that did", unknown.Error);
    }
}
