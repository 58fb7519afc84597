using System.Text.Json;
using FlowDashboard.Authoring;
using FlowDashboard.Exceptions;
using FlowDashboard.States;
using FlowDashboard.Store;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Engine;

/// <summary>
/// One execution of a run's body: replays recorded steps, runs the first unrecorded one, commits its
/// result and lets the body go on (inline continuation) until the body returns or a step halts it.
/// </summary>
internal abstract class WorkflowExecution(ExecutionSetup setup)
{
    private readonly TaskCompletionSource<Halt> halted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StepEntity> recorded = setup.Run.Steps.Where(s => s.Kind != StepKind.FailureHandler).ToList();
    private readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int nextSequence;

    // The first attempt of this execution waited in the queue since the run became due; later ones did not wait.
    private DateTime? queuedSince = setup.Run.DueAt;

    /// <summary>Completes when the body halts; it then never returns.</summary>
    public Task<Halt> Halted => halted.Task;

    public string RunId => setup.Run.Id;

    public string Workflow => setup.Run.Workflow;

    private RunStore Store => setup.Store;

    private RunLease Lease => setup.Lease;

    private DateTime Now => setup.Time.GetUtcNow().UtcDateTime;

    protected async Task<T> RunStepAsync<T>(string requestedName, Func<CancellationToken, Task<T>> action, StepOptions? options)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!TryNextStep(requestedName, StepKind.Run, out var name, out var sequence, out var step)) return await Never<T>();

        if (step is { Status: StepStatus.Completed }) return Deserialize<T>(step.Output);
        if (step is { Status: StepStatus.Failed or StepStatus.Cancelled }) return await HaltWith<T>(new Halt.StepFailed());
        if (step?.NextAttemptAt is { } next && next > Now) return await HaltWith<T>(new Halt.Suspended(next));

        var scheduledAt = step?.NextAttemptAt ?? queuedSince ?? Now;
        queuedSince = null;
        try
        {
            step = await Store.BeginAttemptAsync(Lease, step, name, sequence, StepKind.Run, scheduledAt, Lease.Shutdown);
        }
        catch (LeaseLostException)
        {
            return await HaltWith<T>(new Halt.Stopped());
        }

        Record(sequence, step);
        T result;
        try
        {
            result = await InvokeAsync(action, options?.Timeout);
        }
        catch (Exception ex)
        {
            return await HaltWith<T>(await OnAttemptFailedAsync(step, ex, options?.Retry ?? setup.Definition.Options.Retry));
        }

        try
        {
            await Store.CompleteStepAsync(Lease, step, JsonSerializer.Serialize(result, FlowJson.Data), Lease.Shutdown);
        }
        catch (Exception ex) when (ex is LeaseLostException or OperationCanceledException)
        {
            return await HaltWith<T>(new Halt.Stopped());
        }

        return result;
    }

    protected async Task SleepStepAsync(string requestedName, Func<DateTime, DateTime> wakeAt)
    {
        if (!TryNextStep(requestedName, StepKind.Sleep, out var name, out var sequence, out var step))
        {
            await Never<bool>();
            return;
        }

        try
        {
            if (step is null)
            {
                step = await Store.BeginSleepAsync(Lease, name, sequence, wakeAt(Now), Lease.Shutdown);
                Record(sequence, step);
            }
            else if (step.Status == StepStatus.Sleeping && step.WakeAt <= Now)
            {
                await Store.CompleteSleepAsync(Lease, step, Lease.Shutdown);
            }
        }
        catch (Exception ex) when (ex is LeaseLostException or OperationCanceledException)
        {
            await HaltWith<bool>(new Halt.Stopped());
            return;
        }

        switch (step.Status)
        {
            case StepStatus.Completed:
                return;
            case StepStatus.Sleeping:
                await HaltWith<bool>(new Halt.Suspended(step.WakeAt!.Value));
                return;
            default:
                await HaltWith<bool>(new Halt.StepFailed());
                return;
        }
    }

    private async Task<T> InvokeAsync<T>(Func<CancellationToken, Task<T>> action, TimeSpan? timeout)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Lease.Token);
        var task = action(cancellation.Token);
        if (timeout is not { } limit) return await task;
        try
        {
            // WaitAsync gives up even when the step ignores its token; the token still tells it to stop.
            return await task.WaitAsync(limit, setup.Time, Lease.Token);
        }
        catch (TimeoutException)
        {
            await cancellation.CancelAsync();
            throw new TimeoutException($"The step did not finish within its timeout of {limit}.");
        }
    }

    private async Task<Halt> OnAttemptFailedAsync(StepEntity step, Exception error, RetryPolicy policy)
    {
        if (Lease.Token.IsCancellationRequested) return new Halt.Stopped();
        try
        {
            // Attempts before an operator's retry do not count: the retry starts with the whole budget.
            var attempts = step.AttemptCount - step.RetryBase;
            if (error is NonRetryableException || attempts > policy.Retries)
            {
                setup.Logger.LogWarning(error, "Step {Step} of run {RunId} failed for good after {Attempts} attempt(s)", step.Name, RunId, step.AttemptCount);
                await Store.FailStepAsync(Lease, step, error, setup.Definition.HasFailureHandler, Lease.Shutdown);
                return new Halt.StepFailed();
            }

            var next = Now + policy.DelayBefore(attempts, Random.Shared.NextDouble());
            setup.Logger.LogInformation("Step {Step} of run {RunId} failed (attempt {Attempt}); retrying at {NextAttemptAt:O}: {Error}", step.Name, RunId, step.AttemptCount, next, error.Message);
            await Store.ScheduleRetryAsync(Lease, step, error, next, Lease.Shutdown);
            return new Halt.Suspended(next);
        }
        catch (Exception ex) when (ex is LeaseLostException or OperationCanceledException)
        {
            return new Halt.Stopped();
        }
    }

    /// <summary>
    /// Gives the step its stable name and position and checks it against what is recorded there. On a
    /// mismatch the body halts: the exception is never thrown into user code.
    /// </summary>
    private bool TryNextStep(string requestedName, StepKind kind, out string name, out int sequence, out StepEntity? step)
    {
        StepNames.Validate(requestedName);
        lock (gate)
        {
            var occurrence = occurrences[requestedName] = occurrences.GetValueOrDefault(requestedName) + 1;
            name = occurrence == 1 ? requestedName : $"{requestedName}#{occurrence}";
            sequence = nextSequence++;
            step = sequence < recorded.Count ? recorded[sequence] : null;
        }

        if (step is null || (step.Name == name && step.Kind == kind)) return true;
        var message = $"Non-deterministic workflow: step #{sequence + 1} was recorded as '{step.Name}' ({step.Kind}) " +
            $"but the workflow now requests '{name}' ({kind}). The workflow's code changed under a running run, " +
            "or its steps depend on something other than step results.";
        halted.TrySetResult(new Halt.NonDeterministic(message));
        return false;
    }

    private void Record(int sequence, StepEntity step)
    {
        lock (gate)
        {
            if (sequence == recorded.Count) recorded.Add(step);
        }
    }

    private Task<T> HaltWith<T>(Halt halt)
    {
        halted.TrySetResult(halt);
        return Never<T>();
    }

    private static Task<T> Never<T>() => new TaskCompletionSource<T>().Task;

    private static T Deserialize<T>(string? json) => JsonSerializer.Deserialize<T>(json ?? "null", FlowJson.Data)!;
}
