namespace LondonTories.Publishing.Content;

/// <summary>
/// Content names its secrets, never holds them: the secret <c>facebook-battersea</c> is that name in Key
/// Vault and, where there is no vault, the environment variable <c>LONDONTORIES_SECRET_FACEBOOK_BATTERSEA</c>,
/// so names chosen for Key Vault work unchanged on a laptop or in a workflow.
/// </summary>
public static class SecretNames
{
    public const string EnvironmentPrefix = "LONDONTORIES_SECRET_";

    public static string EnvironmentVariable(string name) => EnvironmentPrefix + name.ToUpperInvariant().Replace('-', '_');
}
