using LondonTories.Publishing.Social;

namespace LondonTories.Publishing.Preview;

/// <summary>
/// The key preview links are signed with: the secret <c>preview-link-key</c> of the project's secret
/// store (Key Vault in Azure, <c>LONDONTORIES_SECRET_PREVIEW_LINK_KEY</c> locally). It is read each time
/// a link is made or opened, so a rotated key takes effect at once and every link signed with the old
/// one stops working.
/// </summary>
public sealed class PreviewKeys(ISecretStore secrets)
{
    public const string SecretName = "preview-link-key";

    /// <summary>The links' signer, or why there is none; the problem never holds the secret's value.</summary>
    public async Task<(PreviewLinks? Links, string? Problem)> ReadAsync(CancellationToken cancellationToken)
    {
        var lookup = await secrets.GetAsync(SecretName, cancellationToken).ConfigureAwait(false);
        if (lookup.Value is not { } value)
        {
            return (null, $"Preview links need a signing key, and {lookup.Problem}.");
        }

        return PreviewLinks.FromBase64(value) is { } links
            ? (links, null)
            : (null, $"The secret '{SecretName}' in {secrets.Description} is not a base64 key of at least 32 bytes; set one, e.g. from 'openssl rand -base64 32'.");
    }
}
