namespace FlowDashboard.Authoring;

/// <summary>Settings of one workflow, given when it is registered.</summary>
/// <remarks>Defaults: <see cref="RetryPolicy.Default"/> for every step, no flow control.</remarks>
public class WorkflowOptions
{
    /// <summary>The retry policy of every step that does not set its own.</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

    /// <summary>Limits on runs in flight and step starts, per workflow or per key; null for none.</summary>
    public FlowControl? FlowControl { get; set; }
}
