using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>An association webhook names its signing secret by the same rule as channels.yaml: a Key Vault name, never a value.</summary>
public sealed class WebhookSecretNameTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private void WebhookSecret(string secret, string url = "https://battersea.example.org/hooks") =>
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace(
            "      name: Battersea Conservatives\n",
            $"      name: Battersea Conservatives\n      webhook: {{ url: \"{url}\", secret: {secret} }}\n",
            StringComparison.Ordinal));

    [Fact]
    public void A_valid_name_gives_the_seat_its_webhook()
    {
        WebhookSecret("webhook-battersea");

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        var webhook = content.Constituencies.Single(c => c.Slug == "battersea").Association.Webhook;
        Assert.Equal(("https://battersea.example.org/hooks", "webhook-battersea"), (webhook?.Url, webhook?.Secret));
        Assert.EndsWith("constituencies.yaml", webhook!.Location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_outside_the_shared_rule_is_refused_with_the_name_to_use_and_its_variable()
    {
        WebhookSecret("Battersea-Webhook");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("invalid-secret-name", error.Code);
        Assert.Contains("'webhook-battersea'", error.Hint, StringComparison.Ordinal);
        Assert.Contains("LONDONTORIES_SECRET_WEBHOOK_BATTERSEA", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signing_secret_written_in_place_of_its_name_is_refused_without_repeating_it()
    {
        const string value = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        WebhookSecret(value);

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("secret-value", error.Code);
        Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("secret: webhook-battersea", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_address_with_a_user_and_password_is_refused_without_repeating_them()
    {
        WebhookSecret("webhook-battersea", "https://alice:hunter2secret@battersea.example.org/hooks?key=topsecret");

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("credentials-in-url", error.Code);
        Assert.DoesNotContain("hunter2secret", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://battersea.example.org/hooks", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://169.254.169.254/metadata/instance")]
    [InlineData("https://192.168.0.10:8443/hooks")]
    [InlineData("https://[fd00::5]/hooks")]
    [InlineData("https://[::ffff:172.16.0.9]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    public void A_webhook_address_on_a_private_network_is_refused_at_its_line(string url)
    {
        WebhookSecret("webhook-battersea", url);

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("private-webhook", error.Code);
        Assert.EndsWith("constituencies.yaml", error.Location.Path, StringComparison.Ordinal);
        Assert.True(error.Location.Line > 1);
        Assert.Contains("public", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("https://203.0.113.7/hooks")]
    public void A_receiver_on_this_machine_for_trying_out_or_at_a_public_address_is_kept(string url)
    {
        WebhookSecret("webhook-battersea", url);

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(url, content.Constituencies.Single(c => c.Slug == "battersea").Association.Webhook?.Url);
    }
}
