using LondonTories.Publishing.Preview;

namespace LondonTories.Publishing.Tests.Preview;

public sealed class PreviewLinksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly PreviewLinks Links = new([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))]);

    /// <summary>Other spellings of <paramref name="token"/> that a lenient base64 reader takes for the same bytes.</summary>
    private static IEnumerable<string> Respellings(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        yield return token + "=";
        yield return token + "==";
        yield return token + " ";
        yield return token + "\n";
        yield return " " + token;
        yield return token[..dot] + "=." + token[(dot + 1)..];
        yield return token[..dot] + " ." + token[(dot + 1)..];
        yield return token[..(dot + 3)] + " " + token[(dot + 3)..];
        yield return token.Replace('-', '+').Replace('_', '/');
        // The last character of 43 carries 4 bits and 2 left over: these spell the same 32 bytes.
        var last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".IndexOf(token[^1], StringComparison.Ordinal);
        for (var spare = 1; spare < 4; spare++)
        {
            yield return token[..^1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[(last & ~3) | spare];
        }
    }

    [Fact]
    public void A_link_is_valid_only_as_it_was_signed_not_in_another_spelling_of_the_same_bytes()
    {
        // Payloads a byte apart in length, so that each length of padding base64 may need is tried.
        foreach (var seat in new[] { "x", "xy", "xyz", "bethnal-green" })
        {
            var token = Links.Sign(new PreviewGrant(seat, "en", Now, Now.AddHours(72), "pages/a>b?.md"));
            Assert.Equal(PreviewLinkStatus.Valid, Links.Check(token, Now, out _));

            foreach (var respelt in Respellings(token).Where(t => t != token))
            {
                Assert.True(PreviewLinkStatus.Forged == Links.Check(respelt, Now, out var grant), $"'{respelt}' passed for '{token}'");
                Assert.Null(grant);
            }
        }
    }

    [Fact]
    public void An_approve_buttons_token_is_valid_only_as_it_was_signed()
    {
        var token = Links.SignApproval("winter-fuel", "battersea", new string('a', 64), Now.AddHours(1));
        Assert.True(Links.CheckApproval(token, "winter-fuel", "battersea", new string('a', 64), Now));

        foreach (var respelt in Respellings(token).Where(t => t != token))
        {
            Assert.False(Links.CheckApproval(respelt, "winter-fuel", "battersea", new string('a', 64), Now), $"'{respelt}' passed for '{token}'");
        }
    }
}
