using System.Text.Json;
using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>An operator's way through the console in a real Chromium against the real host.</summary>
public sealed class OperatorJourneyTests(ConsoleHost host, Chromium chromium) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    private static readonly string[] FinishedSteps = ["validate-order"];

    [Fact]
    public async Task RetryStep_AfterRestock_RunCompletesAndFinishedStepsAreNotRunAgain()
    {
        // Two orders that go through and one larger than the stock, which fails at check-inventory for good.
        await host.OrderAsync("order-1", "widget", 3);
        await host.OrderAsync("order-2", "widget", 5);
        await host.OrderAsync("big-order", "gadget", 5000);
        await host.WaitForStatusAsync("order-2", "Completed");
        var failed = await host.WaitForStatusAsync("big-order", "Failed");
        var before = AttemptsByStep(failed);

        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoConsoleAsync(host.ConsoleUrl);
        await Expect(page.GetByTestId("count-Failed")).ToContainTextAsync("1");
        await Screenshots.SaveAsync(page, "overview");

        // Click 1: the failed run, the latest of its group in the overview's failures by cause. It opens on its failed step.
        await Expect(page.GetByTestId("failure-group")).ToContainTextAsync("check-inventory");
        await page.GetByTestId("failure-groups").GetByRole(AriaRole.Link, new() { Name = "big-order" }).ClickAsync();
        await Expect(page.GetByTestId("step-panel")).ToContainTextAsync("check-inventory");
        await Expect(page.GetByTestId("step-error")).ToContainTextAsync("Only 1000 gadget(s) in stock");
        await Expect(page.Locator(".fd-timeline-row[data-step='check-inventory'] .fd-attempt-failed")).ToHaveCountAsync(1);

        // The operator restocks the example's way, then click 2: "Retry step", and the confirmation.
        await host.RestockAsync("gadget", 10_000);
        await page.GetByTestId("retry-step").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Retry step" }).ClickAsync();

        // An order this large waits for an approval: the operator notifies it from the waiting step.
        await Expect(page.Locator("h5 + .fd-status")).ToHaveTextAsync("Waiting", new() { Timeout = 15_000 });
        await page.Locator(".fd-timeline-row[data-step='wait-for-approval']").ClickAsync();
        await page.GetByTestId("notify").ClickAsync();
        await page.GetByTestId("notify-payload").FillAsync("{\"approved\": true, \"by\": \"ops\"}");
        await page.GetByTestId("notify-send").ClickAsync();

        // The page follows the run by itself: no reload.
        await Expect(page.Locator("h5 + .fd-status")).ToHaveTextAsync("Completed", new() { Timeout = 15_000 });
        await Expect(page.Locator(".fd-timeline-row")).ToHaveCountAsync(7);
        await Expect(page.GetByTestId("audit")).ToContainTextAsync("retry-step check-inventory");
        await Screenshots.SaveAsync(page, "run-timeline");

        var after = AttemptsByStep(await host.WaitForStatusAsync("big-order", "Completed"));
        Assert.Equal(2, after["check-inventory"]);
        Assert.All(FinishedSteps, step => Assert.Equal(before[step], after[step]));

        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).First.ClickAsync();
        await Expect(page.GetByTestId("run-table").Locator("tbody tr")).ToHaveCountAsync(3);
        await Screenshots.SaveAsync(page, "runs");
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static Dictionary<string, int> AttemptsByStep(JsonElement run) =>
        run.GetProperty("steps").EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!,
            s => s.GetProperty("attempts").GetArrayLength());
}
