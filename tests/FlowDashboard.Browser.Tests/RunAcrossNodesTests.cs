using FlowDashboard.Browser.Tests.Infrastructure;
using FlowDashboard.Tests.Shared;
using Microsoft.Playwright;

namespace FlowDashboard.Browser.Tests;

/// <summary>
/// Two nodes on one PostgreSQL database, a real Chromium on the second's console: what the first executes shows there
/// without a reload. A host of its own: the runs it makes would change what the other classes count.
/// </summary>
public sealed class RunAcrossNodesTests(ConsoleHost host, Chromium chromium) : IClassFixture<ConsoleHost>, IClassFixture<Chromium>
{
    private const string OrderId = "across-nodes";

    /// <summary>How soon a console shows a change committed on another node (its page re-reads at most once a second).</summary>
    private static readonly TimeSpan ShownWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task RunPage_RunExecutedOnAnotherNode_ShowsItChangeStateWithinTwoSeconds()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Two nodes share a PostgreSQL store; a SQLite store has one process.");

        // Node B's queue is its own: the order, triggered and approved through node A, executes on node A alone.
        await using var nodeB = ConsoleHost.SecondNodeOf(host);
        await nodeB.InitializeAsync();

        // An order this large waits for an approval: the run stands still until the test releases it.
        await host.OrderAsync(OrderId, "widget", 150);
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.GotoConsoleAsync(nodeB.ConsoleUrl + "runs/" + OrderId);
        var status = page.Locator("h5 + .fd-status");
        await Expect(status).ToHaveTextAsync("Waiting");

        // The approval goes to node A, which executes the rest of the run. From the moment node A records the run's
        // end (its CompletedAt, taken before the commit), node B's page has two seconds to show it: the relay to node
        // B's change feed, the page's read (at most one a second) and Blazor's render.
        var woken = await host.NotifyAsync($"approve-order-{OrderId}", new { approved = true, by = "ops" });
        Assert.Equal(OrderId, Assert.Single(woken));
        var completed = await host.WaitForStatusAsync(OrderId, "Completed");
        var completedAt = completed.GetProperty("completedAt").GetDateTimeOffset();
        var left = completedAt + ShownWithin - DateTimeOffset.UtcNow;
        await Expect(status).ToHaveTextAsync("Completed", new() { Timeout = (float)Math.Max(1, left.TotalMilliseconds) });
        await Screenshots.SaveAsync(page, "run-across-nodes");

        // The shipping label names the node that executed the run's steps: node A, never node B.
        Assert.True(File.Exists(Path.Combine(host.LabelsFolder, OrderId + ".txt")), "node A wrote no shipping label");
        Assert.False(File.Exists(Path.Combine(nodeB.LabelsFolder, OrderId + ".txt")), "node B executed a step of node A's run");
        await page.CloseAsync();
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
