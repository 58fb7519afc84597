using Hangfire.Common;

namespace FlowDashboard.Execution;

/// <summary>
/// The Hangfire filters the engine's jobs run with: only the attributes on the jobs' own methods (no automatic retry,
/// the display name). Hangfire's global filters are left out, the host's and Hangfire's own: the engine's jobs need
/// none of them, and on a database storage each costs statements in every job. Capturing the culture writes two job
/// parameters when a job is created and reads them when it runs (a job is created on the dispatcher's threads, whose
/// culture is the process's anyway); statistics history adds counters on every success; continuations support reads
/// a parameter on every state change.
/// </summary>
internal static class EngineJobFilters
{
    /// <summary>The provider given to the engine's Hangfire client, recurring-job manager and server.</summary>
    public static readonly IJobFilterProvider Provider = new JobFilterAttributeFilterProvider();
}
