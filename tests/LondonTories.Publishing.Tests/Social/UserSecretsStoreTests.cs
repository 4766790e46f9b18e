using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Tests.Social;

/// <summary>Where the CLI looks for <c>dotnet user-secrets</c>: under the account's home folder, and nowhere else.</summary>
public sealed class UserSecretsStoreTests
{
    [Fact]
    public void The_file_lies_under_the_home_folder_where_dotnet_user_secrets_keeps_it()
    {
        var path = UserSecretsStore.PathFor("londontories-cli", "/home/editor");

        Assert.NotNull(path);
        Assert.StartsWith("/home/editor", path);
        Assert.EndsWith(Path.Combine("londontories-cli", "secrets.json"), path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/home")]
    public void An_account_without_a_home_folder_has_no_user_secrets_rather_than_a_file_in_the_working_folder(string home)
    {
        // The runtime names no home folder where HOME does not exist (a service account's /nonexistent):
        // a path built on that was relative, so a secrets file in whatever folder the run started in
        // (a content checkout) was read as the account's own.
        Assert.Null(UserSecretsStore.PathFor("londontories-cli", home));
    }

    [Fact]
    public async Task A_store_with_no_file_reports_each_secret_missing_and_why()
    {
        var store = new UserSecretsStore("londontories-cli", file: null, home: "");

        var lookup = await store.GetAsync("facebook-battersea", CancellationToken.None);

        Assert.Null(lookup.Value);
        Assert.Contains("home folder", lookup.Problem);
    }
}
