using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace FlowDashboard.Execution;

/// <summary>Hands runs to Hangfire. Called only after the store says the run is due, so a lost job loses nothing.</summary>
internal sealed partial class JobDispatcher(IBackgroundJobClient client, TimeProvider time, ILogger<JobDispatcher> logger)
{
    // Jobs are built from their method, not from an expression: Hangfire would parse the expression on every call.
    private static readonly MethodInfo ExecuteRun = typeof(WorkflowRunner).GetMethod(nameof(WorkflowRunner.Execute))!;
    private static readonly MethodInfo ExecuteCall = typeof(CallJob).GetMethod(nameof(CallJob.ExecuteAsync))!;

    public void Enqueue(string runId) => client.Create(RunJob(runId), new EnqueuedState());

    /// <summary>Has a call's next attempt made now, or at <paramref name="dueAtUtc"/>.</summary>
    public void ScheduleCall(long stepId, DateTime? dueAtUtc = null) =>
        Create(new Job(typeof(CallJob), ExecuteCall, stepId, CancellationToken.None), dueAtUtc ?? DateTime.MinValue);

    /// <summary>Enqueues the run now if due, else schedules it for <paramref name="dueAtUtc"/>.</summary>
    public void Schedule(string runId, DateTime dueAtUtc) => Create(RunJob(runId), dueAtUtc);

    /// <summary>
    /// Schedules many runs off the caller's thread. They are recorded already, so the caller need not wait for their
    /// jobs; a run whose job this process never creates (it stops first) gets one from the reconciler at the next start.
    /// </summary>
    public void ScheduleInBackground(IReadOnlyList<string> runIds, DateTime dueAtUtc) =>
        _ = Task.Run(() =>
        {
            try
            {
                foreach (var runId in runIds) Schedule(runId, dueAtUtc);
            }
            catch (Exception ex)
            {
                LogScheduleFailed(ex, runIds.Count);
            }
        });

    private static Job RunJob(string runId) => new(typeof(WorkflowRunner), ExecuteRun, runId, CancellationToken.None);

    private void Create(Job job, DateTime dueAtUtc)
    {
        var delay = dueAtUtc - time.GetUtcNow().UtcDateTime;
        client.Create(job, delay <= TimeSpan.Zero ? new EnqueuedState() : new ScheduledState(delay));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing {Count} new run(s) to Hangfire stopped; the reconciler gives the rest a job on its next pass")]
    private partial void LogScheduleFailed(Exception error, int count);
}
