using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Execution;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Client;

public sealed class CancelTests
{
    [Fact]
    public async Task CancelAsync_SleepingRun_IsCancelledAndNeverWakes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var after = 0;
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int>("nap", async ctx =>
            {
                await ctx.SleepAsync("nap", TimeSpan.FromHours(1));
                await ctx.RunAsync("after", _ => Task.FromResult(Interlocked.Increment(ref after)));
            }),
            time,
            o => o.ReconcileInterval = TimeSpan.FromDays(30));
        var runId = (await host.Client.TriggerAsync("nap", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);

        await host.Client.CancelAsync(runId, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromHours(2));
        var handed = await host.Services.GetRequiredService<Reconciler>().ReconcileAsync(overdueBy: null, TestContext.Current.CancellationToken);

        var run = await host.Client.GetRunAsync(runId, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Cancelled, run!.Status);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(run.Steps).Status);
        Assert.Null(run.DueAt);
        Assert.NotNull(run.CompletedAt);
        Assert.Equal(0, handed);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task CancelAsync_RunningStep_TokenIsCancelledAndResultDiscarded()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int>("long", ctx => ctx.RunAsync("work", async ct =>
            {
                entered.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            })),
            configure: o => o.LeaseDuration = TimeSpan.FromSeconds(3));
        var runId = (await host.Client.TriggerAsync("long", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await host.Client.CancelAsync(runId, TestContext.Current.CancellationToken);

        // The lease renewal (every second here) finds the run cancelled and stops the step.
        var run = await host.WaitForRunAsync(runId, r => r.Steps[0].Attempts[0].Status == AttemptStatus.Cancelled);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(StepStatus.Cancelled, run.Steps[0].Status);
    }

    [Fact]
    public async Task CancelAsync_FinalOrUnknownRun_Throws()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("quick", ctx => ctx.RunAsync("x", _ => Task.CompletedTask)));
        var runId = (await host.Client.TriggerAsync("quick", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        await host.WaitForFinalAsync(runId);

        var conflict = await Assert.ThrowsAsync<RunConflictException>(() => host.Client.CancelAsync(runId, TestContext.Current.CancellationToken));
        Assert.Contains("Completed", conflict.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RunNotFoundException>(() => host.Client.CancelAsync("missing", TestContext.Current.CancellationToken));
    }
}
