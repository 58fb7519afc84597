using System.Collections.Concurrent;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Engine;

public sealed class SleepTests
{
    [Fact]
    public async Task SleepAsync_ThreeSeconds_RunSleepsThenCompletes()
    {
        var after = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("nap", async ctx =>
        {
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(3));
            await ctx.RunAsync("after", _ => Task.FromResult(Interlocked.Increment(ref after)));
        }));
        var runId = (await host.Client.TriggerAsync("nap", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;

        var sleeping = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);
        Assert.Equal(0, after);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, after);
        var nap = run.Steps[0];
        Assert.Equal(StepStatus.Completed, nap.Status);
        Assert.True(run.CompletedAt >= nap.WakeAt, $"completed {run.CompletedAt:O} before the wake-up {nap.WakeAt:O}");
        Assert.Equal(sleeping.Steps[0].WakeAt, nap.WakeAt);
    }

    [Fact]
    public async Task SleepAsync_NodeStopsWhileHoldingTheWakeUp_AnotherNodeWakesTheRunWithoutTheReconciler()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Nodes share a PostgreSQL store; a SQLite store has one process.");
        var ct = TestContext.Current.CancellationToken;
        var ranOn = new ConcurrentDictionary<string, string>();

        // A wake-up due within seconds is held by the node that put the run to sleep. Each node names itself in the
        // steps it runs; no reconciler passes during the test, so only the held job itself can wake the run.
        Action<FlowDashboardBuilder> Nap(string node) => flows => flows.AddWorkflow<int>("nap", async ctx =>
        {
            await ctx.RunAsync("before", _ => Task.FromResult(ranOn[ctx.RunId + "/before"] = node));
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(4));
            await ctx.RunAsync("after", _ => Task.FromResult(ranOn[ctx.RunId + "/after"] = node));
        });
        void NoReconciling(FlowDashboardOptions o) => o.ReconcileInterval = TimeSpan.FromHours(1);
        await using var a = await EngineHost.StartAsync(Nap("a"), configure: NoReconciling);
        var b = await EngineHost.StartAsync(Nap("b"), configure: NoReconciling, folder: a.Folder);
        var bStopped = false;
        try
        {
            // Either node may take a run: start runs until node B put one to sleep (node A owns the test's database).
            string? runId = null;
            for (var i = 0; i < 20 && runId is null; i++)
            {
                var id = (await a.Client.TriggerAsync("nap", 0, cancellationToken: ct)).RunId;
                await a.WaitForRunAsync(id, r => r.Status == RunStatus.Sleeping);
                if (ranOn[id + "/before"] == "b") runId = id;
            }

            Assert.NotNull(runId);

            // Node B stops before the wake-up: the job it held goes to Hangfire's shared queue, and node A wakes the run.
            await b.DisposeAsync();
            bStopped = true;
            var run = await a.WaitForFinalAsync(runId, TimeSpan.FromSeconds(20));
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal("a", ranOn[runId + "/after"]);
        }
        finally
        {
            if (!bStopped) await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task SleepAsync_ThreeDaysOnFakeClock_WakesWhenTimeHasPassed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var followUps = 0;
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int>("onboard", async ctx =>
            {
                await ctx.SleepAsync("three-days", TimeSpan.FromDays(3));
                await ctx.RunAsync("follow-up", _ => Task.FromResult(Interlocked.Increment(ref followUps)));
            }),
            time,
            o => o.ReconcileInterval = TimeSpan.FromDays(30));
        var runId = (await host.Client.TriggerAsync("onboard", 1, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        var sleeping = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);

        Assert.Equal(time.GetUtcNow().AddDays(3), sleeping.Steps[0].WakeAt);
        time.Advance(TimeSpan.FromDays(3));
        await host.Services.GetRequiredService<Reconciler>().ReconcileAsync(overdueBy: null, TestContext.Current.CancellationToken);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(1, followUps);
    }

    [Fact]
    public async Task SleepUntilAsync_TimeInThePast_DoesNotSuspend()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("past", async ctx =>
        {
            await ctx.SleepUntilAsync("until", DateTimeOffset.UtcNow.AddHours(-1));
            await ctx.RunAsync("after", _ => Task.CompletedTask);
        }));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("past", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([StepStatus.Completed, StepStatus.Completed], run.Steps.Select(s => s.Status));
    }
}
