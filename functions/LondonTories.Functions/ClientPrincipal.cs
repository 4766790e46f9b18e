using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using LondonTories.Publishing.Approvals;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Functions;

/// <summary>
/// The user App Service authentication signed in, from the headers it sets on each request after
/// verifying the sign-in (and strips from what clients send): never an identity the caller asserts.
/// </summary>
internal static class ClientPrincipal
{
    public const string IdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string NameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string IdentityProviderHeader = "X-MS-CLIENT-PRINCIPAL-IDP";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>
    /// Set by App Service itself (not by the app's settings) when its authentication is on. Without
    /// it nothing strips the headers above from callers' requests, so they prove nothing.
    /// </summary>
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public static bool IsVerified(IConfiguration? configuration) =>
        string.Equals(configuration?[EnabledSetting], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The gate of a route a signed-in user acts through: sign-in must be on, the request must come from
    /// this app's own pages (see <see cref="FromAnotherSite"/>), so another site cannot act through a
    /// signed-in user's browser, and somebody must have signed in.
    /// </summary>
    public static bool TrySignIn(HttpRequest request, IConfiguration? configuration, SignInWording wording,
        [NotNullWhen(true)] out SignedInUser? user, [NotNullWhen(false)] out IActionResult? refusal)
    {
        user = null;
        if (!IsVerified(configuration))
        {
            refusal = HttpAnswers.Problem(request, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                $"Sign-in (App Service authentication) is not on for this app, so nobody's identity can be verified here; {wording.Instead}");
            return false;
        }

        if (FromAnotherSite(request))
        {
            refusal = HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden", wording.OtherSite);
            return false;
        }

        user = From(request);
        refusal = user is null
            ? HttpAnswers.Problem(request, StatusCodes.Status401Unauthorized, "Unauthorized", $"Sign in with your organisation's Microsoft account to {wording.Action}.")
            : null;
        return user is not null;
    }

    /// <summary>
    /// True when the browser says the request comes from a page of another site: by its Origin, or,
    /// from a browser that sends none with a form's POST, by Sec-Fetch-Site or the Referer. A request
    /// naming no page at all (a script, the CLI) is not a browser acting for its user unawares.
    /// </summary>
    private static bool FromAnotherSite(HttpRequest request)
    {
        bool Elsewhere(string address) =>
            !Uri.TryCreate(address, UriKind.Absolute, out var uri) || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

        if (request.Headers.Origin.FirstOrDefault() is { Length: > 0 } origin)
        {
            return Elsewhere(origin);
        }

        // A sibling subdomain is "same-site" but another site's pages all the same.
        if (request.Headers["Sec-Fetch-Site"].FirstOrDefault() is "cross-site" or "same-site")
        {
            return true;
        }

        return request.Headers.Referer.FirstOrDefault() is { Length: > 0 } referer && Elsewhere(referer);
    }

    /// <summary>The signed-in Entra ID user, or null when nobody signed in.</summary>
    public static SignedInUser? From(HttpRequest request)
    {
        var idp = request.Headers[IdentityProviderHeader].FirstOrDefault();
        if (idp is { Length: > 0 } && idp != "aad")
        {
            return null;
        }

        var claims = Claims(request.Headers[PrincipalHeader].FirstOrDefault());
        var id = request.Headers[IdHeader].FirstOrDefault() is { Length: > 0 } header ? header : claims.GetValueOrDefault(ObjectIdClaim) ?? claims.GetValueOrDefault("oid");
        if (id is not { Length: > 0 })
        {
            return null;
        }

        var name = claims.GetValueOrDefault("name") ?? request.Headers[NameHeader].FirstOrDefault();
        return new SignedInUser(id, name);
    }

    /// <summary>
    /// Who asked, for the run ledger: the signed-in user's name, or the function key. The headers name
    /// somebody only when sign-in is on; otherwise they are whatever the key's holder chose to send.
    /// </summary>
    public static string RequestedBy(HttpRequest request, IConfiguration? configuration) =>
        IsVerified(configuration) && From(request) is { } user ? user.Name ?? user.ObjectId : "function key";

    private static Dictionary<string, string> Claims(string? encoded)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        if (encoded is not { Length: > 0 })
        {
            return claims;
        }

        try
        {
            // JSON of another shape than the one App Service writes names nobody, as text that is not JSON does: it is no server error.
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var claim in list.EnumerateArray())
                {
                    if (claim.ValueKind == JsonValueKind.Object && claim.TryGetProperty("typ", out var typ) && claim.TryGetProperty("val", out var val)
                        && typ.ValueKind == JsonValueKind.String && val.ValueKind == JsonValueKind.String && typ.GetString() is { } type && val.GetString() is { } value)
                    {
                        claims.TryAdd(type, value);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
        }

        return claims;
    }
}

/// <summary>What a signed-in route says when it refuses: what to do instead, why another site is refused, and the act to sign in for.</summary>
internal sealed record SignInWording(string Instead, string OtherSite, string Action);
