using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>Schedules made and watched in a real Chromium against the real host.</summary>
public sealed class SchedulesTests(ConsoleHost host, Chromium chromium) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    [Fact]
    public async Task CreateSchedule_InTheEditor_ItsFirstRunAppearsOnItsPage()
    {
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoConsoleAsync(host.ConsoleUrl + "schedules");
        await page.GetByTestId("new-schedule").ClickAsync();

        // The editor refuses what it cannot save, next to the field, before anything is sent.
        await page.GetByTestId("schedule-name").FillAsync("welcome-bot");
        await page.GetByTestId("schedule-cron").FillAsync("*/2 * * *");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("this one has 4");
        await Assertions.Expect(page.GetByTestId("schedule-save")).ToBeDisabledAsync();

        await page.GetByTestId("schedule-cron").FillAsync("*/2 * * * * *");
        await Assertions.Expect(page.GetByTestId("schedule-preview")).ToContainTextAsync("Next fire times in UTC");
        await page.GetByTestId("schedule-input").FillAsync("""{"userId": "bot", "email": "bot@example.com", "name": "Bot"}""");
        await Assertions.Expect(page.GetByTestId("schedule-save")).ToBeEnabledAsync();
        await Screenshots.SaveAsync(page, "schedule-editor");
        await page.GetByTestId("schedule-save").ClickAsync();

        var row = page.GetByTestId("schedule-table").Locator("tr[data-schedule='welcome-bot']");
        await Assertions.Expect(row).ToContainTextAsync("Every 2 seconds");
        await row.GetByRole(AriaRole.Link, new() { Name = "welcome-bot" }).ClickAsync();

        // No reload: the page shows the run as soon as the schedule starts it.
        await Assertions.Expect(page.GetByTestId("run-table").Locator("tbody tr[data-run-id^='welcome-bot:']").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Screenshots.SaveAsync(page, "schedule");
        Assert.Empty(errors);
    }
}
