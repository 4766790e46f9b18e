using System.Text.Json.Nodes;

namespace LondonTories.Integration.Tests.Infrastructure;

/// <summary>Sign-in for approvals, and the history rollback restores from, as deployed.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class AccountabilityInfrastructureTests(CompiledInfrastructure infra)
{
    private const string AuthType = "Microsoft.Web/sites/config";

    private static JsonObject Authentication(DeploymentSnapshot snapshot) =>
        snapshot.OfType(AuthType).Single(c => DeploymentSnapshot.ShortName(c) == "authsettingsV2");

    [Fact]
    public void App_Service_authentication_signs_people_in_with_entra_id_and_leaves_anonymous_routes_anonymous()
    {
        var auth = Authentication(infra.AzdProd)["properties"]!;

        Assert.True(auth["platform"]?["enabled"]?.GetValue<bool>());
        Assert.False(auth["globalValidation"]?["requireAuthentication"]?.GetValue<bool>());
        Assert.Equal("AllowAnonymous", Arm.Text(auth["globalValidation"], "unauthenticatedClientAction"));
        var entra = auth["identityProviders"]?["azureActiveDirectory"];
        Assert.True(entra?["enabled"]?.GetValue<bool>());
        Assert.Equal(CompiledInfrastructure.SignInClientId, Arm.Text(entra?["registration"], "clientId"));
        Assert.Equal([$"api://{CompiledInfrastructure.SignInClientId}"], entra?["validation"]?["allowedAudiences"]?.AsArray().Select(a => (string?)a));
        Assert.False(auth["login"]?["tokenStore"]?["enabled"]?.GetValue<bool>());

        // No client secret: sign-in asserts itself with the app's user-assigned identity.
        var secretSetting = Arm.Text(entra?["registration"], "clientSecretSettingName");
        Assert.Equal("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID", secretSetting);
        var settings = infra.AzdProd.Single("Microsoft.Web/sites")["properties"]?["siteConfig"]?["appSettings"]?.AsArray().OfType<JsonObject>()
            .ToDictionary(s => Arm.Text(s, "name") ?? string.Empty, s => Arm.Text(s, "value"));
        Assert.Contains("clientId", settings![secretSetting!], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_sign_in_app_registration_authentication_is_off()
    {
        var auth = Authentication(infra.Dev)["properties"]!;

        Assert.False(auth["platform"]?["enabled"]?.GetValue<bool>());
    }

    [Fact]
    public void The_history_and_previews_containers_are_private_and_history_ages_out_after_the_configured_days()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var containers = snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToDictionary(DeploymentSnapshot.ShortName);
            Assert.Equal("None", Arm.Text(containers["history"]["properties"], "publicAccess"));
            Assert.Equal("None", Arm.Text(containers["previews"]["properties"], "publicAccess"));

            var rules = snapshot.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]?["policy"]?["rules"]?.AsArray().OfType<JsonObject>().ToList();
            var history = rules!.Single(r => Arm.Text(r, "name") == "age-out-history");
            Assert.Equal(["history/files/", "history/packs/"], history["definition"]?["filters"]?["prefixMatch"]?.AsArray().Select(p => (string?)p));
            Assert.Equal(180, history["definition"]?["actions"]?["baseBlob"]?["delete"]?["daysAfterModificationGreaterThan"]?.GetValue<int>());
        }
    }

    [Fact]
    public void Drafts_behind_preview_links_age_out_but_never_before_the_longest_a_link_may_last()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var rules = snapshot.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]?["policy"]?["rules"]?.AsArray().OfType<JsonObject>().ToList();
            var drafts = rules!.Single(r => r["definition"]?["filters"]?["prefixMatch"]?.AsArray().Select(p => (string?)p).Contains($"{LondonTories.Publishing.Preview.HostedPreview.DraftContainer}/drafts/") == true);
            Assert.True(drafts["enabled"]?.GetValue<bool>());
            var days = drafts["definition"]?["actions"]?["baseBlob"]?["delete"]?["daysAfterModificationGreaterThan"]?.GetValue<int>();
            Assert.InRange(days ?? 0, LondonTories.Publishing.Preview.PreviewLinks.MaxLifetime.TotalDays + 1, LondonTories.Publishing.Preview.PreviewLinks.MaxLifetime.TotalDays + 7);
        }
    }

    [Fact]
    public void The_preview_link_key_is_read_from_the_vault_and_is_never_an_app_setting()
    {
        foreach (var snapshot in new[] { infra.Dev, infra.AzdProd })
        {
            var settings = snapshot.Single("Microsoft.Web/sites")["properties"]?["siteConfig"]?["appSettings"]?.AsArray().OfType<JsonObject>()
                .ToDictionary(s => Arm.Text(s, "name") ?? string.Empty, s => Arm.Text(s, "value"));
            Assert.Matches(@"'keyVault-.*\.outputs\.uri\.value\]$", settings![LondonTories.Functions.AppSettings.KeyVaultUri]);
            Assert.DoesNotContain(settings.Keys, name => name.Contains("PREVIEW", StringComparison.OrdinalIgnoreCase));
        }
    }
}
