using System.Diagnostics;
using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Telemetry;
using FlowDashboard.Transitions;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Engine;

/// <summary>The steps that run user code (<c>RunAsync</c>) and that sleep (<c>SleepAsync</c>).</summary>
internal abstract partial class WorkflowExecution
{
    protected Task<T> RunStepAsync<T>(string requestedName, Func<CancellationToken, Task<T>> action, StepOptions? options)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!TryNextStep(requestedName, StepKind.Run, out var name, out var sequence, out var step, out var group)) return Never<T>();
        switch (step)
        {
            case { Status: StepStatus.Completed }:
                return Replay(step, s => Deserialize<T>(s.Output));
            case { Status: StepStatus.Failed or StepStatus.Cancelled }:
                Fail(new Halt.StepFailed());
                return Never<T>();
        }

        var result = new TaskCompletionSource<T>();
        void Attempt(StepEntity? current) => StartLive(sequence, operation => AttemptAsync(operation, current, name, sequence, group, action, options, result, Attempt));
        if (step is { NextAttemptAt: { } next } && next > Now) Suspend(next, RunStatus.Running, () => Attempt(step));
        else Attempt(step);
        return result.Task;
    }

    protected Task SleepStepAsync(string requestedName, Func<DateTime, DateTime> wakeAt)
    {
        if (!TryNextStep(requestedName, StepKind.Sleep, out var name, out var sequence, out var step, out var group)) return Never<bool>();
        var woken = new TaskCompletionSource<bool>();
        switch (step)
        {
            case { Status: StepStatus.Completed }:
                return Replay(step, _ => true);
            case null:
                var wake = wakeAt(Now);
                StartLive(sequence, async operation =>
                {
                    if (wake <= Now)
                    {
                        await CompleteAsync(operation, order => Setup.Execution.BeginSleepAsync(Lease, name, sequence, wake, group, order, Lease.Shutdown), () => woken.SetResult(true));
                        return;
                    }

                    var sleeping = await Setup.Execution.BeginSleepAsync(Lease, name, sequence, wake, group, completionOrder: null, Lease.Shutdown);
                    operation.Deliver(() => Suspend(wake, RunStatus.Sleeping, () => Wake(sleeping, woken)));
                });
                return woken.Task;
            case { Status: StepStatus.Sleeping, WakeAt: { } due } when due <= Now:
                Wake(step, woken);
                return woken.Task;
            case { Status: StepStatus.Sleeping, WakeAt: { } later }:
                Suspend(later, RunStatus.Sleeping, () => Wake(step, woken));
                return woken.Task;
            default:
                Fail(new Halt.StepFailed());
                return Never<bool>();
        }
    }

    private void Wake(StepEntity sleeping, TaskCompletionSource<bool> woken) =>
        StartLive(sleeping.Sequence, operation => CompleteAsync(operation, order => Setup.Execution.CompleteSleepAsync(Lease, sleeping, order, Lease.Shutdown), () => woken.SetResult(true)));

    private async Task AttemptAsync<T>(
        LiveOperation operation, StepEntity? step, string name, int sequence, int? group,
        Func<CancellationToken, Task<T>> action, StepOptions? options, TaskCompletionSource<T> result, Action<StepEntity?> retry)
    {
        DateTime? startedAt = null;
        if (Setup.Definition.Options.FlowControl is { RateLimit: { } limit } flow)
        {
            var (granted, at) = await Setup.FlowControl.TakeRateTokenAsync(RunId, Workflow, Setup.Run.ConcurrencyKey ?? "", limit, flow.RatePeriod, Lease.Shutdown);
            if (!granted)
            {
                // Over the workflow's rate: the step waits for the next window, like a retry waits for its back-off.
                operation.Deliver(() => Suspend(at, RunStatus.Running, () => retry(step)));
                return;
            }

            startedAt = at;
        }

        var scheduledAt = step?.NextAttemptAt ?? TakeQueuedSince();
        var begun = await Setup.Execution.BeginAttemptAsync(Lease, step, name, sequence, StepKind.Run, scheduledAt, startedAt, group, Lease.Shutdown);

        // The attempt's span and log scope: what the step's own code traces and logs is the attempt's.
        using var activity = FlowTelemetry.Source.StartActivity($"step {name}", ActivityKind.Internal, Setup.Trace);
        activity?.SetTag(FlowTelemetry.WorkflowAttribute, Workflow);
        activity?.SetTag(FlowTelemetry.RunIdAttribute, RunId);
        activity?.SetTag(FlowTelemetry.StepAttribute, name);
        activity?.SetTag(FlowTelemetry.AttemptAttribute, begun.AttemptCount);
        using var logScope = Setup.Logger.BeginScope(new Dictionary<string, object> { ["Step"] = name, ["Attempt"] = begun.AttemptCount });
        var started = Setup.Time.GetTimestamp();
        T value;
        string json;
        try
        {
            value = await InvokeAsync(action, options?.Timeout);
            json = Serialize(value);
        }
        catch (Exception ex) when (StepToken.IsCancellationRequested && !Lease.Token.IsCancellationRequested)
        {
            // The body returned (or the run halted) while this step ran: it is no longer needed.
            _ = ex;
            activity?.SetTag(FlowTelemetry.OutcomeAttribute, "cancelled");
            await Setup.Execution.CancelAttemptAsync(Lease, begun, CancellationToken.None);
            operation.Deliver(static () => { });
            return;
        }
        catch (Exception ex)
        {
            var halt = await OnAttemptFailedAsync(begun, ex, options?.Retry ?? Setup.Definition.Options.Retry);
            var outcome = halt is Halt.Suspended ? "retrying" : "failed";
            FlowTelemetry.Failed(activity, ex, outcome);
            Setup.Metrics.AttemptEnded(Workflow, name, outcome, Setup.Time.GetElapsedTime(started));
            operation.Deliver(() =>
            {
                if (halt is Halt.Suspended suspended) Suspend(suspended.DueAt, suspended.Status, () => retry(begun));
                else Fail(halt);
            });
            return;
        }

        activity?.SetTag(FlowTelemetry.OutcomeAttribute, "completed");
        Setup.Metrics.AttemptEnded(Workflow, name, "completed", Setup.Time.GetElapsedTime(started));

        await CompleteAsync(
            operation,
            order =>
            {
                // Queued, not waited for: whatever the execution records next commits with it or after it (see ExecutionTransitions.CompleteStep).
                _ = Setup.Execution.CompleteStep(Lease, begun, json, order);
                return Task.CompletedTask;
            },
            () => result.SetResult(value));
    }

    /// <summary>A step's result as it is recorded; one that JSON cannot hold fails the step at once, as no retry changes that.</summary>
    private static string Serialize<T>(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value, FlowJson.Data);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new NonRetryableException($"The step's result ({typeof(T).Name}) cannot be recorded as JSON: {ex.Message}", ex);
        }
    }

    private async Task<T> InvokeAsync<T>(Func<CancellationToken, Task<T>> action, TimeSpan? timeout)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(StepToken);
        var task = action(cancellation.Token);
        if (timeout is not { } limit) return await task;
        try
        {
            // WaitAsync gives up even when the step ignores its token; the token still tells it to stop.
            return await task.WaitAsync(limit, Setup.Time, StepToken);
        }
        catch (TimeoutException)
        {
            await cancellation.CancelAsync();
            throw new TimeoutException($"The step did not finish within its timeout of {limit}.");
        }
    }

    /// <summary>Fails the step for good, and with it the run, and wakes the parent that commit woke.</summary>
    private async Task FailStepAsync(StepEntity step, Exception error)
    {
        Wake(await Setup.Execution.FailStepAsync(Lease, step, error, Setup.Definition.HasFailureHandler, Lease.Shutdown));
        Setup.Metrics.RunFailed(Workflow);
    }

    private async Task<Halt> OnAttemptFailedAsync(StepEntity step, Exception error, RetryPolicy policy)
    {
        if (Lease.Token.IsCancellationRequested) return new Halt.Stopped();

        // Attempts before an operator's retry do not count: the retry starts with the whole budget.
        var attempts = step.AttemptCount - step.RetryBase;
        if (error is NonRetryableException || attempts > policy.Retries)
        {
            Setup.Logger.LogWarning(error, "Step {Step} of run {RunId} failed for good after {Attempts} attempt(s)", step.Name, RunId, step.AttemptCount);
            await FailStepAsync(step, error);
            return new Halt.StepFailed();
        }

        var next = Now + policy.DelayBefore(attempts, Random.Shared.NextDouble());
        Setup.Logger.LogDebug("Step {Step} of run {RunId} failed (attempt {Attempt}); retrying at {NextAttemptAt:O}: {Error}", step.Name, RunId, step.AttemptCount, next, error.Message);
        await Setup.Execution.ScheduleRetryAsync(Lease, step, error, next, Lease.Shutdown);
        Setup.Metrics.RetryScheduled(Workflow, step.Name);
        step.NextAttemptAt = next;
        return new Halt.Suspended(next, RunStatus.Running);
    }
}
