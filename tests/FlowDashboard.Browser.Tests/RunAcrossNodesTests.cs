using System.Diagnostics;
using System.Text.RegularExpressions;
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
        await page.GotoAsync(nodeB.ConsoleUrl + "runs/" + OrderId);
        var status = page.Locator("h5 + .fd-status");
        await Expect(status).ToHaveTextAsync("Waiting");

        // The approval commits on node A; from its answer on, node B's page has two seconds to show the run move on.
        var woken = await host.NotifyAsync($"approve-order-{OrderId}", new { approved = true, by = "ops" });
        var sinceAnswer = Stopwatch.StartNew();
        Assert.Equal(OrderId, Assert.Single(woken));

        // Running or already Completed: either is node A's execution, heard through the relay. The console re-reads at
        // most once a second, so the first change seen is the claim; the end follows with the default timeout.
        var left = ShownWithin - sinceAnswer.Elapsed;
        await Expect(status).ToHaveTextAsync(new Regex("^(Running|Completed)$"), new() { Timeout = (float)Math.Max(1, left.TotalMilliseconds) });
        await Expect(status).ToHaveTextAsync("Completed");
        await Screenshots.SaveAsync(page, "run-across-nodes");

        // The shipping label names the node that executed the run's steps: node A, never node B.
        Assert.True(File.Exists(Path.Combine(host.LabelsFolder, OrderId + ".txt")), "node A wrote no shipping label");
        Assert.False(File.Exists(Path.Combine(nodeB.LabelsFolder, OrderId + ".txt")), "node B executed a step of node A's run");
        await page.CloseAsync();
        Assert.Empty(errors);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
