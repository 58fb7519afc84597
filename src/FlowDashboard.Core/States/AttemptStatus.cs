namespace FlowDashboard.States;

/// <summary>The outcome of one attempt at a step. Stored and shown as its name.</summary>
public enum AttemptStatus
{
    /// <summary>Executing now.</summary>
    Running,

    /// <summary>Succeeded; its result is the step's.</summary>
    Completed,

    /// <summary>Threw or timed out.</summary>
    Failed,

    /// <summary>The process executing it stopped (crash, kill) before it finished; the step ran again.</summary>
    Interrupted,

    /// <summary>The run was cancelled while it executed.</summary>
    Cancelled,
}
