using System.Diagnostics.Metrics;
using FlowDashboard.Execution;
using Hangfire;

namespace FlowDashboard.Telemetry;

/// <summary>
/// The engine's instruments, on a meter named <see cref="FlowTelemetry.Name"/> made by the host's
/// <see cref="IMeterFactory"/>. Counters and histograms carry the workflow (and a step's name and outcome), never a
/// run id: a series per run would flood any metrics store.
/// </summary>
internal sealed class FlowMetrics : IDisposable
{
    /// <summary>The Hangfire queue every job of the engine goes to.</summary>
    private const string Queue = "default";

    private readonly Meter meter;
    private readonly Counter<long> runsStarted;
    private readonly Counter<long> runsCompleted;
    private readonly Counter<long> runsFailed;
    private readonly Counter<long> runsCancelled;
    private readonly Counter<long> retriesScheduled;
    private readonly Histogram<double> attemptDuration;
    private readonly Histogram<double> queueWait;

    public FlowMetrics(IMeterFactory meters, JobDispatcher jobs, JobStorage storage)
    {
        meter = meters.Create(FlowTelemetry.Name, typeof(FlowMetrics).Assembly.GetName().Version?.ToString(3));
        runsStarted = meter.CreateCounter<long>("flowdashboard.runs.started", "{run}", "Runs recorded (triggered by the API, a schedule, a parent or an operator).");
        runsCompleted = meter.CreateCounter<long>("flowdashboard.runs.completed", "{run}", "Runs that completed.");
        runsFailed = meter.CreateCounter<long>("flowdashboard.runs.failed", "{run}", "Runs that failed (a step failed for good, or the body threw).");
        runsCancelled = meter.CreateCounter<long>("flowdashboard.runs.cancelled", "{run}", "Runs cancelled by an operator or with their parent.");
        retriesScheduled = meter.CreateCounter<long>("flowdashboard.step.retries", "{retry}", "Step attempts that failed and were given another attempt later.");
        attemptDuration = meter.CreateHistogram<double>("flowdashboard.step.attempt.duration", "s", "How long a step attempt ran, by workflow, step and outcome.");
        queueWait = meter.CreateHistogram<double>("flowdashboard.run.queue_wait", "s", "How long a run was due before a worker took it up.");

        // Read when the exporter collects: jobs this node has yet to create, and jobs created but not yet fetched by a worker.
        meter.CreateObservableGauge(
            "flowdashboard.runs.backlog",
            () => jobs.Backlog + storage.GetMonitoringApi().EnqueuedCount(Queue),
            "{run}",
            "Runs (and calls) due and waiting for a worker.");
    }

    public void RunStarted(string workflow) => runsStarted.Add(1, Workflow(workflow));

    public void RunCompleted(string workflow) => runsCompleted.Add(1, Workflow(workflow));

    public void RunFailed(string workflow) => runsFailed.Add(1, Workflow(workflow));

    public void RunCancelled(string workflow) => runsCancelled.Add(1, Workflow(workflow));

    public void RetryScheduled(string workflow, string step) =>
        retriesScheduled.Add(1, Workflow(workflow), new KeyValuePair<string, object?>(FlowTelemetry.StepAttribute, step));

    public void AttemptEnded(string workflow, string step, string outcome, TimeSpan duration) =>
        attemptDuration.Record(
            duration.TotalSeconds,
            Workflow(workflow),
            new KeyValuePair<string, object?>(FlowTelemetry.StepAttribute, step),
            new KeyValuePair<string, object?>(FlowTelemetry.OutcomeAttribute, outcome));

    public void QueueWaited(string workflow, TimeSpan wait) => queueWait.Record(Math.Max(0, wait.TotalSeconds), Workflow(workflow));

    public void Dispose() => meter.Dispose();

    private static KeyValuePair<string, object?> Workflow(string workflow) => new(FlowTelemetry.WorkflowAttribute, workflow);
}
