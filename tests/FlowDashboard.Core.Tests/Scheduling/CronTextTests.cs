using FlowDashboard.Scheduling;

namespace FlowDashboard.Core.Tests.Scheduling;

public sealed class CronTextTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Next_DailyAcrossSpringForwardInBerlin_FiresOnceADayAtTheShiftedUtcTime()
    {
        var cron = Parse("30 2 * * *");

        var times = cron.Next(Utc(2026, 3, 27, 12, 0), Berlin, 4);

        // 02:30 does not exist on March 29 (02:00 jumps to 03:00): that day it fires when the gap ends.
        Assert.Equal([Utc(2026, 3, 28, 1, 30), Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 30, 0, 30), Utc(2026, 3, 31, 0, 30)], times);
    }

    [Fact]
    public void Next_DailyAcrossFallBackInBerlin_FiresOnlyOnceOnTheDoubledHour()
    {
        var cron = Parse("30 2 * * *");

        var times = cron.Next(Utc(2026, 10, 24, 12, 0), Berlin, 2);

        // 02:30 happens twice on October 25; a daily schedule fires at the first.
        Assert.Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], times);
    }

    [Fact]
    public void Between_HalfHourlyAcrossFallBackInBerlin_FiresInBothDoubledHours()
    {
        var cron = Parse("*/30 * * * *");

        var times = cron.Between(Utc(2026, 10, 24, 23, 45), Utc(2026, 10, 25, 1, 45), Berlin).ToList();

        Assert.Equal([Utc(2026, 10, 25, 0, 0), Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 1, 0), Utc(2026, 10, 25, 1, 30)], times);
    }

    [Fact]
    public void TryParse_SixFields_ReadsSecondsFirst()
    {
        var cron = Parse("*/10 * * * * *");

        Assert.True(cron.HasSeconds);
        Assert.Equal([Utc(2026, 1, 1, 0, 0, 10), Utc(2026, 1, 1, 0, 0, 20)], cron.Next(Utc(2026, 1, 1, 0, 0), TimeZoneInfo.Utc, 2));
    }

    [Theory]
    [InlineData("", "Give a cron expression")]
    [InlineData("* * * *", "has 4")]
    [InlineData("* * * * * * *", "has 7")]
    [InlineData("61 * * * *", "Minute")]
    [InlineData("0 9 * * funday", "")]
    public void TryParse_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(CronText.TryParse(text, out var cron, out var error));
        Assert.Null(cron);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LatestBetween_SeveralMissed_ReturnsTheLastOne()
    {
        var cron = Parse("0 * * * *");

        Assert.Equal(Utc(2026, 5, 1, 12, 0), cron.LatestBetween(Utc(2026, 5, 1, 9, 0), Utc(2026, 5, 1, 12, 30), TimeZoneInfo.Utc));
        Assert.Null(cron.LatestBetween(Utc(2026, 5, 1, 12, 0), Utc(2026, 5, 1, 12, 59), TimeZoneInfo.Utc));
    }

    private static CronText Parse(string text)
    {
        Assert.True(CronText.TryParse(text, out var cron, out var error), error);
        return cron!;
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);
}
