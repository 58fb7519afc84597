namespace FlowDashboard.Engine;

/// <summary>Why a body stopped before returning. The pending step's task never completes; the runner abandons the body.</summary>
internal abstract record Halt
{
    /// <summary>The run waits (sleep, retry back-off) until <paramref name="DueAt"/>; the store already says so.</summary>
    public sealed record Suspended(DateTime DueAt) : Halt;

    /// <summary>A step failed for good; the store already marks the run failed.</summary>
    public sealed record StepFailed : Halt;

    /// <summary>The replay asked for another step than the recorded one.</summary>
    public sealed record NonDeterministic(string Message) : Halt;

    /// <summary>The lease was lost (cancelled, taken over) or the host is shutting down: nothing more may be recorded.</summary>
    public sealed record Stopped : Halt;
}
