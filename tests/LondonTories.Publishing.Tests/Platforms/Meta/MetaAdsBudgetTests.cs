using LondonTories.Publishing.Platforms;
using LondonTories.Publishing.Platforms.Meta;

namespace LondonTories.Publishing.Tests.Platforms.Meta;

public sealed class MetaAdsBudgetTests
{
    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("79228162514264337593543950335")]
    public async Task A_budget_too_large_for_pence_is_refused_before_anything_is_sent(string pounds)
    {
        // It overflowed into an exception, which delivery can only read as a send that may have reached Meta.
        using var handler = new Refusing();
        using var http = new HttpClient(handler);
        var ads = new MetaAds(new GraphCaller(http, TimeProvider.System, "facebook"));
        var ad = new SponsoredAd(decimal.Parse(pounds, System.Globalization.CultureInfo.InvariantCulture),
            new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 8, 21, 0, 0, TimeSpan.Zero), 51.4643, -0.1637, 3.5, "Battersea Conservatives");
        var delivery = new Delivery("post-potholes-battersea-en-facebook", "battersea-facebook", "facebook", new Uri("https://graph.facebook.com"),
            new Dictionary<string, string> { ["page_id"] = "104729", ["ad_account_id"] = "act_5550001" }, "Potholes.", null, "en", null, ad, "{}"u8.ToArray());

        var result = await ads.RunAsync(delivery, "104729", "token", CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
        Assert.Contains("battersea-facebook", result.Error, StringComparison.Ordinal);
        Assert.Contains("budget", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    private sealed class Refusing : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException("no request may be sent");
        }
    }
}
