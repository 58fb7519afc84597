using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Execution;
using FlowDashboard.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// Forces the races the lease exists for. Runs are triggered with a delay on a fake clock, so Hangfire
/// never picks them up by itself and the test decides which workers execute them.
/// </summary>
public sealed class LeaseTests
{
    [Fact]
    public async Task ExecuteAsync_TwoWorkersOnOneRun_OnlyOneRecordsTheStep()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var executions = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int>("race", ctx => ctx.RunAsync("side-effect", async _ =>
            {
                Interlocked.Increment(ref executions);
                await gate.Task;
            })),
            time,
            o => o.ReconcileInterval = TimeSpan.FromDays(30));
        var runId = await TriggerDueRunAsync(host, time, "race");

        var first = ExecuteAsync(host, runId);
        var second = ExecuteAsync(host, runId);
        await Task.WhenAny(first, second).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var run = await host.Client.GetRunAsync(runId, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(1, executions);
        Assert.Single(Assert.Single(run.Steps).Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_LeaseExpiredUnderAPausedWorker_TheStaleWorkersResultIsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var executions = 0;
        var staleGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var staleStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(
            flows => flows.AddWorkflow<int, string>("fenced", ctx => ctx.RunAsync("work", async _ =>
            {
                if (Interlocked.Increment(ref executions) == 1)
                {
                    staleStarted.SetResult();
                    await staleGate.Task;
                    return "stale";
                }

                return "fresh";
            })),
            time,
            o => o.ReconcileInterval = TimeSpan.FromDays(30));
        var runId = await TriggerDueRunAsync(host, time, "fenced");

        var stale = ExecuteAsync(host, runId);
        await staleStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // The first worker is paused (a GC pause, a partition) long enough for its lease to expire: on the engine's
        // clock (two hours ahead here) and on the database's, which PostgreSQL judges leases by.
        await host.WithStoreAsync(db => db.Runs.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1)), TestContext.Current.CancellationToken));
        await ExecuteAsync(host, runId).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        staleGate.SetResult();
        await stale.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var run = await host.Client.GetRunAsync(runId, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal("fresh", run.Output?.GetString());
        var step = Assert.Single(run.Steps);
        Assert.Equal("fresh", step.Output?.GetString());
        Assert.Equal([AttemptStatus.Interrupted, AttemptStatus.Completed], step.Attempts.Select(a => a.Status));
        Assert.Equal(2, executions);
    }

    private static async Task<string> TriggerDueRunAsync(EngineHost host, FakeTimeProvider time, string workflow)
    {
        var result = await host.Client.TriggerAsync(workflow, 0, new TriggerOptions { Delay = TimeSpan.FromHours(1) }, TestContext.Current.CancellationToken);

        // Hangfire has the run's job, due in an hour of its real clock, before the engine's clock jumps: a job created
        // after the jump would be due at once, and a third worker would race the test's two.
        var dispatcher = host.Services.GetRequiredService<JobDispatcher>();
        await Poll.UntilAsync(() => Task.FromResult(dispatcher.Backlog), n => n == 0, "the run's job to reach Hangfire");
        time.Advance(TimeSpan.FromHours(2));
        return result.RunId;
    }

    private static Task ExecuteAsync(EngineHost host, string runId) => Task.Run(async () =>
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowRunner>().ExecuteAsync(runId, CancellationToken.None);
    });
}
