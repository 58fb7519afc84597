namespace FlowDashboard.States;

/// <summary>Where a run stands. Stored and shown as its name.</summary>
public enum RunStatus
{
    /// <summary>Triggered; no step has started yet (or its delay has not elapsed).</summary>
    Pending,

    /// <summary>A step is executing, or waiting for its next attempt.</summary>
    Running,

    /// <summary>Suspended in a sleep step until its wake-up time.</summary>
    Sleeping,

    /// <summary>Suspended until an event arrives.</summary>
    Waiting,

    /// <summary>Final: the body returned.</summary>
    Completed,

    /// <summary>Final: a step failed for good, or the body threw. The failure handler may still run.</summary>
    Failed,

    /// <summary>Final: cancelled by a caller or an operator.</summary>
    Cancelled,
}
