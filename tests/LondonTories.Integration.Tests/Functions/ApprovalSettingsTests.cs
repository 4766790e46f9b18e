using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>Who may approve and what must be approved, as the app's settings, not site.yaml, say.</summary>
public sealed class ApprovalSettingsTests
{
    [Fact]
    public void The_approvers_and_what_needs_approval_are_read_from_the_settings()
    {
        var policy = AppSettingsFrom.Values(new()
        {
            [AppSettings.Approvers] = "0B5C6A1E-7D1F-4C55-9A57-3F1D2E9C8A01, 5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02",
            [AppSettings.ApprovalRequired] = "sponsored",
        }).ApprovalPolicy;

        Assert.Equal(["0b5c6a1e-7d1f-4c55-9a57-3f1d2e9c8a01", "5e2f9d3c-1a4b-4f6e-8c7d-2b1a0f9e8d02"], policy.Approvers!.Order(StringComparer.Ordinal));
        Assert.Equal((true, false, false), (policy.Sponsored, policy.Pages, policy.Unguarded));
        Assert.True(policy.Allows("5E2F9D3C-1A4B-4F6E-8C7D-2B1A0F9E8D02"));
        Assert.False(policy.Allows("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c03"));
        Assert.Equal("the app setting LONDONTORIES_APPROVERS", policy.Source);
    }

    [Fact]
    public void Without_approvers_site_yaml_decides_and_the_app_says_so()
    {
        var policy = AppSettingsFrom.Values([]).ApprovalPolicy;

        Assert.Null(policy.Approvers);
        Assert.Equal((false, false, true), (policy.Sponsored, policy.Pages, policy.Unguarded));
    }

    [Theory]
    [InlineData(AppSettings.Approvers, "priya@example.org", "LONDONTORIES_APPROVERS holds 'priya@example.org', which is not an Entra ID object id")]
    [InlineData(AppSettings.ApprovalRequired, "sponsored,posts", "LONDONTORIES_APPROVAL_REQUIRED holds 'posts'; set it to 'sponsored', 'pages', 'sponsored,pages' or leave it empty.")]
    public void A_setting_that_cannot_be_read_stops_the_app_naming_it(string setting, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AppSettingsFrom.Values(new() { [setting] = value }).ApprovalPolicy);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
