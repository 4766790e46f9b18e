using LondonTories.Functions;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing.Storage;

namespace LondonTories.Integration.Tests.Functions;

/// <summary>The app packs again what the site holds after half the history's retention, so the lifecycle rule never takes it first.</summary>
public sealed class HistorySettingsTests
{
    private static StorageOptions Configured(Dictionary<string, string?> values)
    {
        var options = new StorageOptions();
        AppSettingsFrom.Values(values).ConfigureStorage(options);
        return options;
    }

    [Fact]
    public void The_app_packs_again_after_half_the_retention_it_is_given_and_after_90_days_by_default()
    {
        Assert.Equal(TimeSpan.FromDays(15), Configured(new() { [AppSettings.HistoryRetentionDays] = "30" }).RepackHistoryAfter);
        Assert.Equal(TimeSpan.FromDays(90), Configured([]).RepackHistoryAfter);
    }

    [Fact]
    public void A_retention_that_is_not_a_number_of_days_is_named_with_the_fix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(new() { [AppSettings.HistoryRetentionDays] = "six months" }));

        Assert.Equal("HISTORY_RETENTION_DAYS is 'six months'; set it to a whole number of days, such as 180.", error.Message);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("1.5")]
    public void A_grace_period_given_as_a_bare_number_is_named_with_the_fix_not_read_as_days(string grace)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(new() { [AppSettings.SocialGracePeriod] = grace }));

        Assert.Equal($"SOCIAL_GRACE_PERIOD is '{grace}'; set it to a time span such as 06:00:00 (six hours).", error.Message);
        Assert.Equal(TimeSpan.FromHours(6), Configured(new() { [AppSettings.SocialGracePeriod] = "06:00:00" }).SocialGracePeriod);
    }

    [Theory]
    [InlineData("401.00:00:00")]
    [InlineData("10675199.02:48:05")]
    public void A_grace_period_longer_than_the_CLI_takes_is_named_with_the_fix_not_a_window_reaching_past_the_dates_a_clock_holds(string grace)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(new() { [AppSettings.SocialGracePeriod] = grace }));

        Assert.Equal($"SOCIAL_GRACE_PERIOD is '{grace}', longer than 400 days; set it to a time span such as 06:00:00 (six hours).", error.Message);
        Assert.Equal(TimeSpan.FromDays(400), Configured(new() { [AppSettings.SocialGracePeriod] = "400.00:00:00" }).SocialGracePeriod);
    }

    [Theory]
    [InlineData("48:00:00", "2.00:00:00")]
    [InlineData("24:00", "1.00:00:00")]
    [InlineData("36:30:00", "1.12:30:00")]
    public void A_grace_period_of_a_day_or_more_written_in_hours_is_named_with_the_fix_not_read_as_days(string grace, string meant)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(new() { [AppSettings.SocialGracePeriod] = grace }));

        Assert.Equal($"SOCIAL_GRACE_PERIOD is '{grace}', but hours stop at 23: set it to {meant} (days.hours:minutes:seconds).", error.Message);
        Assert.Equal(TimeSpan.Parse(meant, System.Globalization.CultureInfo.InvariantCulture), Configured(new() { [AppSettings.SocialGracePeriod] = meant }).SocialGracePeriod);
    }
}
