using Hangfire;

namespace FlowDashboard.Execution;

/// <summary>Hands runs to Hangfire. Called only after the store says the run is due, so a lost job loses nothing.</summary>
internal sealed class JobDispatcher(IBackgroundJobClient client, TimeProvider time)
{
    public void Enqueue(string runId) =>
        client.Enqueue<WorkflowRunner>(runner => runner.ExecuteAsync(runId, CancellationToken.None));

    /// <summary>Has a call's next attempt made now, or at <paramref name="dueAtUtc"/>.</summary>
    public void ScheduleCall(long stepId, DateTime? dueAtUtc = null)
    {
        var delay = (dueAtUtc ?? DateTime.MinValue) - time.GetUtcNow().UtcDateTime;
        if (delay <= TimeSpan.Zero) client.Enqueue<CallJob>(job => job.ExecuteAsync(stepId, CancellationToken.None));
        else client.Schedule<CallJob>(job => job.ExecuteAsync(stepId, CancellationToken.None), delay);
    }

    /// <summary>Enqueues the run now if due, else schedules it for <paramref name="dueAtUtc"/>.</summary>
    public void Schedule(string runId, DateTime dueAtUtc)
    {
        var delay = dueAtUtc - time.GetUtcNow().UtcDateTime;
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(runId);
            return;
        }

        client.Schedule<WorkflowRunner>(runner => runner.ExecuteAsync(runId, CancellationToken.None), delay);
    }
}
