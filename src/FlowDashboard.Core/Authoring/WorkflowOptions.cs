namespace FlowDashboard.Authoring;

/// <summary>Settings of one workflow, given when it is registered.</summary>
/// <remarks>Defaults: <see cref="RetryPolicy.Default"/> for every step, no timeout, no flow control.</remarks>
public class WorkflowOptions
{
    /// <summary>The retry policy of every step that does not set its own.</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

    /// <summary>
    /// How long a run may take, counted from its first start (an operator's resume or step retry starts the count
    /// again): a run still unfinished then fails with a <see cref="TimeoutException"/>, its running steps are cancelled
    /// through their token, and its failure handler runs. A sleeping or waiting run is woken for it. Null for no limit.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Limits on runs in flight and step starts, per workflow or per key; null for none.</summary>
    public FlowControl? FlowControl { get; set; }
}
