namespace FlowDashboard.States;

/// <summary>What a step does. Stored and shown as its name.</summary>
public enum StepKind
{
    /// <summary>Runs user code (<c>RunAsync</c>).</summary>
    Run,

    /// <summary>Suspends until a time (<c>SleepAsync</c>, <c>SleepUntilAsync</c>).</summary>
    Sleep,

    /// <summary>The workflow's failure handler, run after the run failed for good.</summary>
    FailureHandler,
}
