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
    IReadOnlyList<TimelineAttemptInfo> Attempts);
