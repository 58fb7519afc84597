using FlowDashboard.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>
/// The runs list's filters in a real Chromium. A host of its own: the operator's journey counts the runs and
/// failures it sees, and xUnit's order of a class's tests depends on where the assembly lies.
/// </summary>
public sealed class RunsListTests(ConsoleHost host, Chromium chromium) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    [Fact]
    public async Task RunsList_FilterByStatus_PutsTheFilterInTheUrlAndShowsOnlyMatches()
    {
        await host.OrderAsync("filter-ok", "widget", 1);
        await host.OrderAsync("filter-bad", "gizmo", 1);
        await host.WaitForStatusAsync("filter-bad", "Failed");
        await host.WaitForStatusAsync("filter-ok", "Completed");

        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoConsoleAsync(host.ConsoleUrl + "runs?search=filter-&status=Failed");

        var rows = page.GetByTestId("run-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("filter-bad");

        // Clearing the filters is reflected in the URL, so the view can be shared.
        await page.GetByTestId("filter-clear").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/flows/runs$"));
        await Expect(rows.Filter(new() { HasText = "filter-" })).ToHaveCountAsync(2);
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
