using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Engine;
using FlowDashboard.Execution;
using FlowDashboard.States;
using FlowDashboard.Tests.Shared;
using FlowDashboard.Transitions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>
/// The reconciler gives a job to a run whose job was lost, and to no other: not to a run still waiting behind a long
/// queue, and not twice when two nodes look at once.
/// </summary>
public sealed class ReconcilerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PeriodicPass_RunsWaitingBehindALongQueue_GetNoSecondJob()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(
            flows =>
            {
                flows.AddWorkflow<int>("hold", ctx => ctx.RunAsync("hold", async ct =>
                {
                    entered.TrySetResult();
                    await gate.Task.WaitAsync(ct);
                }));
                flows.AddWorkflow<int>("quick", ctx => ctx.RunAsync("quick", _ => Task.CompletedTask));
            },
            configure: o =>
            {
                o.WorkerCount = 1;
                o.ReconcileInterval = TimeSpan.FromSeconds(1);
            });
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        // The only worker is held: twenty runs wait in the queue, each due for longer than a pass's interval.
        await host.Client.TriggerAsync("hold", 0, cancellationToken: Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15), Token);
        var runs = new List<string>();
        for (var i = 0; i < 20; i++) runs.Add((await host.Client.TriggerAsync("quick", i, cancellationToken: Token)).RunId);
        await Poll.UntilAsync(() => Task.FromResult(monitoring.EnqueuedCount("default")), n => n == 20, "the twenty jobs to be queued");

        // Four passes or so: a pass that took them for lost would have queued twenty more jobs each time.
        await Task.Delay(TimeSpan.FromSeconds(4.5), Token);
        Assert.Equal(20, monitoring.EnqueuedCount("default"));

        gate.SetResult();
        foreach (var runId in runs) Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(runId)).Status);
    }

    [Fact]
    public async Task Pass_TwoNodesAtOnce_ARunWhoseJobWasLostGetsOneJob()
    {
        Assert.SkipUnless(TestStore.IsPostgreSql, "Two nodes share a PostgreSQL store; a SQLite store has one process.");
        static void Lost(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("lost", ctx => ctx.RunAsync("one", _ => Task.CompletedTask));
        static void NoPeriodicPass(FlowDashboardOptions options) => options.ReconcileInterval = TimeSpan.FromDays(1);
        await using var a = await EngineHost.StartAsync(Lost, configure: NoPeriodicPass);
        await using var b = await EngineHost.StartAsync(Lost, configure: NoPeriodicPass, folder: a.Folder);

        for (var i = 0; i < 10; i++)
        {
            // Recorded without a job, as when its node dies before creating it.
            var runId = $"lost-{i}";
            await a.Services.GetRequiredService<OperatorTransitions>().CreateRunsAsync(
                [new NewRun(runId, "lost", "0", RunSource.Api, null, null, null, null)], audit: null, DateTime.UtcNow, Token);
            await Task.Delay(TimeSpan.FromSeconds(1.1), Token);

            // Both nodes' passes find it due for longer than a second, unleased, with no job waiting in the queue.
            var handed = await Task.WhenAll(new[] { a, b }.Select(node => Task.Run(
                () => node.Services.GetRequiredService<Reconciler>().ReconcileAsync(TimeSpan.FromSeconds(1), Token), Token)));

            Assert.Equal(1, handed.Sum());
            Assert.Equal(RunStatus.Completed, (await a.WaitForFinalAsync(runId)).Status);
        }
    }
}
