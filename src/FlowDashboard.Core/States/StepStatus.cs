namespace FlowDashboard.States;

/// <summary>Where a step stands. Stored and shown as its name.</summary>
public enum StepStatus
{
    /// <summary>Set back by an operator (retry, resume): its next attempt runs when the run executes.</summary>
    Pending,

    /// <summary>An attempt is executing, or the next attempt is due after a back-off.</summary>
    Running,

    /// <summary>Final: the result is recorded and replays return it.</summary>
    Completed,

    /// <summary>Final: retries exhausted, or the error was not retryable.</summary>
    Failed,

    /// <summary>A sleep that has not reached its wake-up time.</summary>
    Sleeping,

    /// <summary>Waiting for an event.</summary>
    Waiting,

    /// <summary>Final: the run was cancelled while this step was unfinished.</summary>
    Cancelled,
}
