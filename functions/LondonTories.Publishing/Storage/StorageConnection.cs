using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using LondonTories.Publishing.Diagnostics;

namespace LondonTories.Publishing.Storage;

/// <summary>A storage account setting that cannot be used, with what to write instead.</summary>
public sealed class StorageConnectionException(string message) : Exception(message);

/// <summary>
/// How to reach the storage account: a connection string (<c>UseDevelopmentStorage=true</c> for
/// Azurite) or service URLs reached with an Entra ID credential, so that no account key is needed.
/// Never holds a key in <see cref="Description"/>, which is safe to print.
/// </summary>
public sealed class StorageConnection
{
    private readonly string? _connectionString;
    private readonly TokenCredential? _credential;

    private StorageConnection(string? connectionString, Uri? blobServiceUri, Uri? tableServiceUri, TokenCredential? credential, string description)
    {
        _connectionString = connectionString;
        BlobServiceUri = blobServiceUri;
        TableServiceUri = tableServiceUri;
        _credential = credential;
        Description = description;
    }

    /// <summary>The account as people may see it: its blob endpoint, without keys.</summary>
    public string Description { get; }

    public Uri? BlobServiceUri { get; }

    public Uri? TableServiceUri { get; }

    public bool UsesIdentity => _credential is not null;

    /// <summary>
    /// Reads what a user typed: a connection string, or the account's blob URL
    /// (<c>https://account.blob.core.windows.net</c>) to sign in with <see cref="DefaultAzureCredential"/>.
    /// </summary>
    public static StorageConnection Parse(string value)
    {
        value = value.Trim();
        if (value.Length == 0)
        {
            throw new StorageConnectionException("the storage connection is empty. Give a connection string, e.g. UseDevelopmentStorage=true, or an account URL such as https://account.blob.core.windows.net.");
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !value.Contains(';', StringComparison.Ordinal))
        {
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 1)
            {
                throw new StorageConnectionException(
                    $"the account URL {ShownUrl.Of(uri)} carries a password or a shared access signature, and an account URL signs in with your identity. " +
                    "Give the URL alone (https://account.blob.core.windows.net), or a connection string: BlobEndpoint=...;TableEndpoint=...;SharedAccessSignature=....");
            }

            return FromServiceUris(uri, TableUriFor(uri), new DefaultAzureCredential());
        }

        return FromConnectionString(value);
    }

    /// <summary>
    /// Reads the Functions convention for a storage setting: the setting itself holds a connection
    /// string, or its <c>__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c> and
    /// <c>__clientId</c> parts describe an identity-based connection. <paramref name="part"/> gives the
    /// value of a part by name (the empty name for the setting itself), or null when it is not set.
    /// </summary>
    public static StorageConnection FromSettings(string settingName, Func<string, string?> part)
    {
        if (part(string.Empty) is { Length: > 0 } connectionString)
        {
            try
            {
                return FromConnectionString(connectionString);
            }
            catch (StorageConnectionException exception)
            {
                throw new StorageConnectionException($"{settingName}: {exception.Message}");
            }
        }

        if (part("blobServiceUri") is not { Length: > 0 } blobText)
        {
            throw new StorageConnectionException(
                $"{settingName} is not set. Set it to a connection string, or set {settingName}__blobServiceUri and {settingName}__tableServiceUri to use the app's identity.");
        }

        var blobUri = ReadUri(blobText, $"{settingName}__blobServiceUri");
        var tableUri = part("tableServiceUri") is { Length: > 0 } tableText ? ReadUri(tableText, $"{settingName}__tableServiceUri") : TableUriFor(blobUri);
        var clientId = part("clientId") is { Length: > 0 } id ? id : null;
        TokenCredential credential = string.Equals(part("credential"), "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return FromServiceUris(blobUri, tableUri, credential);
    }

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions options) => _credential is null
        ? new BlobServiceClient(_connectionString, options)
        : new BlobServiceClient(BlobServiceUri, _credential, options);

    /// <summary>
    /// The client of the account's tables (the ledgers, the approvals). A connection string naming only
    /// the blob endpoint is refused here, when tables are first needed, with what to add; its
    /// signature is never repeated.
    /// </summary>
    public TableServiceClient CreateTableServiceClient(TableClientOptions options)
    {
        if (_credential is not null)
        {
            return new TableServiceClient(TableServiceUri, _credential, options);
        }

        if (TableServiceUri is null)
        {
            throw new StorageConnectionException(
                $"the connection string for {Description} names no table endpoint, and the site's ledgers and approvals are tables. " +
                "Add TableEndpoint=https://ACCOUNT.table.core.windows.net/ (with a shared access signature that also allows the Table service), or give the account's own connection string or its URL.");
        }

        return new TableServiceClient(_connectionString, options);
    }

    private static StorageConnection FromConnectionString(string connectionString)
    {
        BlobServiceClient blobs;
        try
        {
            blobs = new BlobServiceClient(connectionString);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new StorageConnectionException(
                "this is not a storage connection string. Copy it from the storage account's Access keys page, use UseDevelopmentStorage=true for Azurite, or give the account URL (https://account.blob.core.windows.net) to sign in with your identity.");
        }

        Uri? tables = null;
        try
        {
            tables = new TableServiceClient(connectionString).Uri;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            // A connection string may name only the blob endpoint: what needs no table still works, and
            // CreateTableServiceClient says what to add when a table is needed.
        }

        return new StorageConnection(connectionString, blobs.Uri, tables, null, Shown(blobs.Uri));
    }

    private static StorageConnection FromServiceUris(Uri blobs, Uri tables, TokenCredential credential) =>
        new(null, blobs, tables, credential, Shown(blobs) + " (signed in with an identity)");

    /// <summary>An endpoint as <see cref="Description"/> shows it: never with a password or a signature.</summary>
    private static string Shown(Uri endpoint) => $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}".TrimEnd('/');

    private static Uri ReadUri(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new StorageConnectionException($"{name} is not an http(s) URL such as https://account.blob.core.windows.net.");

    private static Uri TableUriFor(Uri blobUri)
    {
        var host = blobUri.Host;
        var at = host.IndexOf(".blob.", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            throw new StorageConnectionException(
                $"cannot tell the table endpoint of {ShownUrl.Of(blobUri)}: give a connection string, or an account URL of the form https://account.blob.core.windows.net.");
        }

        return new UriBuilder(blobUri) { Host = string.Concat(host.AsSpan(0, at), ".table.", host.AsSpan(at + ".blob.".Length)) }.Uri;
    }
}
