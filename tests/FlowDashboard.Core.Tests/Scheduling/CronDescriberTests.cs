using FlowDashboard.Scheduling;

namespace FlowDashboard.Core.Tests.Scheduling;

public sealed class CronDescriberTests
{
    [Theory]
    [InlineData("* * * * *", "Every minute")]
    [InlineData("*/5 * * * *", "Every 5 minutes")]
    [InlineData("0 9 * * *", "Every day at 09:00")]
    [InlineData("30 9 * * 1-5", "At 09:30, Monday through Friday")]
    [InlineData("0 8,12,18 * * *", "Every day at 08:00, 12:00, 18:00")]
    [InlineData("15 * * * *", "At minute 15")]
    [InlineData("0 */2 * * *", "At minute 0, every 2 hours")]
    [InlineData("0 0 1 * *", "At 00:00, on day 1 of the month")]
    [InlineData("0 6 * * MON,WED", "At 06:00, only on Monday and Wednesday")]
    [InlineData("0 0 1 1 *", "At 00:00, on day 1 of the month, in January")]
    [InlineData("* * * * * *", "Every second")]
    [InlineData("*/10 * * * * *", "Every 10 seconds")]
    [InlineData("@daily", "Every day at 00:00")]
    public void Describe_CommonExpressions_ReadsAsWords(string cron, string words)
    {
        Assert.True(CronText.TryParse(cron, out var parsed, out var error), error);

        Assert.Equal(words, parsed!.Describe());
    }
}
