using FlowDashboard.Authoring;
using FlowDashboard.Core.Tests.Infrastructure;
using FlowDashboard.Exceptions;
using FlowDashboard.States;

namespace FlowDashboard.Core.Tests.Engine;

public sealed class RetryTests
{
    private static readonly RetryPolicy Fast = new() { Retries = 2, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 };

    [Fact]
    public async Task RunAsync_FailsTwiceThenSucceeds_CompletesWithThreeRecordedAttempts()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("flaky", async ctx =>
            await ctx.RunAsync("call", _ => Interlocked.Increment(ref calls) <= 2
                ? throw new InvalidOperationException($"boom {calls}")
                : Task.FromResult(calls), new StepOptions { Retry = Fast })));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("flaky", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Completed, run.Status);
        var step = Assert.Single(run.Steps);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Failed, AttemptStatus.Completed], step.Attempts.Select(a => a.Status));
        Assert.Equal("boom 1", step.Attempts[0].Error);
        Assert.Equal(typeof(InvalidOperationException).FullName, step.Attempts[0].ErrorType);
        Assert.Contains("RetryTests", step.Attempts[0].StackTrace, StringComparison.Ordinal);
        // The retry was due a back-off after the first attempt, and did not start before it was due. (Its end is the
        // failure's commit time, which a busy writer may record later than the back-off was counted from.)
        Assert.True(step.Attempts[1].ScheduledAt >= step.Attempts[0].StartedAt.AddMilliseconds(50), "the retry was not given its back-off");
        Assert.True(step.Attempts[1].StartedAt >= step.Attempts[1].ScheduledAt, "the back-off was not waited");
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_RunFailsAndFailureHandlerRunsOnce()
    {
        var handled = new List<WorkflowFailure<int>>();
        var laterStep = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "doomed",
            async ctx =>
            {
                await ctx.RunAsync("charge", _ => throw new InvalidOperationException("card declined"));
                await ctx.RunAsync("ship", _ => Task.FromResult(Interlocked.Increment(ref laterStep)));
            },
            o =>
            {
                o.Retry = Fast;
                o.OnFailure = (failure, _) =>
                {
                    lock (handled) handled.Add(failure);
                    return Task.CompletedTask;
                };
            }));

        var runId = (await host.Client.TriggerAsync("doomed", 42, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        var run = await host.WaitForRunAsync(runId, r => r.Steps.Any(s => s.Kind == StepKind.FailureHandler && s.Status.IsFinal()));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("charge", run.Error, StringComparison.Ordinal);
        Assert.Contains("card declined", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, laterStep);
        var charge = run.Steps[0];
        Assert.Equal(StepStatus.Failed, charge.Status);
        Assert.Equal(3, charge.Attempts.Count);
        var handler = Assert.Single(run.Steps, s => s.Kind == StepKind.FailureHandler);
        Assert.Equal("$on-failure", handler.Name);
        Assert.Equal(StepStatus.Completed, handler.Status);
        var failure = Assert.Single(handled);
        Assert.Equal(("charge", 42, runId), (failure.FailedStep, failure.Input, failure.RunId));
        Assert.Null(run.DueAt);
    }

    [Fact]
    public async Task FailureHandler_ThrowsOnce_IsRetriedAndRecordedWithTwoAttempts()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>(
            "handled",
            ctx => ctx.RunAsync("step", _ => throw new NonRetryableException("no")),
            o =>
            {
                o.Retry = Fast;
                o.OnFailure = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("handler hiccup") : Task.CompletedTask;
            }));

        var runId = (await host.Client.TriggerAsync("handled", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId;
        var run = await host.WaitForRunAsync(runId, r => r.Steps.Any(s => s.Kind == StepKind.FailureHandler && s.Status.IsFinal()));

        var handler = Assert.Single(run.Steps, s => s.Kind == StepKind.FailureHandler);
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Completed], handler.Attempts.Select(a => a.Status));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RunAsync_NonRetryableException_FailsAfterOneAttempt()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("strict", ctx =>
            ctx.RunAsync("validate", _ =>
            {
                Interlocked.Increment(ref calls);
                throw new NonRetryableException("quantity must be positive");
            }, new StepOptions { Retry = Fast with { Retries = 5 } })));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("strict", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(1, calls);
        var attempt = Assert.Single(Assert.Single(run.Steps).Attempts);
        Assert.Equal(typeof(NonRetryableException).FullName, attempt.ErrorType);
    }

    [Fact]
    public async Task RunAsync_ResultJsonCannotHold_FailsAtOnceSayingWhy()
    {
        var calls = 0;
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("cyclic", ctx =>
            ctx.RunAsync("loop", _ =>
            {
                Interlocked.Increment(ref calls);
                var node = new Node();
                node.Next = node;
                return Task.FromResult(node);
            }, new StepOptions { Retry = Fast with { Retries = 5 } })));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("cyclic", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(1, calls);
        var attempt = Assert.Single(Assert.Single(run.Steps).Attempts);
        Assert.Equal(typeof(NonRetryableException).FullName, attempt.ErrorType);
        Assert.StartsWith("The step's result (Node) cannot be recorded as JSON:", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StepExceedsTimeout_AttemptFailsWithTimeoutAndTokenIsCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineHost.StartAsync(flows => flows.AddWorkflow<int>("slow", ctx =>
            ctx.RunAsync("hang", async ct =>
            {
                using var registration = ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
            }, new StepOptions { Timeout = TimeSpan.FromMilliseconds(200), Retry = RetryPolicy.None })));

        var run = await host.WaitForFinalAsync((await host.Client.TriggerAsync("slow", 0, cancellationToken: TestContext.Current.CancellationToken)).RunId);

        Assert.Equal(RunStatus.Failed, run.Status);
        var attempt = Assert.Single(Assert.Single(run.Steps).Attempts);
        Assert.Equal(typeof(TimeoutException).FullName, attempt.ErrorType);
        Assert.Contains("timeout", attempt.Error, StringComparison.OrdinalIgnoreCase);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void DelayBefore_Retries_GrowsExponentiallyAndIsCapped()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), BackoffFactor = 2, MaxDelay = TimeSpan.FromSeconds(5), Jitter = 0.2 };

        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayBefore(10, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(0.8), policy.DelayBefore(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(6), policy.DelayBefore(10, 1));
    }

    public sealed class Node
    {
        public Node? Next { get; set; }
    }
}
