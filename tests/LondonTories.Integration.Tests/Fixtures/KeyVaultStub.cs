using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using WireMock;
using WireMock.Matchers;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>
/// Key Vault's secrets REST API played by a WireMock.Net server over TLS, with its bearer challenge,
/// so that the real <see cref="SecretClient"/> reads and writes secrets as it does against Azure.
/// </summary>
public sealed class KeyVaultStub : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });

    public KeyVaultStub()
    {
        Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(new WildcardMatcher("/secrets/*"))).RespondWith(Response.Create().WithCallback(Answer));
    }

    public WireMockServer Server { get; } = WireMockServer.Start(new WireMockServerSettings
    {
        UseSSL = true,
        CertificateSettings = new WireMockCertificateSettings { X509Certificate = SelfSigned() },
    });

    /// <summary>Every value written, oldest first, by secret name.</summary>
    public ConcurrentQueue<(string Name, string Value)> Writes { get; } = new();

    public void Set(string name, string value) => _secrets[name] = value;

    public string? Get(string name) => _secrets.GetValueOrDefault(name);

    public SecretClient Client() => new(new Uri(Server.Url!), new FixedCredential(), new SecretClientOptions
    {
        DisableChallengeResourceVerification = true,
        Transport = new HttpClientTransport(_http),
        Retry = { MaxRetries = 0 },
    });

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        _http.Dispose();
    }

    /// <summary>A certificate made on the spot, so that a machine without a developer certificate can serve TLS.</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private ResponseMessage Answer(IRequestMessage request)
    {
        if (request.Headers is null || !request.Headers.ContainsKey("Authorization"))
        {
            var challenge = new ResponseMessage { StatusCode = 401 };
            challenge.AddHeader("WWW-Authenticate", """Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net" """.Trim());
            return challenge;
        }

        var name = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        if (request.Method == "PUT")
        {
            var value = JsonDocument.Parse(request.Body!).RootElement.GetProperty("value").GetString()!;
            _secrets[name] = value;
            Writes.Enqueue((name, value));
        }

        return _secrets.TryGetValue(name, out var current)
            ? Json(200, new { value = current, id = $"{Server.Url}/secrets/{name}/0f1e2d3c4b5a69788796a5b4c3d2e1f0", attributes = new { enabled = true } })
            : Json(404, new { error = new { code = "SecretNotFound", message = $"A secret with (name/id) {name} was not found in this key vault." } });
    }

    private static ResponseMessage Json(int status, object body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
        };
        response.AddHeader("Content-Type", "application/json; charset=utf-8");
        return response;
    }

    /// <summary>The app's identity, as Azure would issue it: the stub checks only that one is presented.</summary>
    private sealed class FixedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("vault-access-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
