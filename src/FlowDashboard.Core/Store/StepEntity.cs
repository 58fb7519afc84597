using FlowDashboard.States;

namespace FlowDashboard.Store;

/// <summary>A step's row: unique per (run, name) and per (run, sequence).</summary>
internal sealed class StepEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public required string Name { get; set; }

    /// <summary>The step's position in the run, from 0: replay checks names and kinds against it.</summary>
    public int Sequence { get; set; }

    public StepKind Kind { get; set; }
    public StepStatus Status { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? WakeAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public int AttemptCount { get; set; }

    /// <summary>The attempts made before an operator's last retry: the retry policy counts only those after it.</summary>
    public int RetryBase { get; set; }

    /// <summary>Where the step's completion fell among the run's completions: a replay hands results back in this order.</summary>
    public int? CompletionOrder { get; set; }

    /// <summary>What the step waits on: the event id of a wait, the URL of a call, the child run's id of an invoke.</summary>
    public string? Target { get; set; }

    /// <summary>What the step was asked to do, as JSON: a call's request.</summary>
    public string? Input { get; set; }

    /// <summary>
    /// What arrived for the step from outside the execution (an event's payload, a call's response, a child's
    /// outcome), as JSON; the next execution turns it into the step's result.
    /// </summary>
    public string? Payload { get; set; }

    /// <summary>The position of the first step still open when this one was asked for: steps that ran side by side share it.</summary>
    public int? ParallelGroup { get; set; }

    public List<AttemptEntity> Attempts { get; set; } = [];
}
