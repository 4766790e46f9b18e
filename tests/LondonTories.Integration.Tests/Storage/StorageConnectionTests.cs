using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Storage;

/// <summary>How the app and the CLI read a storage connection: a connection string, or identity-based settings.</summary>
public sealed class StorageConnectionTests
{
    [Fact]
    public void A_connection_string_in_AzureWebJobsStorage_is_used_as_it_is()
    {
        var connection = Read(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        Assert.False(connection.UsesIdentity);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", connection.Description);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableServiceUri);
    }

    [Fact]
    public void Identity_based_settings_give_service_URIs_and_no_key()
    {
        var connection = Read(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://londontories.blob.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.True(connection.UsesIdentity);
        Assert.Equal(new Uri("https://londontories.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://londontories.table.core.windows.net"), connection.TableServiceUri);
        Assert.Contains("identity", connection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_table_service_URI_wins_over_the_derived_one()
    {
        var connection = Read(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://blobs.example.net/",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://tables.example.net/",
        });

        Assert.Equal(new Uri("https://tables.example.net/"), connection.TableServiceUri);
    }

    [Fact]
    public void A_missing_setting_says_which_settings_to_give()
    {
        var exception = Assert.Throws<StorageConnectionException>(() => Read([]));

        Assert.Contains("AzureWebJobsStorage__blobServiceUri", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_URL_on_the_command_line_signs_in_with_an_identity()
    {
        var connection = StorageConnection.Parse("https://londontories.blob.core.windows.net");

        Assert.True(connection.UsesIdentity);
        Assert.Equal(new Uri("https://londontories.table.core.windows.net"), connection.TableServiceUri);
    }

    [Fact]
    public void A_connection_string_is_never_shown_with_its_key()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=https;AccountName=londontories;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net");

        Assert.Equal("https://londontories.blob.core.windows.net", connection.Description);
        Assert.DoesNotContain("c2VjcmV0", connection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_naming_only_blobs_reaches_blobs_and_says_what_tables_need()
    {
        var connection = StorageConnection.Parse("BlobEndpoint=http://127.0.0.1:1/a;SharedAccessSignature=sv=2022&sig=SECRETSIG");

        Assert.Equal("http://127.0.0.1:1/a", connection.Description);
        Assert.Null(connection.TableServiceUri);
        var exception = Assert.Throws<StorageConnectionException>(() => new SiteStorage(connection, new StorageOptions()));
        Assert.Contains("TableEndpoint=", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSIG", exception.Message, StringComparison.Ordinal);
    }

    private static StorageConnection Read(Dictionary<string, string?> settings) =>
        AppSettingsFrom.Values(settings).StorageConnection;
}
