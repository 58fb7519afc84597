namespace FlowDashboard.Engine;

/// <summary>A write was refused because this execution no longer holds the run's lease (cancelled, or taken over).</summary>
internal sealed class LeaseLostException(string runId)
    : Exception($"The lease on run '{runId}' is no longer held by this execution.");
