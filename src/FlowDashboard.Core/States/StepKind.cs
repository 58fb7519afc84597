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

    /// <summary>Waits for an event (<c>WaitForEventAsync</c>).</summary>
    WaitForEvent,

    /// <summary>An HTTP call made by the engine (<c>CallAsync</c>).</summary>
    Call,

    /// <summary>A child run (<c>InvokeAsync</c>).</summary>
    Invoke,
}
