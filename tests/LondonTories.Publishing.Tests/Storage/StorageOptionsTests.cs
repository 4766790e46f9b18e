using LondonTories.Publishing.Storage;
using Xunit;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Fact]
    public void The_retry_window_is_the_back_off_still_to_come_with_its_jitter_and_its_cap()
    {
        var options = new StorageOptions { MaxRetries = 6, RetryDelay = TimeSpan.FromMilliseconds(200) };

        // 0.2, 0.4, 0.8, 1.6, 3.2 and 6.4 s, each up to a fifth longer.
        Assert.Equal(12.6 * 1.2, options.RetryWindowAfter(0).TotalSeconds, 0.001);
        Assert.Equal(6.4 * 1.2, options.RetryWindowAfter(5).TotalSeconds, 0.001);
        Assert.Equal(TimeSpan.Zero, options.RetryWindowAfter(6));

        // A pause never exceeds the cap however many retries come before it.
        var many = new StorageOptions { MaxRetries = 10, RetryDelay = TimeSpan.FromSeconds(1) };
        Assert.Equal((1 + 2 + 4 + 8 + (6 * 10)) * 1.2, many.RetryWindowAfter(0).TotalSeconds, 0.001);
    }

    [Fact]
    public void After_a_timeout_each_attempt_still_to_come_may_wait_as_long_again()
    {
        var options = new StorageOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(100) };

        Assert.Equal(options.RetryWindowAfter(0) + (2 * StorageOptions.NetworkTimeout), options.RetryWindowAfter(0, timedOut: true));
    }
}
