using Bunit;
using FlowDashboard.Queries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OverviewPage = FlowDashboard.Console.Components.Pages.Overview.Overview;

namespace FlowDashboard.Console.Tests.Components.Pages.Overview;

public sealed class OverviewTests : ConsoleTestBase
{
    [Fact]
    public void Render_WindowInTheUrl_AsksForThatWindowAndMarksItChosen()
    {
        Navigation.NavigateTo("?window=24h");

        var cut = Context.Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal(Now.AddHours(-24), Assert.Single(Queries.OverviewRequests)));
        Assert.Contains("mud-button-filled", cut.Find("[data-testid=window-24h]").ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-button-filled", cut.Find("[data-testid=window-1h]").ClassName, StringComparison.Ordinal);
        Assert.Contains("Last 24 hours", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownWindow_FallsBackToTheLastHour()
    {
        Navigation.NavigateTo("?window=forever");

        var cut = Context.Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal(Now.AddHours(-1), Assert.Single(Queries.OverviewRequests)));
    }

    [Fact]
    public void Render_WorkflowStats_RowsWithRateAndPercentilesAndThousandsSeparators()
    {
        Queries.Overview = new OverviewStats(
            Now, [new WorkflowStats("orders", 12_345, 12_000, 300, 2, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(42))], 7, Now.AddMinutes(-3), 4);

        var cut = Context.Render<OverviewPage>();

        var row = cut.WaitForElement("[data-testid=workflow-row]");
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["orders", "12,345", "12,000", "300", "2.4%", "1.5 s", "42 s"], cells);
        Assert.Contains("7", cut.Find("[data-testid=backlog]").TextContent, StringComparison.Ordinal);
        Assert.Contains("oldest due 3 min ago", cut.Find("[data-testid=backlog]").TextContent, StringComparison.Ordinal);
        Assert.Contains("4", cut.Find("[data-testid=scheduled-retries]").TextContent, StringComparison.Ordinal);

        // The failed count opens those runs: the workflow's failed runs that ended in the window.
        var failed = row.QuerySelectorAll("td a")[1].GetAttribute("href");
        Assert.StartsWith("runs?workflow=orders&status=Failed&endedFrom=", failed, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FailureGroups_EachLinksToTheFailedViewFilteredToItsRuns()
    {
        Queries.FailureGroups.Add(new FailureGroup("orders", "reserve", "Shop.OutOfStockException", 95, Now.AddHours(-2), Now.AddMinutes(-1), "Step 'reserve' failed: Unknown SKU", "order-95"));
        Queries.FailureGroups.Add(new FailureGroup("orders", null, null, 1, Now.AddMinutes(-5), Now.AddMinutes(-5), "The workflow body threw", "order-lone"));

        var cut = Context.Render<OverviewPage>();

        var rows = cut.WaitForElements("[data-testid=failure-group]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("OutOfStockException", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("95", rows[0].TextContent, StringComparison.Ordinal);
        var link = rows[0].QuerySelector("[data-testid=failure-group-runs]")!;
        Assert.Equal("95 runs", link.TextContent);
        var href = link.GetAttribute("href")!;
        Assert.StartsWith("failed?workflow=orders&endedFrom=", href, StringComparison.Ordinal);
        Assert.EndsWith("&step=reserve&errorType=Shop.OutOfStockException", href, StringComparison.Ordinal);
        Assert.Contains("(outside a step)", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("1 run", rows[1].QuerySelector("[data-testid=failure-group-runs]")!.TextContent);
        Assert.Equal("runs/order-lone", rows[1].QuerySelector("[data-testid=failure-group-runs]")!.GetAttribute("href"));
        Assert.Equal("runs/order-95", rows[0].QuerySelector("[data-testid=failure-group-latest]")!.GetAttribute("href"));
    }

    [Fact]
    public void Render_ThroughputBars_LinkToTheRunsThatEndedInThem()
    {
        var bucket = TimeSpan.FromMinutes(15);
        Queries.Throughput.Add(new ThroughputPoint(Now.AddMinutes(-30), 0, 0, bucket));
        Queries.Throughput.Add(new ThroughputPoint(Now.AddMinutes(-15), 3, 0, bucket));
        Queries.Throughput.Add(new ThroughputPoint(Now, 0, 2, bucket));

        var cut = Context.Render<OverviewPage>();

        var bars = cut.WaitForElements("[data-testid=chart-bar]");
        Assert.Equal(2, bars.Count);
        var href = bars[1].GetAttribute("href")!;
        Assert.StartsWith("runs?status=Failed&endedFrom=", href, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), href, StringComparison.Ordinal);
        Assert.Contains("per 15 min", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StoreAndRetention_ShowsSizeRunsOldestRunAndWhatIsKeptForHowLong()
    {
        Queries.Store = new StoreInfo(52_428_800, 12_345, Now.AddDays(-6));
        var retention = Context.Services.GetRequiredService<IOptions<FlowDashboardOptions>>().Value.Retention;
        retention.Completed = TimeSpan.FromDays(7);
        retention.Failed = TimeSpan.FromDays(30);

        var cut = Context.Render<OverviewPage>();

        cut.WaitForAssertion(() =>
        {
            var text = cut.Find("[data-testid=store]").TextContent;
            Assert.Contains("50.0 MB", text, StringComparison.Ordinal);
            Assert.Contains("12,345", text, StringComparison.Ordinal);
            Assert.Contains("completed 7 d · failed 30 d · cancelled for good", cut.Find("[data-testid=retention]").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_NoRetention_SaysEveryRunIsKept()
    {
        var cut = Context.Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Contains("every run, until deleted", cut.Find("[data-testid=retention]").TextContent, StringComparison.Ordinal));
    }
}
