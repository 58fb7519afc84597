using FlowDashboard.States;

namespace FlowDashboard.Engine;

/// <summary>Why an execution ended without the body returning. The body's pending steps never complete; the runner abandons it.</summary>
internal abstract record Halt
{
    /// <summary>
    /// Nothing can go on now: the body waits for sleeps, retries, events, calls or children. The run is due
    /// again at <paramref name="DueAt"/> (null when only something outside the run can wake it).
    /// </summary>
    public sealed record Suspended(DateTime? DueAt, RunStatus Status) : Halt;

    /// <summary>A step failed for good; the store already marks the run failed.</summary>
    public sealed record StepFailed : Halt;

    /// <summary>The replay asked for another step than the recorded one, or skipped one.</summary>
    public sealed record NonDeterministic(string Message) : Halt;

    /// <summary>The body waits for something that is not a step (a task of its own), which no job can ever resume.</summary>
    public sealed record Stuck(string Message) : Halt;

    /// <summary>The body cancelled its own run; the store already says so.</summary>
    public sealed record Cancelled : Halt;

    /// <summary>The run reached its deadline (<see cref="Authoring.WorkflowOptions.Timeout"/>) unfinished.</summary>
    public sealed record TimedOut(string Message) : Halt;

    /// <summary>The workflow (or the run's key) is paused: the body asked for a new step, which waits for the resume.</summary>
    public sealed record Paused : Halt;

    /// <summary>The lease was lost (cancelled, taken over) or the host is shutting down: nothing more may be recorded.</summary>
    public sealed record Stopped : Halt;
}
