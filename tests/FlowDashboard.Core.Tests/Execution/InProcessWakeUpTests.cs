using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// A wake-up held in the process until due (a short sleep, a retry's back-off) executes its run there, without a new
/// Hangfire job; a node that stops meanwhile hands the run on, and nothing is lost.
/// </summary>
public sealed class InProcessWakeUpTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sleep_HeldUntilDue_TheRunGoesOnInProcessWithOneHangfireJobInAll()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("nap", async ctx =>
        {
            await ctx.RunAsync("before", _ => Task.CompletedTask);
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(1));
            await ctx.RunAsync("after", _ => Task.CompletedTask);
        }));
        var runId = (await host.Client.TriggerAsync("nap", 0, cancellationToken: Token)).RunId;

        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["before", "nap", "after"], run.Steps.Select(s => s.Name));
        Assert.True(run.Steps[2].StartedAt >= run.Steps[1].WakeAt, "the step after the sleep started before the wake-up");
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var jobs = monitoring.SucceededJobs(0, 1000).Count(j => Equals(j.Value.Job?.Args[0], runId))
            + monitoring.EnqueuedJobs("default", 0, 1000).Count(j => Equals(j.Value.Job?.Args[0], runId))
            + monitoring.ScheduledJobs(0, 1000).Count(j => Equals(j.Value.Job?.Args[0], runId));
        Assert.Equal(1, jobs);
    }

    [Fact]
    public async Task Stop_WhileAWokenRunExecutesInProcess_TheRunGoesOnAfterTheNextStartWithNothingLost()
    {
        var blocking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        Action<FlowDashboardBuilder> Workflow(bool block) => flows => flows.AddWorkflow<int>("nap-then-work", async ctx =>
        {
            await ctx.RunAsync("before", _ => Task.CompletedTask);
            await ctx.SleepAsync("nap", TimeSpan.FromSeconds(1));
            await ctx.RunAsync("work", async ct =>
            {
                Interlocked.Increment(ref attempts);
                if (!block) return;
                blocking.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            });
        });

        var folder = Path.Combine(Path.GetTempPath(), "flowdashboard-inprocess-" + Guid.NewGuid().ToString("N"));
        void Reconcile(FlowDashboardOptions o) => o.ReconcileInterval = TimeSpan.FromSeconds(2);
        try
        {
            string runId;
            await using (var first = await EngineHost.StartAsync(Workflow(block: true), configure: Reconcile, folder: folder))
            {
                runId = (await first.Client.TriggerAsync("nap-then-work", 0, cancellationToken: Token)).RunId;
                await blocking.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);

                // The host stops here: its engine ends the execution by its token, as Hangfire's shutdown token ends a job's.
            }

            await using var second = await EngineHost.StartAsync(Workflow(block: false), configure: Reconcile, folder: folder);
            var run = await second.WaitForFinalAsync(runId, TimeSpan.FromSeconds(30));

            Assert.Equal(RunStatus.Completed, run.Status);
            var work = run.Steps.Single(s => s.Name == "work");
            Assert.Equal(2, attempts);
            Assert.Equal(StepStatus.Completed, work.Status);
            Assert.Equal([AttemptStatus.Interrupted, AttemptStatus.Completed], work.Attempts.Select(a => a.Status));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await TestStore.DropAsync(folder);
            Directory.Delete(folder, recursive: true);
        }
    }
}
