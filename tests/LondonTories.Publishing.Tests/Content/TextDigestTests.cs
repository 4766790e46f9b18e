using System.Globalization;
using System.Text;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Tests.Content;

public sealed class TextDigestTests
{
    [Fact]
    public void Text_appended_piece_by_piece_has_the_digest_of_the_whole_text()
    {
        var random = new Random(20261130);
        string[] pieces = ["", "a", "Bethnal Green and Stepney", "বাংলা", "اردو", "émigré", "🗳️", "\0", "\n", new string('x', 700), new string('ß', 1500)];
        for (var round = 0; round < 500; round++)
        {
            var whole = new StringBuilder();
            var digest = new TextDigest();
            for (var i = random.Next(0, 30); i > 0; i--)
            {
                switch (random.Next(4))
                {
                    case 0:
                        var piece = pieces[random.Next(pieces.Length)];
                        whole.Append(piece);
                        digest.Append(piece);
                        break;
                    case 1:
                        var separator = "\n\0 ŵ"[random.Next(4)];
                        whole.Append(separator);
                        digest.Append(separator);
                        break;
                    case 2:
                        var number = random.NextInt64(-5_000_000_000, 5_000_000_000);
                        whole.Append(number.ToString(CultureInfo.InvariantCulture));
                        digest.Append(number);
                        break;
                    default:
                        digest.Append((string?)null);
                        break;
                }
            }

            Assert.Equal(Hashing.Sha256Hex(whole.ToString()), digest.ToHex());
        }
    }

    [Theory]
    [InlineData("7")]
    [InlineData("12e")]
    [InlineData("all")]
    public void A_digest_after_a_prefix_is_the_prefix_a_colon_and_the_digest(string prefix)
    {
        var plain = new TextDigest().Append("web/battersea/housing/index.html").Append('\n').Append(2026).ToHex();
        var prefixed = new TextDigest().Append("web/battersea/housing/index.html").Append('\n').Append(2026).ToHex(prefix);

        Assert.Equal($"{prefix}:{plain}", prefixed);
    }
}
