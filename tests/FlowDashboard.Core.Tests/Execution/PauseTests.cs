using System.Collections.Concurrent;
using System.Security.Claims;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Operations;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Execution;

/// <summary>Pausing a workflow (or one flow-control key): runs are held where they stand until it is resumed.</summary>
public sealed class PauseTests
{
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pause_HoldsNewRunningAndSleepingRuns_ResumeLetsEveryOneFinish()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thirdSteps = new ConcurrentBag<string>();
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<string>("work", async ctx =>
            {
                await ctx.RunAsync("first", _ => Task.CompletedTask);
                if (ctx.Input == "gated") await ctx.RunAsync("second", ct => gate.Task.WaitAsync(ct));
                else await ctx.SleepAsync("second", TimeSpan.FromMilliseconds(ctx.Input == "sleepy" ? 2000 : 1));
                await ctx.RunAsync("third", _ =>
                {
                    thirdSteps.Add(ctx.RunId);
                    return Task.CompletedTask;
                });
            })
            .AddWorkflow<string>("other", ctx => ctx.RunAsync("only", _ => Task.CompletedTask)));
        var ops = host.Services.GetRequiredService<IOperationsService>();
        var gated = await TriggerAsync(host, "work", "gated");
        var sleepy = await TriggerAsync(host, "work", "sleepy");
        await host.WaitForRunAsync(gated, r => r.Steps.Any(s => s.Name == "second" && s.Status == StepStatus.Running));
        await host.WaitForRunAsync(sleepy, r => r.Status == RunStatus.Sleeping);

        Assert.True(await ops.PauseWorkflowAsync(Operator, "work", cancellationToken: Ct));
        Assert.False(await ops.PauseWorkflowAsync(Operator, "work", cancellationToken: Ct));
        var fresh = await TriggerAsync(host, "work", "new");
        var other = await TriggerAsync(host, "other", "x");
        gate.SetResult();

        // The running step finishes and is recorded, and the run stops before its next step; the sleeper does not wake.
        var stopped = await host.WaitForRunAsync(gated, r => r.Held);
        var held = await host.WaitForRunAsync(sleepy, r => r.Held);
        var waiting = await host.WaitForRunAsync(fresh, r => r.Held);
        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(other)).Status);
        Assert.Equal(["first:Completed", "second:Completed"], stopped.Steps.Select(s => $"{s.Name}:{s.Status}"));
        Assert.Equal((RunStatus.Sleeping, StepStatus.Sleeping), (held.Status, held.Steps[1].Status));
        Assert.Equal((RunStatus.Pending, 0), (waiting.Status, waiting.Steps.Count));
        Assert.Empty(thirdSteps);
        var pause = Assert.Single(await host.Services.GetRequiredService<IRunQueryService>().PausesAsync(Ct));
        Assert.Equal(("work", null, "ops@example.com", 3), (pause.Workflow, pause.Key, pause.PausedBy, pause.Held));

        Assert.Equal(3, await ops.ResumeWorkflowAsync(Operator, "work", cancellationToken: Ct));

        foreach (var runId in new[] { gated, sleepy, fresh })
        {
            var run = await host.WaitForFinalAsync(runId);
            Assert.Equal((RunStatus.Completed, false), (run.Status, run.Held));
        }

        Assert.Equal(3, thirdSteps.Count);
        Assert.Empty(await host.Services.GetRequiredService<IRunQueryService>().PausesAsync(Ct));
        var audit = await host.Services.GetRequiredService<IRunQueryService>().GetAuditAsync(gated, Ct);
        Assert.DoesNotContain(audit, a => a.Action == "pause");
        await Assert.ThrowsAsync<WorkflowNotPausedException>(() => ops.ResumeWorkflowAsync(Operator, "work", cancellationToken: Ct));
    }

    [Fact]
    public async Task Pause_OneKey_HoldsOnlyThatKeysRuns()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<Order>(
            "orders",
            ctx => ctx.RunAsync("ship", _ => Task.CompletedTask),
            o => o.FlowControl = new FlowControl { KeyMember = "customer" }));
        var ops = host.Services.GetRequiredService<IOperationsService>();

        await ops.PauseWorkflowAsync(Operator, "orders", "acme", Ct);
        var acme = await TriggerAsync(host, "orders", new Order("acme"));
        var globex = await TriggerAsync(host, "orders", new Order("globex"));

        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(globex)).Status);
        Assert.True((await host.WaitForRunAsync(acme, r => r.Held)).Status == RunStatus.Pending);
        var pause = Assert.Single(await host.Services.GetRequiredService<IRunQueryService>().PausesAsync(Ct));
        Assert.Equal(("acme", 1), (pause.Key, pause.Held));
        await Assert.ThrowsAsync<WorkflowNotPausedException>(() => ops.ResumeWorkflowAsync(Operator, "orders", cancellationToken: Ct));

        Assert.Equal(1, await ops.ResumeWorkflowAsync(Operator, "orders", "acme", Ct));

        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(acme)).Status);
    }

    [Fact]
    public async Task Pause_BadRequests_RefusedWithTheReason()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<string>("plain", ctx => ctx.RunAsync("only", _ => Task.CompletedTask)));
        var ops = host.Services.GetRequiredService<IOperationsService>();

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => ops.PauseWorkflowAsync(Operator, "nope", cancellationToken: Ct));
        var keyed = await Assert.ThrowsAsync<ArgumentException>(() => ops.PauseWorkflowAsync(Operator, "plain", "acme", Ct));
        Assert.Contains("has no flow-control key", keyed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WorkflowNotPausedException>(() => ops.ResumeWorkflowAsync(Operator, "plain", cancellationToken: Ct));
        Assert.Empty(await host.Services.GetRequiredService<IRunQueryService>().PausesAsync(Ct));
    }

    /// <summary>
    /// Pauses and resumes race the holds of runs being started: a hold decides under the pause's lock, so once the
    /// workflow is resumed for good, no run is left held by a pause that no longer exists.
    /// </summary>
    [Fact]
    public async Task PauseAndResume_RacingManyStartingRuns_NoRunLeftHeld()
    {
        const int Runs = 200;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("busy", async ctx =>
        {
            await ctx.RunAsync("a", _ => Task.CompletedTask);
            await ctx.RunAsync("b", _ => Task.CompletedTask);
        }));
        var ops = host.Services.GetRequiredService<IOperationsService>();

        var ids = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var batch = await host.Client.TriggerBatchAsync("busy", Enumerable.Range(0, Runs / 10).Select(i => new BatchItem(null, System.Text.Json.JsonSerializer.SerializeToElement(i))).ToList(), cancellationToken: Ct);
            ids.AddRange(batch.Select(r => r.RunId));
            await ops.PauseWorkflowAsync(Operator, "busy", cancellationToken: Ct);
            await Task.Delay(Random.Shared.Next(5, 40), Ct);
            await ops.ResumeWorkflowAsync(Operator, "busy", cancellationToken: Ct);
        }

        foreach (var runId in ids)
        {
            var run = await host.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));
            Assert.Equal((RunStatus.Completed, false), (run.Status, run.Held));
        }
    }

    /// <summary>
    /// Two nodes on one PostgreSQL database: a pause made on node A holds the runs node B executes (within the two
    /// seconds B's copy may be old), and pauses and resumes made on A race B's holds without leaving a run held.
    /// </summary>
    [Fact]
    public async Task PauseOnOneNode_HoldsTheOthersRuns_AndRacingResumesLeaveNoneHeld()
    {
        Assert.SkipUnless(FlowDashboard.Tests.Shared.TestStore.IsPostgreSql, "Nodes share a PostgreSQL store; a SQLite store has one process.");
        static void Busy(FlowDashboardBuilder flows) => flows.AddWorkflow<int>("busy", async ctx =>
        {
            await ctx.RunAsync("a", _ => Task.CompletedTask);
            await ctx.SleepAsync("nap", TimeSpan.FromMilliseconds(300));
            await ctx.RunAsync("b", _ => Task.CompletedTask);
        });
        await using var a = await EngineHost.StartAsync(Busy);
        await using var b = await EngineHost.StartAsync(Busy, folder: a.Folder);
        var ops = a.Services.GetRequiredService<IOperationsService>();

        await ops.PauseWorkflowAsync(Operator, "busy", cancellationToken: Ct);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        var onB = await TriggerAsync(b, "busy", 1);
        Assert.Equal(RunStatus.Pending, (await b.WaitForRunAsync(onB, r => r.Held)).Status);
        await ops.ResumeWorkflowAsync(Operator, "busy", cancellationToken: Ct);
        Assert.Equal(RunStatus.Completed, (await b.WaitForFinalAsync(onB)).Status);

        var ids = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 10; i++) ids.Add(await TriggerAsync(i % 2 == 0 ? a : b, "busy", i));
            await ops.PauseWorkflowAsync(Operator, "busy", cancellationToken: Ct);
            await Task.Delay(Random.Shared.Next(50, 400), Ct);
            await b.Services.GetRequiredService<IOperationsService>().ResumeWorkflowAsync(Operator, "busy", cancellationToken: Ct);
        }

        foreach (var runId in ids)
        {
            var run = await a.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));
            Assert.Equal((RunStatus.Completed, false), (run.Status, run.Held));
        }
    }

    private static async Task<string> TriggerAsync<T>(EngineHost host, string workflow, T input) =>
        (await host.Client.TriggerAsync(workflow, input, cancellationToken: Ct)).RunId;

    /// <summary>An order, keyed by customer.</summary>
    public sealed record Order(string Customer);
}
