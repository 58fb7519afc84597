namespace FlowDashboard.Authoring;

/// <summary>Per-step settings that override the workflow's.</summary>
/// <remarks>Defaults: the workflow's <see cref="RetryPolicy"/>, no timeout.</remarks>
public sealed record StepOptions
{
    /// <summary>Retries and back-off for this step; the workflow's policy when null.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// How long one attempt may take. When it elapses the step's token is cancelled and the attempt fails
    /// with a <see cref="TimeoutException"/>, which is retried like any other error.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}
