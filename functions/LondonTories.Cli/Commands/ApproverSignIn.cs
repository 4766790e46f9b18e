using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using LondonTories.Publishing.Approvals;

namespace LondonTories.Cli.Commands;

/// <summary>
/// Who is approving from the command line: the user signed in to the Azure CLI, as Entra ID's token
/// names them (<c>oid</c>, their object id, and <c>name</c>). The token is verified by the storage
/// account it is for; here it is only read.
/// </summary>
internal static class ApproverSignIn
{
    private static readonly string[] Scopes = ["https://storage.azure.com/.default"];

    public static async Task<SignedInUser> SignInAsync(TokenCredential? credential, CancellationToken cancellationToken)
    {
        AccessToken token;
        try
        {
            token = await (credential ?? new AzureCliCredential()).GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException exception)
        {
            throw NotSignedIn(StorageErrors.FirstLine(exception.Message));
        }

        var parts = token.Token.Split('.');
        if (parts.Length != 3)
        {
            throw NotSignedIn("the Azure CLI's token is not a JSON Web Token");
        }

        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        var root = claims.RootElement;
        if (!root.TryGetProperty("oid", out var oid) || oid.GetString() is not { Length: > 0 } objectId)
        {
            throw NotSignedIn("the Azure CLI's token names no user (no 'oid' claim)");
        }

        var name = root.TryGetProperty("name", out var n) ? n.GetString()
            : root.TryGetProperty("upn", out var upn) ? upn.GetString()
            : null;
        return new SignedInUser(objectId, name);
    }

    // Not a storage failure: storage may be open to a connection string, which says nothing of who is approving.
    private static UsageException NotSignedIn(string reason) =>
        new($"approve records who approves, and could not tell who you are ({reason}). Sign in as yourself with the Azure CLI ('az login'): a connection string opens the storage account, but does not say who you are.");

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
