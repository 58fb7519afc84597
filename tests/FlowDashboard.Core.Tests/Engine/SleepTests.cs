using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.States;
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
