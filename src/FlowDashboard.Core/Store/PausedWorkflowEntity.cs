namespace FlowDashboard.Store;

/// <summary>A paused workflow, or one flow-control key of it: its runs are held until an operator resumes it.</summary>
internal sealed class PausedWorkflowEntity
{
    public required string Workflow { get; set; }

    /// <summary>The flow-control key paused, or empty for the whole workflow.</summary>
    public required string Key { get; set; }

    public DateTime PausedAt { get; set; }
    public required string PausedBy { get; set; }
}
