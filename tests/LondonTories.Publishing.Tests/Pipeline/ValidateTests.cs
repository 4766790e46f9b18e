using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LondonTories.Publishing.Tests.Pipeline;

/// <summary>Validation renders every page of every seat as a publish would, so it stops as a publish does.</summary>
public sealed class ValidateTests : IDisposable
{
    private readonly TestSite _site = new();

    public ValidateTests()
    {
        for (var i = 0; i < 40; i++)
        {
            _site.Page($"pages/p{i:000}.md", $"title: Page {i}", "Text for {{ constituency.name }}.\n");
        }
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public void A_validation_that_is_stopped_stops_rather_than_rendering_the_site_first()
    {
        var publisher = TestSite.Services.GetRequiredService<Publisher>();
        var content = _site.Load();
        Assert.Empty(publisher.Validate(content, TestSite.Now, CancellationToken.None).Where(d => d.IsError));

        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => publisher.Validate(content, TestSite.Now, stopped.Token));
    }
}
