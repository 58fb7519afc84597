namespace FlowDashboard.Authoring;

/// <summary>Settings of one workflow, given when it is registered.</summary>
/// <remarks>Defaults: <see cref="RetryPolicy.Default"/> for every step.</remarks>
public class WorkflowOptions
{
    /// <summary>The retry policy of every step that does not set its own.</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;
}
