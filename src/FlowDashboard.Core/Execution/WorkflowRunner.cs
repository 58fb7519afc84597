using System.ComponentModel;
using System.Diagnostics;
using FlowDashboard.Client;
using FlowDashboard.Engine;
using FlowDashboard.Queries;
using FlowDashboard.States;
using FlowDashboard.Store;
using FlowDashboard.Telemetry;
using FlowDashboard.Transitions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowDashboard.Execution;

/// <summary>
/// The Hangfire job that executes a run: takes the run's lease, replays the body, and records what
/// happens. Safe to deliver twice: a second delivery finds the lease taken or nothing due, and returns.
/// </summary>
internal sealed class WorkflowRunner(
    ExecutionTransitions execution,
    WaitTransitions waits,
    CallTransitions calls,
    FlowControlTransitions flowControl,
    PauseRegistry pauses,
    OperatorTransitions operators,
    WorkflowRegistry registry,
    JobDispatcher jobs,
    RunChangeFeed changes,
    IServiceScopeFactory scopes,
    TimeProvider time,
    FlowMetrics metrics,
    IOptions<FlowDashboardOptions> options,
    ILogger<WorkflowRunner> logger)
{
    /// <summary>How soon a run whose execution stopped on an unexpected error is executed again; a repeating error repeats no faster.</summary>
    private static readonly TimeSpan ResumeAfterStop = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The job Hangfire runs: <see cref="ExecuteAsync"/>, waited for on the worker's thread. Hangfire waits for an
    /// async job with <c>Task.Wait</c>, which spins before it blocks: with its workers waiting on two cores, that
    /// spinning took a quarter of the engine's CPU (dotnet-trace, W1 benchmark). An event that never spins
    /// and needs no kernel handle (a task's own wait handle does, and is finalized later) blocks for free.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    [AutomaticRetry(Attempts = 0, LogEvents = false)] // The engine's retry policy is the only retry authority.
    [DisplayName("Execute run {0}")]
    public void Execute(string runId, CancellationToken cancellationToken)
    {
        var execution = ExecuteAsync(runId, cancellationToken);
        var done = new ManualResetEventSlim(initialState: false, spinCount: 0);
        execution.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(done.Set);
        done.Wait(CancellationToken.None);
        execution.GetAwaiter().GetResult();
    }

    /// <summary>Executes the run until it completes, fails or suspends.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    public async Task ExecuteAsync(string runId, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var acquired = await execution.TryAcquireAsync(runId, owner, options.Value.LeaseDuration, cancellationToken);
        if (acquired.NotDueUntil is { } due) jobs.Schedule(runId, due);
        if (acquired.Run is not { } run) return;

        // One span per execution, a child of the span that started the run; the host's own logs inside carry the run.
        using var activity = FlowTelemetry.Source.StartActivity($"run {run.Workflow}", ActivityKind.Internal, FlowTelemetry.ParentOf(run.TraceParent));
        activity?.SetTag(FlowTelemetry.WorkflowAttribute, run.Workflow);
        activity?.SetTag(FlowTelemetry.RunIdAttribute, run.Id);
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.Id, ["Workflow"] = run.Workflow });
        if (run.DueAt is { } dueAt) metrics.QueueWaited(run.Workflow, time.GetUtcNow().UtcDateTime - dueAt);

        var lease = new RunLease(runId, owner, execution, options.Value.LeaseDuration, time, logger, cancellationToken);
        try
        {
            var definition = registry.Get(run.Workflow);
            await using var scope = scopes.CreateAsyncScope();
            if (run.Status == RunStatus.Failed)
            {
                await RunFailureHandlerAsync(run, definition, lease, scope.ServiceProvider);
            }
            else
            {
                await RunBodyAsync(run, definition, lease, scope.ServiceProvider, activity);
            }
        }
        catch (Exception ex) when (ex is LeaseLostException or OperationCanceledException)
        {
            logger.LogDebug("Execution of run {RunId} stopped: {Reason}", runId, ex.Message);
            activity?.SetTag(FlowTelemetry.OutcomeAttribute, "stopped");
        }
        finally
        {
            await lease.DisposeAsync();
            if (!lease.Released) await execution.ReleaseAsync(lease, CancellationToken.None);
        }

        // This process is stopping (a deploy, a scale-in): a job that ends by Hangfire's shutdown token goes back to
        // its queue, so another node (or this one, started again) goes on with the run at once, not when a reconciler
        // finds it. The lease is released above; a run that needs nothing more makes that job a no-op.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RunBodyAsync(RunEntity run, WorkflowDefinition definition, RunLease lease, IServiceProvider services, Activity? activity)
    {
        var setup = new ExecutionSetup(run, lease, definition, execution, waits, calls, flowControl, pauses, operators, registry, jobs, changes, time, metrics, logger)
        {
            Trace = activity?.Context ?? default,
        };
        if (definition.DeadlineOf(run) is { } deadline && deadline <= time.GetUtcNow().UtcDateTime)
        {
            activity?.SetTag(FlowTelemetry.OutcomeAttribute, "failed");
            await FailAsync(run, definition, lease, services, definition.TimedOut(deadline), typeof(TimeoutException).FullName);
            return;
        }

        ExecutionOutcome outcome;
        try
        {
            using var execution = definition.CreateExecution(setup, services);
            outcome = await execution.RunAsync();
        }
        catch (Exception ex) when (ex is not (LeaseLostException or OperationCanceledException))
        {
            await FailAsync(run, definition, lease, services, $"The workflow could not start: {ex.Message}", ex.GetType().FullName);
            return;
        }

        activity?.SetTag(FlowTelemetry.OutcomeAttribute, outcome switch
        {
            { Halt: null, Error: null } => "completed",
            { Halt: Halt.Suspended } => "suspended",
            { Halt: Halt.Paused } => "paused",
            { Halt: Halt.Stopped } => "stopped",
            { Halt: Halt.Cancelled } => "cancelled",
            _ => "failed",
        });
        switch (outcome)
        {
            case { Halt: null, Error: null }:
                Wake(await execution.CompleteRunAsync(lease, outcome.Output, isChild: run.Source == RunSource.Parent, lease.Shutdown));
                metrics.RunCompleted(run.Workflow);
                logger.LogDebug("Run {RunId} of {Workflow} completed", run.Id, run.Workflow);
                break;
            case { Halt: null, Error: { } error }:
                if (lease.Token.IsCancellationRequested) return;
                await FailAsync(run, definition, lease, services, $"The workflow body threw: {error.Message}", error.GetType().FullName);
                break;
            case { Halt: Halt.Suspended suspended }:
                // Due now when something arrived for the run while this execution held it: the job its sender gave
                // the run found the lease taken, so this execution gives it the next one.
                if (await execution.SuspendAsync(lease, suspended.Status, suspended.DueAt, lease.Shutdown) is { } due) jobs.Schedule(run.Id, due);
                break;
            case { Halt: Halt.StepFailed }:
                await ContinueWithFailureHandlerAsync(run, definition, lease, services);
                break;
            case { Halt: Halt.NonDeterministic nonDeterministic }:
                await FailAsync(run, definition, lease, services, nonDeterministic.Message, typeof(Exceptions.NonDeterministicWorkflowException).FullName);
                break;
            case { Halt: Halt.Stuck stuck }:
                await FailAsync(run, definition, lease, services, stuck.Message, null);
                break;
            case { Halt: Halt.Paused }:
                if (await execution.HoldAsync(lease, run.Workflow, run.ConcurrencyKey, lease.Shutdown) is { } goOn) jobs.Schedule(run.Id, goOn);
                break;
            case { Halt: Halt.TimedOut timedOut }:
                await FailAsync(run, definition, lease, services, timedOut.Message, typeof(TimeoutException).FullName);
                break;
            case { Halt: Halt.Stopped } when !lease.Shutdown.IsCancellationRequested:
                // A write of this execution failed (logged where it did), or the lease went elsewhere. The run is still
                // due, so it goes on from what is recorded in a moment, not only once the reconciler finds it. Released
                // first, so the new job finds it free; a run taken over or cancelled meanwhile makes that job a no-op.
                await execution.ReleaseAsync(lease, CancellationToken.None);
                lease.MarkReleased();
                jobs.Schedule(run.Id, time.GetUtcNow().UtcDateTime + ResumeAfterStop);
                break;
        }
    }

    private async Task FailAsync(RunEntity run, WorkflowDefinition definition, RunLease lease, IServiceProvider services, string error, string? errorType)
    {
        logger.LogWarning("Run {RunId} of {Workflow} failed: {Error}", run.Id, run.Workflow, error);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error);
        Wake(await execution.FailRunAsync(lease, error, errorType, definition.HasFailureHandler, lease.Shutdown));
        metrics.RunFailed(run.Workflow);
        await ContinueWithFailureHandlerAsync(run, definition, lease, services);
    }

    private async Task ContinueWithFailureHandlerAsync(RunEntity run, WorkflowDefinition definition, RunLease lease, IServiceProvider services)
    {
        if (!definition.HasFailureHandler) return;

        // The run's row now holds the error the handler is told about.
        var failed = await execution.TryReloadAsync(lease, lease.Shutdown);
        if (failed is not null) await RunFailureHandlerAsync(failed, definition, lease, services);
    }

    private async Task RunFailureHandlerAsync(RunEntity run, WorkflowDefinition definition, RunLease lease, IServiceProvider services)
    {
        // Each failure of the run (a resumed run can fail again) has a handler step of its own.
        var name = run.FailureCount <= 1 ? StepNames.FailureHandler : $"{StepNames.FailureHandler}#{run.FailureCount}";
        var handler = run.Steps.FirstOrDefault(s => s.Kind == StepKind.FailureHandler && s.Name == name);
        if (!definition.HasFailureHandler || handler?.Status is StepStatus.Completed or StepStatus.Failed)
        {
            await execution.SettleAsync(lease, lease.Shutdown);
            return;
        }

        if (handler?.NextAttemptAt is { } next && next > time.GetUtcNow().UtcDateTime)
        {
            jobs.Schedule(run.Id, next);
            return;
        }

        var failedStep = run.Steps.LastOrDefault(s => s.Status == StepStatus.Failed && s.Kind != StepKind.FailureHandler)?.Name;
        var sequence = handler?.Sequence ?? (run.Steps.Count == 0 ? 0 : run.Steps.Max(s => s.Sequence) + 1);
        var step = await execution.BeginAttemptAsync(
            lease, handler, name, sequence, StepKind.FailureHandler, handler?.NextAttemptAt ?? time.GetUtcNow().UtcDateTime, startedAt: null, group: null, lease.Shutdown);
        try
        {
            await definition.RunFailureHandlerAsync(run, failedStep, services, lease.Token);
        }
        catch (Exception ex) when (!lease.Token.IsCancellationRequested)
        {
            var policy = definition.Options.Retry;
            if (step.AttemptCount > policy.Retries || ex is Exceptions.NonRetryableException)
            {
                logger.LogWarning(ex, "The failure handler of run {RunId} failed for good", run.Id);
                Wake(await execution.FailStepAsync(lease, step, ex, handlerFollows: false, lease.Shutdown));
                return;
            }

            var retryAt = time.GetUtcNow().UtcDateTime + policy.DelayBefore(step.AttemptCount, Random.Shared.NextDouble());
            await execution.ScheduleRetryAsync(lease, step, ex, retryAt, lease.Shutdown);
            await execution.SuspendAsync(lease, RunStatus.Failed, retryAt, lease.Shutdown);
            jobs.Schedule(run.Id, retryAt);
            return;
        }

        if (!await execution.CompleteStep(lease, step, null, completionOrder: null)) return;
        lease.MarkReleased();
        logger.LogDebug("The failure handler of run {RunId} completed", run.Id);
    }

    /// <summary>Gives a job to the parent run a commit of this execution woke.</summary>
    private void Wake(string? parent)
    {
        if (parent is not null) jobs.Enqueue(parent);
    }
}
