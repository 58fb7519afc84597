using System.Collections.Concurrent;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Engine;
using FlowDashboard.Queries;
using FlowDashboard.Tests.Shared;
using FlowDashboard.Transitions;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Queries;

/// <summary>Two nodes on one PostgreSQL database: what one commits, the other's change feed (its console, its executions) hears.</summary>
public sealed class ChangeFeedAcrossNodesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_CommittedOnOneNode_AreHeardOnTheOtherOnceEachAndNotEchoed()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Nodes share a PostgreSQL store; a SQLite store has one process, whose feed tells every page.");
        static void Later(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("later", ctx => ctx.RunAsync("one", _ => Task.CompletedTask));
        await using var a = await EngineHost.StartAsync(Later);
        await using var b = await EngineHost.StartAsync(Later, folder: a.Folder);
        var heardOnB = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var subscription = b.Services.GetRequiredService<RunChangeFeed>().Subscribe(runId => heardOnB.AddOrUpdate(runId, 1, (_, n) => n + 1));

        // Recorded on node A, due tomorrow and without a job: node B executes nothing and learns of them only from A.
        var tomorrow = DateTime.UtcNow.AddDays(1);
        var one = await CreateAsync(a, tomorrow, "single");
        await Poll.UntilAsync(() => Task.FromResult(heardOnB.ContainsKey(one[0])), heard => heard, "node B to hear node A's run", TimeSpan.FromSeconds(2));

        // A thousand at once arrive too (coalesced into a few notifications, each under PostgreSQL's 8,000 bytes).
        var burst = await CreateAsync(a, tomorrow, Enumerable.Range(0, 1000).Select(i => $"burst-{i:D4}-{Guid.NewGuid():N}").ToArray());
        await Poll.UntilAsync(() => Task.FromResult(burst.Count(heardOnB.ContainsKey)), n => n == burst.Count, "node B to hear the thousand runs");

        // Node B's own change is told to its pages once: the relay does not echo it back.
        var own = await CreateAsync(b, tomorrow, "own");
        await Task.Delay(TimeSpan.FromSeconds(1), Token);
        Assert.Equal(1, heardOnB[own[0]]);
        Assert.All(burst, runId => Assert.Equal(1, heardOnB[runId]));
    }

    private static async Task<IReadOnlyList<string>> CreateAsync(EngineHost node, DateTime dueAt, params string[] runIds)
    {
        var runs = runIds.Select(id => new NewRun(id, "later", "0", RunSource.Api, null, null, null, null)).ToList();
        var results = await node.Services.GetRequiredService<OperatorTransitions>().CreateRunsAsync(runs, audit: null, dueAt, Token);
        return results.Select(r => r.RunId).ToList();
    }
}
