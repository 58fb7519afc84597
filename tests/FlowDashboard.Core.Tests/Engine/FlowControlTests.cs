using System.Collections.Concurrent;
using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>Flow control on the real engine: runs in flight, step starts per period, one run per key.</summary>
public sealed class FlowControlTests
{
    public sealed record Job(string Customer, int Number);

    [Fact]
    public async Task MaxInFlight_ManyRuns_NeverMoreThanTheLimitExecuteAtOnce()
    {
        var executing = 0;
        var most = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Job>("limited", async ctx =>
        {
            await ctx.RunAsync("work", async ct =>
            {
                var now = Interlocked.Increment(ref executing);
                InterlockedMax(ref most, now);
                await Task.Delay(150, ct);
                Interlocked.Decrement(ref executing);
            });
        }, o => o.FlowControl = new FlowControl { MaxInFlight = 2 }));

        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add((await host.Client.TriggerAsync("limited", new Job("c", i), cancellationToken: TestContext.Current.CancellationToken)).RunId);
        var runs = await Task.WhenAll(ids.Select(id => host.WaitForFinalAsync(id, TimeSpan.FromSeconds(30))));

        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task MaxInFlight_TwoNodesOnOneDatabase_TheLimitHoldsAcrossBoth()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Two nodes share a PostgreSQL store; a SQLite store has one process.");
        var executing = 0;
        var most = 0;
        var ranOn = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        Action<FlowDashboardBuilder> Limited(string node) => flows => flows.AddWorkflow<Job>("limited", async ctx =>
        {
            await ctx.RunAsync("work", async ct =>
            {
                ranOn.AddOrUpdate(node, 1, (_, n) => n + 1);
                InterlockedMax(ref most, Interlocked.Increment(ref executing));
                await Task.Delay(200, ct);
                Interlocked.Decrement(ref executing);
            });
        }, o => o.FlowControl = new FlowControl { MaxInFlight = 2 });
        // Two workers a node: four fetch the twelve jobs at once, so neither node can take them all (with a hundred each, one
        // node's workers sometimes fetched every job first and the other executed none), and four workers still try to
        // run more than the limit of two at once.
        static void TwoWorkers(FlowDashboardOptions options) => options.WorkerCount = 2;
        await using var a = await EngineHost.StartAsync(Limited("a"), configure: TwoWorkers);
        await using var b = await EngineHost.StartAsync(Limited("b"), configure: TwoWorkers, folder: a.Folder);

        // Each node triggers half: each executes what its own workers fetch first, and both count against one limit.
        var ids = new List<string>();
        for (var i = 0; i < 12; i++) ids.Add((await (i % 2 == 0 ? a : b).Client.TriggerAsync("limited", new Job("c", i), cancellationToken: TestContext.Current.CancellationToken)).RunId);
        var runs = await Task.WhenAll(ids.Select(id => a.WaitForFinalAsync(id, TimeSpan.FromSeconds(60))));

        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.InRange(most, 1, 2);
        Assert.Equal(["a", "b"], ranOn.Keys.Order());
    }

    [Fact]
    public async Task MaxInFlight_PerKey_DifferentKeysDoNotWaitForEachOther()
    {
        var running = new HashSet<string>();
        var together = false;
        var gate = new Lock();
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Job>("per-key", async ctx =>
        {
            await ctx.RunAsync("work", async ct =>
            {
                lock (gate)
                {
                    running.Add(ctx.Input.Customer);
                    together |= running.Count == 2;
                }

                await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref together)), t => t, "both keys running at once", TimeSpan.FromSeconds(10));
            });
        }, o => o.FlowControl = new FlowControl { KeyMember = "customer", MaxInFlight = 1 }));

        var a = await host.Client.TriggerAsync("per-key", new Job("ada", 1), cancellationToken: TestContext.Current.CancellationToken);
        var b = await host.Client.TriggerAsync("per-key", new Job("bob", 1), cancellationToken: TestContext.Current.CancellationToken);

        // Each waits until the other runs too: with one slot for both keys they could never finish.
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(a.RunId)).Status);
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(b.RunId)).Status);
    }

    [Fact]
    public async Task RateLimit_StepsOverTheRate_WaitForTheNextWindow()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("rated", async ctx =>
        {
            for (var i = 0; i < 5; i++) await ctx.RunAsync("tick", _ => Task.CompletedTask);
        }, o => o.FlowControl = new FlowControl { RateLimit = 2, RatePeriod = TimeSpan.FromMilliseconds(600) }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("rated", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId, TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Completed, run.Status);
        var starts = run.Steps.Select(s => s.Attempts.Single().StartedAt).Order().ToList();

        // However the windows fall, no 600 ms holds more than two step starts.
        for (var i = 2; i < starts.Count; i++) Assert.True(starts[i] - starts[i - 2] >= TimeSpan.FromMilliseconds(550), $"three starts within {starts[i] - starts[i - 2]}");
    }

    [Fact]
    public async Task SkipIfActive_SecondTriggerWithTheSameKey_ReturnsTheActiveRun()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Job>("singleton", async ctx =>
        {
            await ctx.SleepAsync("hold", TimeSpan.FromMilliseconds(ctx.Input.Number));
        }, o => o.FlowControl = new FlowControl { KeyMember = "customer", SkipIfActive = true }));

        // Ada's run holds for an hour: it is still active at the second trigger, however slow the machine.
        var first = await host.Client.TriggerAsync("singleton", new Job("ada", 3_600_000), cancellationToken: TestContext.Current.CancellationToken);
        var again = await host.Client.TriggerAsync("singleton", new Job("ada", 1), cancellationToken: TestContext.Current.CancellationToken);
        var other = await host.Client.TriggerAsync("singleton", new Job("bob", 1), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(first.Created);
        Assert.Equal((first.RunId, false), (again.RunId, again.Created));
        Assert.True(other.Created);

        // Once a run is final, its key is free again: Bob's completed, Ada's once cancelled.
        await host.WaitForFinalAsync(other.RunId);
        var bobAgain = await host.Client.TriggerAsync("singleton", new Job("bob", 1), cancellationToken: TestContext.Current.CancellationToken);
        await host.Client.CancelAsync(first.RunId, TestContext.Current.CancellationToken);
        var later = await host.Client.TriggerAsync("singleton", new Job("ada", 1), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((true, true), (bobAgain.Created, later.Created));
        Assert.NotEqual(first.RunId, later.RunId);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
