using System.Text.Json;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>A secret looked up by name: its value, or why there is none. <see cref="Problem"/> never holds the value.</summary>
public sealed record SecretLookup(string? Value, string? Problem)
{
    public static SecretLookup Found(string value) => new(value, null);

    public static SecretLookup Missing(string problem) => new(null, problem);
}

/// <summary>Channel secrets (tokens, app passwords, signing keys) by the names channels.yaml gives them.</summary>
public interface ISecretStore
{
    /// <summary>Where secrets come from, for messages: never a value.</summary>
    string Description { get; }

    Task<SecretLookup> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>The store keeps new values: checked before a platform is asked for a token that replaces the stored one.</summary>
    bool Writable => false;

    /// <summary>Keeps a new value under a name, for a token its platform replaced: null when kept, otherwise why not (never the value).</summary>
    Task<string?> SetAsync(string name, string value, CancellationToken cancellationToken) =>
        Task.FromResult<string?>($"{Description} cannot be written by the app");
}

/// <summary>Azure Key Vault through the app's identity: the secret of that name, its current version.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public string Description => $"Key Vault {client.VaultUri}";

    public bool Writable => true;

    public async Task<string?> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetSecretAsync(name, value, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException exception) when (exception.Status is 401 or 403)
        {
            return $"{Description} refused to store a new version of the secret '{name}' ({exception.Status}): the app's identity needs the Key Vault Secrets Officer role on the vault";
        }
        catch (RequestFailedException exception)
        {
            return $"{Description} could not store a new version of the secret '{name}' ({exception.Status} {exception.ErrorCode})";
        }
        catch (Azure.Identity.AuthenticationFailedException)
        {
            return $"no Azure identity could sign in to {Description} to store the secret '{name}'";
        }
    }

    public async Task<SecretLookup> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secret.Value.Value is { Length: > 0 } value ? SecretLookup.Found(value) : SecretLookup.Missing($"the secret '{name}' in {Description} is empty");
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return SecretLookup.Missing($"there is no secret '{name}' in {Description}");
        }
        catch (RequestFailedException exception) when (exception.Status is 401 or 403)
        {
            return SecretLookup.Missing($"{Description} refused to read the secret '{name}' ({exception.Status}): the app's identity needs the Key Vault Secrets Officer role on the vault");
        }
        catch (RequestFailedException exception)
        {
            return SecretLookup.Missing($"{Description} could not be read for the secret '{name}' ({exception.Status} {exception.ErrorCode})");
        }
        catch (Azure.Identity.AuthenticationFailedException)
        {
            return SecretLookup.Missing($"no Azure identity could sign in to {Description} for the secret '{name}'");
        }
    }
}

/// <summary>
/// Environment variables: the secret <c>facebook-battersea</c> is <c>LONDONTORIES_SECRET_FACEBOOK_BATTERSEA</c>,
/// so names chosen for Key Vault work unchanged on a laptop or in a workflow.
/// </summary>
public sealed class EnvironmentSecretStore : ISecretStore
{
    public const string Prefix = SecretNames.EnvironmentPrefix;

    public string Description => "environment variables";

    public static string VariableFor(string name) => SecretNames.EnvironmentVariable(name);

    public Task<SecretLookup> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Environment.GetEnvironmentVariable(VariableFor(name)) is { Length: > 0 } value
            ? SecretLookup.Found(value)
            : SecretLookup.Missing($"the environment variable {VariableFor(name)} is not set"));
}

/// <summary>
/// <c>dotnet user-secrets</c> of a project: the JSON file the tool keeps outside the repository, keyed
/// by the secret's name (<c>dotnet user-secrets set facebook-battersea … --project functions/LondonTories.Cli</c>).
/// </summary>
/// <param name="home">The folder the tool keeps its files under (the account's application data on Windows, its home folder elsewhere); by default the account's own.</param>
public sealed class UserSecretsStore(string userSecretsId, string? file = null, string? home = null) : ISecretStore
{
    /// <summary>The secrets file, or null where the account has no home folder to keep one in.</summary>
    public string? File { get; } = file ?? PathFor(userSecretsId, home ?? Environment.GetFolderPath(OperatingSystem.IsWindows() ? Environment.SpecialFolder.ApplicationData : Environment.SpecialFolder.UserProfile));

    public string Description => "dotnet user-secrets";

    /// <summary>
    /// Where the tool keeps a project's secrets under <paramref name="home"/>; null where that is no
    /// folder (the runtime names none where HOME does not exist), rather than a path the folder a run
    /// starts in would complete, and a file there be read as the account's secrets.
    /// </summary>
    public static string? PathFor(string userSecretsId, string home) =>
        !Path.IsPathFullyQualified(home) ? null
        : OperatingSystem.IsWindows() ? Path.Combine(home, "Microsoft", "UserSecrets", userSecretsId, "secrets.json")
        : Path.Combine(home, ".microsoft", "usersecrets", userSecretsId, "secrets.json");

    public async Task<SecretLookup> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (File is null)
        {
            return SecretLookup.Missing($"no user secret '{name}' (this account has no home folder to keep user secrets in)");
        }

        if (!System.IO.File.Exists(File))
        {
            return SecretLookup.Missing($"no user secret '{name}' (no user-secrets file yet)");
        }

        try
        {
            await using var stream = System.IO.File.OpenRead(File);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
                ? SecretLookup.Found(text)
                : SecretLookup.Missing($"no user secret '{name}'");
        }
        catch (JsonException)
        {
            return SecretLookup.Missing($"the user-secrets file is not valid JSON, so the secret '{name}' cannot be read");
        }
    }
}

/// <summary>Several stores in order: the first that has the secret answers; otherwise every store's reason is given.</summary>
public sealed class ChainedSecretStore(IReadOnlyList<ISecretStore> stores) : ISecretStore
{
    public string Description => string.Join(", ", stores.Select(s => s.Description));

    // A value kept in one store but shadowed by an older one earlier in the chain would be read back stale.
    public bool Writable => stores.Count > 0 && stores.All(s => s.Writable);

    public async Task<string?> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        foreach (var store in stores)
        {
            if (await store.SetAsync(name, value, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public async Task<SecretLookup> GetAsync(string name, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var store in stores)
        {
            var lookup = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (lookup.Value is not null)
            {
                return lookup;
            }

            problems.Add(lookup.Problem ?? $"not in {store.Description}");
        }

        return SecretLookup.Missing(string.Join("; ", problems));
    }
}
