using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>A body that cancels its own run with ctx.CancelAsync().</summary>
public sealed class CancelFromBodyTests
{
    [Fact]
    public async Task CancelAsync_AfterAFirstStep_RunIsCancelledAndNothingElseRuns()
    {
        var first = 0;
        var later = 0;
        var handled = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "self-cancel",
            async ctx =>
            {
                await ctx.RunAsync("first", _ => Task.FromResult(Interlocked.Increment(ref first)));
                await ctx.CancelAsync();
                await ctx.RunAsync("later", _ => Task.FromResult(Interlocked.Increment(ref later)));
            },
            o => o.OnFailure = (_, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            }));
        var runId = (await host.Client.TriggerAsync("self-cancel", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.NotNull(run.CompletedAt);
        Assert.Null(run.DueAt);
        var step = Assert.Single(run.Steps);
        Assert.Equal(("first", StepStatus.Completed), (step.Name, step.Status));
        Assert.Equal((1, 0, 0), (first, later, handled));

        // Nothing is due, so nothing runs later either; the audit says who cancelled it.
        var audit = await host.Services.GetRequiredService<IRunQueryService>().GetAuditAsync(runId, TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.Actor == "workflow" && a.Action == "cancel");
    }

    [Fact]
    public async Task CancelAsync_WhileAnotherStepRuns_ThatStepIsToldToStopAndRecordedCancelled()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("self-cancel", async ctx =>
        {
            var slow = ctx.RunAsync("slow", async ct =>
            {
                await using var registration = ct.Register(() => stopped.TrySetResult());
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            });

            // The cancel comes once the slow step is under way (before, it would never start at all).
            await ctx.RunAsync("first", ct => entered.Task.WaitAsync(ct));
            await ctx.CancelAsync();
            await slow;
        }));
        var runId = (await host.Client.TriggerAsync("self-cancel", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var run = await host.WaitForRunAsync(runId, r => r.Steps.Single(s => s.Name == "slow").Attempts.All(a => a.Status != AttemptStatus.Running));

        Assert.Equal(RunStatus.Cancelled, run.Status);
        var slow = run.Steps.Single(s => s.Name == "slow");
        Assert.Equal(StepStatus.Cancelled, slow.Status);
        Assert.Equal(AttemptStatus.Cancelled, Assert.Single(slow.Attempts).Status);
        Assert.Equal(StepStatus.Completed, run.Steps.Single(s => s.Name == "first").Status);
    }
}
