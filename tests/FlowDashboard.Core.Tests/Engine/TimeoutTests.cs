using System.Collections.Concurrent;
using System.Security.Claims;
using FlowDashboard.Authoring;
using FlowDashboard.Client;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Operations;
using FlowDashboard.States;
using Microsoft.Extensions.DependencyInjection;

namespace FlowDashboard.Core.Tests.Engine;

/// <summary>WorkflowOptions.Timeout: a run unfinished at its deadline fails, whatever it is doing, and its failure handler runs.</summary>
public sealed class TimeoutTests
{
    // Long enough that a loaded machine still sees each run before its deadline; each test waits it out once or twice.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops@example.com")], "test"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Timeout_StepStillRunning_StepCancelledThroughItsTokenRunFailsAndHandlerRuns()
    {
        var handled = new ConcurrentQueue<WorkflowFailure<int>>();
        var stepCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "slow",
            ctx => ctx.RunAsync("forever", async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    stepCancelled.TrySetResult();
                }
            }),
            o =>
            {
                o.Timeout = Limit;
                o.OnFailure = (failure, _) =>
                {
                    handled.Enqueue(failure);
                    return Task.CompletedTask;
                };
            }));

        var runId = (await host.Client.TriggerAsync("slow", 1, cancellationToken: Ct)).RunId;
        var running = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Running && r.Steps.Count == 1);
        var run = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Failed && r.Steps.Any(s => s.Kind == StepKind.FailureHandler && s.Status == StepStatus.Completed));

        await stepCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(running.StartedAt + Limit, running.TimesOutAt);
        Assert.Null(run.TimesOutAt);
        Assert.StartsWith("The run did not finish within its timeout of 00:00:03", run.Error, StringComparison.Ordinal);
        Assert.InRange(run.CompletedAt!.Value - run.StartedAt!.Value, Limit, Limit + TimeSpan.FromSeconds(5));
        Assert.Equal(StepStatus.Cancelled, run.Steps.Single(s => s.Name == "forever").Status);
        var failure = Assert.Single(handled);
        Assert.Equal((typeof(TimeoutException).FullName, run.Error), (failure.ErrorType, failure.Error));
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData("wait")]
    [InlineData("retry")]
    public async Task Timeout_RunSuspendedPastItsDeadline_WokenAndFailedLeavingNoStepOpen(string what)
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "idle",
            async ctx =>
            {
                await ctx.RunAsync("first", _ => Task.CompletedTask);
                switch (what)
                {
                    case "sleep":
                        await ctx.SleepAsync("nap", TimeSpan.FromHours(1));
                        break;
                    case "wait":
                        await ctx.WaitForEventAsync<string>("approval", "approve-" + ctx.RunId, TimeSpan.FromHours(1));
                        break;
                    default:
                        await ctx.RunAsync("flaky", _ => throw new InvalidOperationException("down"),
                            new StepOptions { Retry = new RetryPolicy { Retries = 10, InitialDelay = TimeSpan.FromHours(1) } });
                        break;
                }
            },
            o => o.Timeout = Limit));

        var runId = (await host.Client.TriggerAsync("idle", 1, cancellationToken: Ct)).RunId;
        var run = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Failed);

        Assert.Contains("did not finish within its timeout", run.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Completed, run.Steps[0].Status);
        Assert.Equal(StepStatus.Cancelled, run.Steps[1].Status);
        Assert.Null(run.DueAt);
    }

    [Fact]
    public async Task Timeout_RunFinishingInTime_CompletesAndShowsNoDeadlineAfter()
    {
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "quick",
            async ctx =>
            {
                await ctx.SleepAsync("short", TimeSpan.FromSeconds(3));
                await ctx.RunAsync("done", _ => Task.CompletedTask);
            },
            o => o.Timeout = TimeSpan.FromSeconds(30)));

        var runId = (await host.Client.TriggerAsync("quick", 1, cancellationToken: Ct)).RunId;
        var sleeping = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Sleeping);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(sleeping.StartedAt + TimeSpan.FromSeconds(30), sleeping.TimesOutAt);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Null(run.TimesOutAt);
    }

    [Fact]
    public async Task Resume_TimedOutRun_GetsTheWholeTimeoutAgainAndCompletes()
    {
        // Long enough for a loaded machine to start the resumed run and replay it well within the new deadline.
        var limit = TimeSpan.FromSeconds(5);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "gated",
            async ctx =>
            {
                await ctx.RunAsync("first", _ => Task.CompletedTask);
                await ctx.RunAsync("gate", ct => release.Task.WaitAsync(ct));
            },
            o => o.Timeout = limit));
        var runId = (await host.Client.TriggerAsync("gated", 1, cancellationToken: Ct)).RunId;
        var timedOut = await host.WaitForRunAsync(runId, r => r.Status == RunStatus.Failed && r.DueAt is null);
        Assert.Contains("did not finish within its timeout", timedOut.Error, StringComparison.Ordinal);

        release.SetResult();
        var resumedAt = DateTimeOffset.UtcNow;
        await host.Services.GetRequiredService<IOperationsService>().ResumeAsync(Operator, runId, Ct);
        var run = await host.WaitForFinalAsync(runId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(StepStatus.Completed, run.Steps.Single(s => s.Name == "gate").Status);
        Assert.True(run.CompletedAt > resumedAt);
    }

    [Fact]
    public async Task Resume_RunThatTimedOutSleeping_SleepsOnWithANewDeadline_ButOneThatTimedOutWaitingIsRefused()
    {
        await using var host = await EngineHost.StartAsync(flows => flows
            .AddWorkflow<int>("sleepy", ctx => ctx.SleepAsync("nap", TimeSpan.FromHours(1)), o => o.Timeout = Limit)
            .AddWorkflow<int>("patient", ctx => ctx.WaitForEventAsync<string>("approval", "approve", TimeSpan.FromHours(1)), o => o.Timeout = Limit));
        var sleepy = (await host.Client.TriggerAsync("sleepy", 1, cancellationToken: Ct)).RunId;
        var patient = (await host.Client.TriggerAsync("patient", 1, cancellationToken: Ct)).RunId;
        await host.WaitForRunAsync(sleepy, r => r.Status == RunStatus.Failed && r.DueAt is null);
        await host.WaitForRunAsync(patient, r => r.Status == RunStatus.Failed && r.DueAt is null);
        var ops = host.Services.GetRequiredService<IOperationsService>();

        var resumedAt = DateTimeOffset.UtcNow;
        await ops.ResumeAsync(Operator, sleepy, Ct);
        var sleeping = await host.WaitForRunAsync(sleepy, r => r.Status == RunStatus.Sleeping);
        var refused = await Assert.ThrowsAsync<FlowDashboard.Exceptions.RunConflictException>(() => ops.ResumeAsync(Operator, patient, Ct));

        Assert.Equal(StepStatus.Sleeping, sleeping.Steps.Single().Status);
        Assert.True(sleeping.TimesOutAt >= resumedAt + Limit, $"a new deadline from the resume: {sleeping.TimesOutAt:O}");
        Assert.Contains("step 'approval' waited", refused.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await host.Client.GetRunAsync(patient, Ct))!.Status);
        Assert.Equal(RunStatus.Failed, (await host.WaitForRunAsync(sleepy, r => r.Status == RunStatus.Failed)).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AddWorkflow_TimeoutNotPositive_Refused(int seconds)
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddFlowDashboardEngine(_ => { })
            .AddWorkflow<int>("bad", _ => Task.CompletedTask, o => o.Timeout = TimeSpan.FromSeconds(seconds)));

        Assert.Contains("Timeout must be more than zero", error.Message, StringComparison.Ordinal);
    }
}
