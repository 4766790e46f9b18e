namespace LondonTories.Publishing.Content;

/// <summary>
/// The rules for an association's email and website, which every page of its seat can carry: the
/// default footer writes the email into a mailto: link and a layout may link the website, so an
/// address a browser would not open as one (or would run, as javascript:) never reaches a page.
/// </summary>
public static class AssociationContact
{
    public const string EmailExample = "office@battersea.example.org.uk";

    public const string WebsiteExample = "https://battersea.example.org.uk";

    /// <summary>One address, local part and domain, with nothing a mailto: link would read as more addresses or as headers.</summary>
    public static bool IsEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "\"(),:;<>[\\]?&/".Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        var labels = email[(at + 1)..].Split('.');
        return labels.Length >= 2 && labels.All(label => label.Length > 0 && !label.StartsWith('-') && !label.EndsWith('-'));
    }

    /// <summary>An http or https address with a host, written out in full.</summary>
    public static bool IsWebsite(string website) =>
        (website.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || website.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && !website.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Host.Length > 0;
}
