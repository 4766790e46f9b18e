using LondonTories.Publishing.Tests.Support;

namespace LondonTories.Publishing.Tests.Content;

/// <summary>
/// An association's email and website reach every page of its seat (the footer's mailto: link, and
/// any layout that links the website), so an address that is no address is an error at its value.
/// </summary>
public sealed class AssociationContactTests : IDisposable
{
    private readonly TestSite _site = new();

    public void Dispose() => _site.Dispose();

    private void Battersea(string key, string value) =>
        _site.Write("constituencies.yaml", TestSite.ConstituenciesYaml.Replace(
            key == "email" ? "      email: office@battersea.example.org.uk\n" : "      website: https://battersea.example.org.uk\n",
            $"      {key}: \"{value}\"\n",
            StringComparison.Ordinal));

    // Battersea is the first seat, so the first such line is its own.
    private int LineOf(string key) =>
        Array.FindIndex(File.ReadAllLines(Path.Combine(_site.ContentDir, "constituencies.yaml")), l => l.TrimStart().StartsWith(key, StringComparison.Ordinal)) + 1;

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("battersea.example.org.uk")]
    [InlineData("//battersea.example.org.uk")]
    [InlineData("https://")]
    [InlineData("https://battersea example.org.uk")]
    public void A_website_that_is_not_an_http_or_https_address_with_a_host_is_an_error_at_its_value(string website)
    {
        Battersea("website", website);

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("invalid-website", error.Code);
        Assert.EndsWith("constituencies.yaml", error.Location.Path, StringComparison.Ordinal);
        Assert.Equal(LineOf("website:"), error.Location.Line);
        Assert.Contains("https://", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://battersea.example.org.uk/about/")]
    [InlineData("http://battersea-conservatives.example.com")]
    [InlineData("")]
    public void A_website_at_an_address_a_browser_opens_or_none_is_kept(string website)
    {
        Battersea("website", website);

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(website, content.Constituencies.Single(c => c.Slug == "battersea").Association.Website);
    }

    [Theory]
    [InlineData("office at battersea.example.org.uk")]
    [InlineData("office@")]
    [InlineData("@battersea.example.org.uk")]
    [InlineData("office@battersea")]
    [InlineData("office@@battersea.example.org.uk")]
    [InlineData("office@battersea.example.org.uk?bcc=someone@example.com")]
    [InlineData("office@battersea.example.org.uk, other@example.com")]
    public void An_email_that_is_not_one_address_is_an_error_at_its_value(string email)
    {
        Battersea("email", email);

        var error = Assert.Single(_site.Load().Diagnostics, d => d.IsError);

        Assert.Equal("invalid-email", error.Code);
        Assert.Equal(LineOf("email:"), error.Location.Line);
        Assert.Contains("office@battersea.example.org.uk", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("office@battersea.example.org.uk")]
    [InlineData("Battersea.Office+web@example.co.uk")]
    [InlineData("")]
    public void One_address_or_none_is_kept(string email)
    {
        Battersea("email", email);

        var content = _site.Load();

        Assert.DoesNotContain(content.Diagnostics, d => d.IsError);
        Assert.Equal(email, content.Constituencies.Single(c => c.Slug == "battersea").Association.Email);
    }
}
