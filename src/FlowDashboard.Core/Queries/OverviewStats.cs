namespace FlowDashboard.Queries;

/// <summary>What the overview shows for a time window, beside the current count of runs in each state.</summary>
/// <param name="Since">The window's start.</param>
/// <param name="Workflows">Each workflow with runs in the window, by name (one no longer registered: only if runs of it ended there).</param>
/// <param name="Backlog">Runs due now that no worker has taken yet (flow control's held runs left out), counted up to 10,000.</param>
/// <param name="OldestDueAt">When the longest-waiting of them became due; null when none waits.</param>
/// <param name="ScheduledRetries">Runs waiting out a retry's back-off before a step's next attempt, counted up to 10,000.</param>
public sealed record OverviewStats(DateTimeOffset Since, IReadOnlyList<WorkflowStats> Workflows, int Backlog, DateTimeOffset? OldestDueAt, int ScheduledRetries);

/// <summary>One workflow's runs in a time window.</summary>
/// <param name="Workflow">The workflow.</param>
/// <param name="Started">Runs created in the window.</param>
/// <param name="Completed">Runs that completed in the window.</param>
/// <param name="Failed">Runs that failed in the window (and are still failed).</param>
/// <param name="Cancelled">Runs cancelled in the window.</param>
/// <param name="P50">The median time from start to completion of the runs completed in the window; null when none did.</param>
/// <param name="P95">The 95th percentile of that time.</param>
public sealed record WorkflowStats(string Workflow, int Started, int Completed, int Failed, int Cancelled, TimeSpan? P50, TimeSpan? P95)
{
    /// <summary>Failed among the runs that ended (completed or failed) in the window, 0 to 1; null when none ended.</summary>
    public double? FailureRate => Completed + Failed == 0 ? null : (double)Failed / (Completed + Failed);
}
