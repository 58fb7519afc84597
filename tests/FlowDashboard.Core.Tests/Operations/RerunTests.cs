using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.Queries;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Operations;

/// <summary>Rerun from any step: a new run reuses the steps before it, runs on from it, optionally with an edited input.</summary>
public sealed class RerunTests
{
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));

    private readonly ConcurrentQueue<(string RunId, string Step)> executed = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rerun_FromAMiddleStep_ReusesTheStepsBeforeItRunsTheRestAndLinksBothRuns()
    {
        await using var host = await StartAsync();
        var originId = (await host.Client.TriggerAsync("pipeline", 5, new TriggerOptions { Tags = new Dictionary<string, string> { ["customer"] = "42" } }, Ct)).RunId;
        var origin = await host.WaitForFinalAsync(originId);

        var rerunId = await Ops(host).RerunAsync(Operator, originId, "double", cancellationToken: Ct);
        var rerun = await host.WaitForFinalAsync(rerunId);

        Assert.Equal(RunStatus.Completed, rerun.Status);
        Assert.Equal(origin.Output!.Value.GetRawText(), rerun.Output!.Value.GetRawText());
        Assert.Equal(origin.Steps.Select(s => (s.Name, s.Output?.GetRawText())), rerun.Steps.Select(s => (s.Name, s.Output?.GetRawText())));
        Assert.Equal(["fetch", "double", "report"], executed.Where(e => e.RunId == originId).Select(e => e.Step));
        Assert.Equal(["double", "report"], executed.Where(e => e.RunId == rerunId).Select(e => e.Step));
        Assert.Equal(("rerun", originId), (rerun.Source.Name, rerun.SourceRef));
        Assert.Equal(new Dictionary<string, string> { ["customer"] = "42" }, rerun.Tags);
        Assert.Equal([rerunId], (await host.Client.GetRunAsync(originId, Ct))!.Reruns);
        Assert.Equal([rerunId], (await Queries(host).GetTimelineAsync(originId, Ct))!.Reruns);
        var originAudit = Assert.Single(await Queries(host).GetAuditAsync(originId, Ct), a => a.Action == "rerun");
        Assert.Equal(("ops@example.com", "double", $"new run {rerunId}"), (originAudit.Actor, originAudit.Target, originAudit.Detail));
        Assert.Contains(await Queries(host).GetAuditAsync(rerunId, Ct), a => a.Action == "rerun" && a.Detail == $"rerun of {originId}, 2 step(s) reused");
    }

    [Fact]
    public async Task Rerun_WithEditedInput_StepsFromThereSeeTheNewInput()
    {
        await using var host = await StartAsync();
        var originId = (await host.Client.TriggerAsync("pipeline", 5, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(originId);

        var rerunId = await Ops(host).RerunAsync(Operator, originId, "double", JsonSerializer.SerializeToElement(7), Ct);
        var rerun = await host.WaitForFinalAsync(rerunId);

        Assert.Equal(RunStatus.Completed, rerun.Status);
        Assert.Equal("7", rerun.Input!.Value.GetRawText());
        Assert.Equal("\"fetched 5\"", rerun.Steps.Single(s => s.Name == "fetch").Output!.Value.GetRawText());
        Assert.Equal("14", rerun.Steps.Single(s => s.Name == "double").Output!.Value.GetRawText());
        Assert.Contains(await Queries(host).GetAuditAsync(rerunId, Ct), a => a.Action == "rerun" && a.Detail!.EndsWith("input edited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rerun_EditedInputTakesAnotherPathBeforeTheStep_FailsAsNotDeterministic()
    {
        await using var host = await StartAsync();
        var originId = (await host.Client.TriggerAsync("branching", 1, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(originId);

        var rerunId = await Ops(host).RerunAsync(Operator, originId, "finish", JsonSerializer.SerializeToElement(100), Ct);
        var rerun = await host.WaitForFinalAsync(rerunId);

        Assert.Equal(RunStatus.Failed, rerun.Status);
        Assert.Contains("Non-deterministic workflow", rerun.Error, StringComparison.Ordinal);
        Assert.Contains("'small'", rerun.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(executed, e => e.RunId == rerunId);
    }

    [Fact]
    public async Task Rerun_FailedRunFromItsFailedStepWithAFixedInput_Completes()
    {
        await using var host = await StartAsync();
        var originId = (await host.Client.TriggerAsync("pipeline", -1, cancellationToken: Ct)).RunId;
        var failed = await host.WaitForFinalAsync(originId);
        Assert.Equal(RunStatus.Failed, failed.Status);

        var rerunId = await Ops(host).RerunAsync(Operator, originId, "double", JsonSerializer.SerializeToElement(3), Ct);

        Assert.Equal(RunStatus.Completed, (await host.WaitForFinalAsync(rerunId)).Status);
        Assert.Equal(RunStatus.Failed, (await host.Client.GetRunAsync(originId, Ct))!.Status);
    }

    [Fact]
    public async Task Rerun_FromTheFirstStepOrAfterParallelSteps_RunsOnlyWhatFollows()
    {
        await using var host = await StartAsync();
        var originId = (await host.Client.TriggerAsync("fan-out", 3, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(originId);

        var afterFanOut = await Ops(host).RerunAsync(Operator, originId, "sum", cancellationToken: Ct);
        var fromStart = await Ops(host).RerunAsync(Operator, originId, "part", cancellationToken: Ct);

        Assert.Equal("6", (await host.WaitForFinalAsync(afterFanOut)).Output!.Value.GetRawText());
        Assert.Equal("6", (await host.WaitForFinalAsync(fromStart)).Output!.Value.GetRawText());
        Assert.Equal(["sum"], executed.Where(e => e.RunId == afterFanOut).Select(e => e.Step));
        Assert.Equal(4, executed.Count(e => e.RunId == fromStart));
    }

    [Fact]
    public async Task Rerun_BadRequests_RefusedAndNothingStarted()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(flows => flows.AddWorkflow<int>("held", ctx => ctx.RunAsync("wait", ct => gate.Task.WaitAsync(ct))));
        var doneId = (await host.Client.TriggerAsync("pipeline", 5, cancellationToken: Ct)).RunId;
        await host.WaitForFinalAsync(doneId);
        var runningId = (await host.Client.TriggerAsync("held", 1, cancellationToken: Ct)).RunId;
        await host.WaitForRunAsync(runningId, r => r.Status == RunStatus.Running && r.Steps.Count == 1);
        var before = await Queries(host).CountAsync(new RunFilter(), Ct);

        await Assert.ThrowsAsync<RunNotFoundException>(() => Ops(host).RerunAsync(Operator, "nope", "fetch", cancellationToken: Ct));
        await Assert.ThrowsAsync<StepNotFoundException>(() => Ops(host).RerunAsync(Operator, doneId, "nope", cancellationToken: Ct));
        var running = await Assert.ThrowsAsync<RunConflictException>(() => Ops(host).RerunAsync(Operator, runningId, "wait", cancellationToken: Ct));
        Assert.Contains("only a finished run can be rerun", running.Message, StringComparison.Ordinal);
        var invalid = await Assert.ThrowsAsync<InvalidWorkflowInputException>(() => Ops(host).RerunAsync(Operator, doneId, "double", JsonSerializer.SerializeToElement("seven"), Ct));
        Assert.NotEmpty(invalid.Errors);

        Assert.Equal(before, await Queries(host).CountAsync(new RunFilter(), Ct));
        Assert.Empty((await host.Client.GetRunAsync(doneId, Ct))!.Reruns);
        gate.SetResult();
    }

    private static FlowDashboard.Operations.IOperationsService Ops(EngineHost host) => host.Services.GetRequiredService<FlowDashboard.Operations.IOperationsService>();

    private static IRunQueryService Queries(EngineHost host) => host.Services.GetRequiredService<IRunQueryService>();

    private Task<EngineHost> StartAsync(Action<FlowDashboardBuilder>? more = null) =>
        EngineHost.StartAsync(flows =>
        {
            flows
                .AddWorkflow<int, int>("pipeline", async ctx =>
                {
                    var fetched = await Step(ctx, "fetch", () => $"fetched {ctx.Input}");
                    await ctx.SleepAsync("nap", TimeSpan.FromMilliseconds(200));
                    var doubled = await Step(ctx, "double", () => ctx.Input >= 0 ? ctx.Input * 2 : throw new NonRetryableException("negative"));
                    await Step(ctx, "report", () => $"{fetched}, doubled {doubled}");
                    return doubled;
                })
                .AddWorkflow<int>("branching", async ctx =>
                {
                    if (ctx.Input > 10) await Step(ctx, "big", () => 1);
                    else await Step(ctx, "small", () => 0);
                    await Step(ctx, "finish", () => 2);
                })
                .AddWorkflow<int, int>("fan-out", async ctx =>
                {
                    var parts = await Task.WhenAll(Enumerable.Range(1, ctx.Input).Select(i => Step(ctx, "part", () => i)));
                    return await Step(ctx, "sum", () => parts.Sum());
                });
            more?.Invoke(flows);
        });

    private Task<T> Step<TInput, T>(IWorkflowContext<TInput> ctx, string name, Func<T> work) =>
        ctx.RunAsync(name, _ =>
        {
            executed.Enqueue((ctx.RunId, name));
            return Task.FromResult(work());
        });
}
