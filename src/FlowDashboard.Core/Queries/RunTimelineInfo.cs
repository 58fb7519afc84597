using System.Text.Json;
using FlowDashboard.Client;
using FlowDashboard.States;

namespace FlowDashboard.Queries;

/// <summary>A run with what its timeline draws: every step and the times of every attempt, without errors and outputs.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Source">Who or what triggered it.</param>
/// <param name="SourceRef">What the source refers to (the original run of a restart, the schedule).</param>
/// <param name="ScheduledFor">For a run a schedule started: the fire time it stands for.</param>
/// <param name="CreatedAt">When it was triggered.</param>
/// <param name="StartedAt">When its first execution began.</param>
/// <param name="CompletedAt">When it reached a final state.</param>
/// <param name="DueAt">When it next executes, if it will.</param>
/// <param name="Input">The input as JSON.</param>
/// <param name="Output">The output as JSON, once completed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Steps">Its steps in execution order.</param>
public sealed record RunTimelineInfo(
    string RunId,
    string Workflow,
    RunStatus Status,
    RunSource Source,
    string? SourceRef,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? DueAt,
    JsonElement? Input,
    JsonElement? Output,
    string? Error,
    IReadOnlyList<TimelineStepInfo> Steps)
{
    /// <summary>Until when flow control holds the run back, if it does.</summary>
    public DateTimeOffset? ThrottledUntil { get; init; }
}
