using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>One row of a run's timeline.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="StartedAt">When it was first started.</param>
/// <param name="CompletedAt">When it reached a final state.</param>
/// <param name="WakeAt">For a sleep: when it wakes.</param>
/// <param name="NextAttemptAt">When its next attempt is due, after a failed one.</param>
/// <param name="Attempts">Its attempts, oldest first.</param>
public sealed record TimelineStepInfo(
    string Name,
    StepKind Kind,
    StepStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? WakeAt,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<TimelineAttemptInfo> Attempts)
{
    /// <summary>What the step waits on: the event id of a wait, the URL of a call, the child run's id of an invoke.</summary>
    public string? Target { get; init; }

    /// <summary>A few words on how it ended or stands: "HTTP 200", "timed out", "event received", the child's status.</summary>
    public string? Note { get; init; }

    /// <summary>The position of the first step still open when this one was asked for: steps that ran side by side share it.</summary>
    public int? ParallelGroup { get; init; }

    /// <summary>The step's position in the run.</summary>
    public int Sequence { get; init; }
}
